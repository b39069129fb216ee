/* Minimal csmith runtime for BareFlow's differential tests (Debian's
 * csmith package ships no headers).  The same header is used for the
 * native build (i686 gcc -ffreestanding with tests/jit/diff/native/start.c,
 * run under qemu-i386) and the JIT build (clang-19 -ffreestanding), so
 * only UB-freedom and agreement between the two matter.  The safe_*
 * helpers follow csmith's semantics: an operation that would be
 * undefined returns its first operand instead. */
#ifndef BF_CSMITH_H
#define BF_CSMITH_H
#include <stdint.h>

/* main returns the checksum on both sides (tests/jit/diff/native/start.c
 * prints it for the native build) */
#define printf(...) 0
#define platform_main_end(crc, flag) return (int)(crc)
#define platform_main_begin() do { } while (0)

static uint32_t crc32_tab[256];
static uint32_t crc32_context = 0xFFFFFFFFUL;

static void crc32_gentab(void)
{
	uint32_t crc;
	const uint32_t poly = 0xEDB88320UL;
	int i, j;
	for (i = 0; i < 256; i++) {
		crc = (uint32_t)i;
		for (j = 8; j > 0; j--)
			crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
		crc32_tab[i] = crc;
	}
}

static void crc32_byte(uint8_t b)
{
	crc32_context = ((crc32_context >> 8) & 0x00FFFFFF) ^ crc32_tab[(crc32_context ^ b) & 0xFF];
}

static void crc32_8bytes(uint64_t val)
{
	for (int i = 0; i < 8; i++)
		crc32_byte((uint8_t)(val >> (8 * i)));
}

static void transparent_crc(uint64_t val, const char *vname, int flag)
{
	(void)vname; (void)flag;
	crc32_8bytes(val);
}

static void transparent_crc_bytes(const char *ptr, int nbytes, const char *vname, int flag)
{
	(void)vname; (void)flag;
	for (int i = 0; i < nbytes; i++)
		crc32_byte((uint8_t)ptr[i]);
}

#define SAFE_SIGNED(T, MIN, MAX) \
static inline T safe_unary_minus_func_##T##_s(T si) { return si == (MIN) ? si : (T)-si; } \
static inline T safe_add_func_##T##_s_s(T a, T b) { \
	return ((a > 0 && b > 0 && a > (MAX) - b) || (a < 0 && b < 0 && a < (MIN) - b)) ? a : (T)(a + b); } \
static inline T safe_sub_func_##T##_s_s(T a, T b) { \
	return ((b > 0 && a < (MIN) + b) || (b < 0 && a > (MAX) + b)) ? a : (T)(a - b); } \
static inline T safe_mul_func_##T##_s_s(T a, T b) { \
	return ((a > 0 && b > 0 && a > (MAX) / b) || (a > 0 && b <= 0 && b < (MIN) / a) || \
		(a <= 0 && b > 0 && a < (MIN) / b) || (a <= 0 && b <= 0 && a != 0 && b < (MAX) / a)) \
		? a : (T)(a * b); } \
static inline T safe_mod_func_##T##_s_s(T a, T b) { \
	return (b == 0 || (a == (MIN) && b == -1)) ? a : (T)(a % b); } \
static inline T safe_div_func_##T##_s_s(T a, T b) { \
	return (b == 0 || (a == (MIN) && b == -1)) ? a : (T)(a / b); } \
static inline T safe_lshift_func_##T##_s_s(T a, int b) { \
	return (a < 0 || b < 0 || b >= 32 || a > ((MAX) >> b)) ? a : (T)(a << b); } \
static inline T safe_lshift_func_##T##_s_u(T a, unsigned int b) { \
	return (a < 0 || b >= 32 || a > ((MAX) >> b)) ? a : (T)(a << b); } \
static inline T safe_rshift_func_##T##_s_s(T a, int b) { \
	return (a < 0 || b < 0 || b >= 32) ? a : (T)(a >> b); } \
static inline T safe_rshift_func_##T##_s_u(T a, unsigned int b) { \
	return (a < 0 || b >= 32) ? a : (T)(a >> b); }

