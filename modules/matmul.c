/* matmul: 16x16 integer matrix multiply, matrices from an LCG. */
#include <stdint.h>
#define N 16

static int32_t a[N][N], b[N][N], c[N][N];

static uint32_t lcg(uint32_t *s) { return *s = *s * 1664525u + 1013904223u; }

static void fill(uint32_t seed)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (int32_t)(lcg(&seed) >> 24) - 128;
			b[i][j] = (int32_t)(lcg(&seed) >> 24) - 128;
		}
}

static void multiply(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int32_t s = 0;
			for (int k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
}

int32_t module_main(int32_t arg)
{
	fill((uint32_t)arg);
	multiply();
	uint32_t h = 2166136261u;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			h = (h ^ (uint32_t)c[i][j]) * 16777619u;
	return (int32_t)h;
}
