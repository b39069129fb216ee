/* spectral: the spectral norm of the infinite matrix A(i,j) =
 * 1/((i+j)(i+j+1)/2 + i + 1), truncated to arg x arg (at most 64), by 10
 * power iterations of A^T A in double; the result hashes the bits of the
 * estimate and of the vector. */
#include <stdint.h>

#define NMAX 64

static double u[NMAX], v[NMAX], t[NMAX];

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(int n, const double *x, double *y)
{
	for (int i = 0; i < n; i++) {
		double s = 0;
		for (int j = 0; j < n; j++)
			s += a(i, j) * x[j];
		y[i] = s;
	}
}

static void mul_atv(int n, const double *x, double *y)
{
	for (int i = 0; i < n; i++) {
		double s = 0;
		for (int j = 0; j < n; j++)
			s += a(j, i) * x[j];
		y[i] = s;
	}
}

static void mul_atav(int n, const double *x, double *y)
{
	mul_av(n, x, t);
	mul_atv(n, t, y);
}

int32_t module_main(int32_t arg)
{
	int n = arg < 1 ? 1 : arg > NMAX ? NMAX : arg;
	for (int i = 0; i < n; i++)
		u[i] = 1;
	for (int k = 0; k < 10; k++) {
		mul_atav(n, u, v);
		mul_atav(n, v, u);
	}
	double vbv = 0, vv = 0;
	for (int i = 0; i < n; i++) {
		vbv += u[i] * v[i];
		vv += v[i] * v[i];
	}
	union { double d; uint64_t u; } r = { __builtin_sqrt(vbv / vv) };
	uint32_t h = 2166136261u;
	h = (h ^ (uint32_t)r.u) * 16777619u;
	h = (h ^ (uint32_t)(r.u >> 32)) * 16777619u;
	for (int i = 0; i < n; i++) {
		union { double d; uint64_t u; } e = { v[i] };
		h = (h ^ (uint32_t)(e.u >> 20)) * 16777619u;
	}
	return (int32_t)h;
}
