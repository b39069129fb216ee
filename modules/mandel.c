/* mandel: a 48x32 Mandelbrot tile in float and one in double, at most arg
 * iterations a point; the result hashes every point's count and the final
 * |z|^2 bits of the float tile (compares, float arithmetic, int<->float
 * conversions, a loop exit on a floating-point compare). */
#include <stdint.h>

#define W 48
#define H 32

int32_t module_main(int32_t arg)
{
	uint32_t h = 2166136261u;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			float cr = -2.2f + (float)x * (3.2f / W), ci = -1.2f + (float)y * (2.4f / H);
			float zr = 0, zi = 0, m = 0;
			int n = 0;
			while (n < arg) {
				float r2 = zr * zr, i2 = zi * zi;
				m = r2 + i2;
				if (m > 4.0f)
					break;
				zi = 2.0f * zr * zi + ci;
				zr = r2 - i2 + cr;
				n++;
			}
			union { float f; uint32_t u; } v = { m };
			h = (h ^ (uint32_t)n) * 16777619u;
			h = (h ^ v.u) * 16777619u;
			double dr = -0.75 + (double)(x - W / 2) / (W * 20.0), di = 0.1 + (double)(y - H / 2) / (H * 20.0);
			double wr = 0, wi = 0;
			unsigned k = 0;
			while (k < (unsigned)arg && wr * wr + wi * wi <= 4.0) {
				double t = wr * wr - wi * wi + dr;
				wi = 2 * wr * wi + di;
				wr = t;
				k++;
			}
			h = (h ^ k) * 16777619u;
		}
	return (int32_t)h;
}
