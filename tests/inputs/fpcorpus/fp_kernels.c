/* Numerical kernels in float and double: dot products, a 3x3 solve,
 * Horner polynomials, Newton's square root, a Mandelbrot tile, an n-body
 * step, running min/max, and libm calls.  The result hashes the bits. */
#include <stdint.h>
#include <math.h>

static uint32_t h = 2166136261u;
static void mix(uint32_t x) { h = (h ^ x) * 16777619u; }
static void mixd(double d) { union { double d; uint64_t u; } v = { d }; mix((uint32_t)v.u); mix((uint32_t)(v.u >> 32)); }
static void mixf(float f) { union { float f; uint32_t u; } v = { f }; mix(v.u); }

static double A[3][3] = { { 4, -2, 1 }, { -2, 4, -2 }, { 1, -2, 4 } };
static double B[3] = { 11, -16, 17 };

static void solve3(double a[3][3], double b[3], double x[3])
{
	for (int k = 0; k < 3; k++) {
		int p = k;
		for (int i = k + 1; i < 3; i++)
			if (fabs(a[i][k]) > fabs(a[p][k]))
				p = i;
		for (int j = 0; j < 3; j++) { double t = a[k][j]; a[k][j] = a[p][j]; a[p][j] = t; }
		double t = b[k]; b[k] = b[p]; b[p] = t;
		for (int i = k + 1; i < 3; i++) {
			double f = a[i][k] / a[k][k];
			for (int j = k; j < 3; j++)
				a[i][j] -= f * a[k][j];
			b[i] -= f * b[k];
		}
	}
	for (int i = 2; i >= 0; i--) {
		double s = b[i];
		for (int j = i + 1; j < 3; j++)
			s -= a[i][j] * x[j];
		x[i] = s / a[i][i];
	}
}

static double newton_sqrt(double x)
{
	double g = x > 1 ? x / 2 : 1;
	for (int i = 0; i < 40; i++)
		g = 0.5 * (g + x / g);
	return g;
}

static int mandel(double cr, double ci)
{
	double zr = 0, zi = 0;
	int n = 0;
	while (n < 200 && zr * zr + zi * zi <= 4.0) {
		double t = zr * zr - zi * zi + cr;
		zi = 2 * zr * zi + ci;
		zr = t;
		n++;
	}
	return n;
}

struct body { double x, y, z, vx, vy, vz, m; };
static struct body bodies[4] = {
	{ 0, 0, 0, 0, 0, 0, 39.47 },
	{ 4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.037 },
	{ 8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011 },
	{ 12.89, -15.11, -0.22, 1.08, 0.868, -0.01, 0.0017 },
};

static void advance(double dt)
{
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++) {
			double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			bodies[i].vx -= dx * bodies[j].m * mag; bodies[i].vy -= dy * bodies[j].m * mag; bodies[i].vz -= dz * bodies[j].m * mag;
			bodies[j].vx += dx * bodies[i].m * mag; bodies[j].vy += dy * bodies[i].m * mag; bodies[j].vz += dz * bodies[i].m * mag;
		}
	for (int i = 0; i < 4; i++) {
		bodies[i].x += dt * bodies[i].vx; bodies[i].y += dt * bodies[i].vy; bodies[i].z += dt * bodies[i].vz;
	}
}

static float dotf(const float *a, const float *b, int n)
{
	float s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

int test_main(void)
{
	double x[3];
	solve3(A, B, x);
	for (int i = 0; i < 3; i++) mixd(x[i]);
	for (int i = 1; i < 50; i++) { mixd(newton_sqrt(i * 1.5)); mixd(sqrt(i * 1.5)); mixf(sqrtf((float)i)); }
	int it = 0;
	for (int y = 0; y < 12; y++)
		for (int xx = 0; xx < 16; xx++)
			it += mandel(-2.0 + xx * 0.15, -1.2 + y * 0.2);
	mix((uint32_t)it);
	for (int s = 0; s < 100; s++) advance(0.01);
	for (int i = 0; i < 4; i++) { mixd(bodies[i].x); mixd(bodies[i].vy); }
	float fa[64], fb[64];
	for (int i = 0; i < 64; i++) { fa[i] = (float)i * 0.37f - 3.0f; fb[i] = 1.0f / (float)(i + 1); }
	mixf(dotf(fa, fb, 64));
	double p = 0, mn = 1e308, mx = -1e308;
	for (int i = 0; i < 100; i++) {
		double t = i * 0.031 - 1.5;
		p = ((0.3 * t - 1.1) * t + 2.7) * t - 0.9;
		mn = p < mn ? p : mn; mx = p > mx ? p : mx;
		mixd(p);
	}
	mixd(mn); mixd(mx);
	for (int i = -5; i < 15; i++) {
		double t = i * 0.37;
		mixd(exp(t)); mixd(log(fabs(t) + 0.5)); mixd(sin(t)); mixd(cos(t)); mixd(atan2(t, 1.3));
		mixd(pow(1.1, t)); mixd(tanh(t)); mixd(floor(t)); mixd(ceil(t)); mixd(trunc(t));
		mixf(expf((float)t)); mixf(sinf((float)t)); mixf(floorf((float)t));
		mixd(__builtin_copysign(t, -1.0)); mixd(__builtin_copysign(1.5, t)); mixd(fmod(t, 0.7));
	}
	return (int)h;
}
