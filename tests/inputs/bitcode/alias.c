/* Not a test binary: input for test_bitcode.  A global alias, which the
 * IR does not represent; the reader refuses it by name. */
int real_function(int x) { return x * 2; }
int alias_function(int x) __attribute__((alias("real_function")));
