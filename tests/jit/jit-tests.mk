# Tests of the JIT test tools themselves.
TEST_SCRIPTS += tests/jit/difftest_input.sh
