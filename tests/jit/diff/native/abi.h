/* The struct shared by the JIT and native sides of the ABI test. */
struct abi_s { int a; short b; signed char c; int d[3]; };
