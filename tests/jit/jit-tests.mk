# Tests of the JIT test tools themselves.
TEST_SCRIPTS += tests/jit/diff/difftest_input.sh tests/jit/diff/native_run.sh