#define SAFE_UNSIGNED(T, W) \
static inline T safe_unary_minus_func_##T##_u(T u) { return (T)-(W)u; } \
static inline T safe_add_func_##T##_u_u(T a, T b) { return (T)((W)a + (W)b); } \
static inline T safe_sub_func_##T##_u_u(T a, T b) { return (T)((W)a - (W)b); } \
static inline T safe_mul_func_##T##_u_u(T a, T b) { return (T)((W)a * (W)b); } \
static inline T safe_mod_func_##T##_u_u(T a, T b) { return b == 0 ? a : (T)(a % b); } \
static inline T safe_div_func_##T##_u_u(T a, T b) { return b == 0 ? a : (T)(a / b); } \
static inline T safe_lshift_func_##T##_u_s(T a, int b) { \
	return (b < 0 || b >= 32) ? a : (T)((W)a << b); } \
static inline T safe_lshift_func_##T##_u_u(T a, unsigned int b) { \
	return (b >= 32) ? a : (T)((W)a << b); } \
static inline T safe_rshift_func_##T##_u_s(T a, int b) { \
	return (b < 0 || b >= 32) ? a : (T)(a >> b); } \
static inline T safe_rshift_func_##T##_u_u(T a, unsigned int b) { \
	return (b >= 32) ? a : (T)(a >> b); }

SAFE_SIGNED(int8_t, INT8_MIN, INT8_MAX)
SAFE_SIGNED(int16_t, INT16_MIN, INT16_MAX)
SAFE_SIGNED(int32_t, INT32_MIN, INT32_MAX)
SAFE_SIGNED(int64_t, INT64_MIN, INT64_MAX)
SAFE_UNSIGNED(uint8_t, uint32_t)
SAFE_UNSIGNED(uint16_t, uint32_t)
SAFE_UNSIGNED(uint32_t, uint32_t)
SAFE_UNSIGNED(uint64_t, uint64_t)

/* Floating point (csmith --float): an operation whose result would
 * overflow (or divide by zero) returns its first operand, so no infinity
 * or NaN ever appears (a NaN's bits are not specified, and the checksum
 * reads the bytes).  float decides in double, where +, -, * of two floats
 * are exact and / rounds once; double scales by 1/2 first. */
#define BF_FLT_MAX 3.40282346638528859812e+38
#define BF_DBL_MAX 1.79769313486231570815e+308
static inline float safe_unary_minus_func_float_f(float a) { return -a; }
static inline float safe_add_func_float_f_f(float a, float b)
{ return __builtin_fabs((double)a + (double)b) > BF_FLT_MAX ? a : a + b; }
static inline float safe_sub_func_float_f_f(float a, float b)
{ return __builtin_fabs((double)a - (double)b) > BF_FLT_MAX ? a : a - b; }
static inline float safe_mul_func_float_f_f(float a, float b)
{ return __builtin_fabs((double)a * (double)b) > BF_FLT_MAX ? a : a * b; }
static inline float safe_div_func_float_f_f(float a, float b)
{ return b == 0.0f || __builtin_fabs((double)a / (double)b) > BF_FLT_MAX ? a : a / b; }
static inline double safe_unary_minus_func_double_f(double a) { return -a; }
static inline double safe_add_func_double_f_f(double a, double b)
{ return __builtin_fabs(0.5 * a + 0.5 * b) > 0.5 * BF_DBL_MAX ? a : a + b; }
static inline double safe_sub_func_double_f_f(double a, double b)
{ return __builtin_fabs(0.5 * a - 0.5 * b) > 0.5 * BF_DBL_MAX ? a : a - b; }
static inline double safe_mul_func_double_f_f(double a, double b)
{ return __builtin_fabs(0x1p-600 * a * b) > 0x1p-600 * BF_DBL_MAX ? a : a * b; }
static inline double safe_div_func_double_f_f(double a, double b)
{ return __builtin_fabs(b) < 1.0 && (b == 0.0 || __builtin_fabs(0x1p-600 * a / b) > 0x1p-600 * BF_DBL_MAX) ? a : a / b; }
#endif
