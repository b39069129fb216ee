/* assert.h for modules: a failed assert prints
 *   FILE:LINE: FUNC: Assertion `EXPR' failed.
 * on the console and ends the module as abort() does (status 134).
 * NDEBUG turns it off, as C says; this header may be included again with
 * NDEBUG changed. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
_Noreturn void __bf_assert_fail(const char *expr, const char *file, int line, const char *func);
#define assert(e) ((e) ? (void)0 : __bf_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
#ifndef BF_RT_ASSERT_H
#define BF_RT_ASSERT_H
#define static_assert _Static_assert
#endif
