/* fibonacci: naive recursion (call-heavy; the hot function is fib). */
#include <stdint.h>

static int32_t fib(int32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int32_t module_main(int32_t arg) { return fib(arg); }
