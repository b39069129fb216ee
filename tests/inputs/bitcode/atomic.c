/* Not a test binary: input for test_bitcode.  C11 atomics: atomicrmw,
 * cmpxchg (its { T, i1 } result), fences, atomic loads and stores. */
_Atomic int counter;
int bump(void) { return ++counter; }
int swap_if(int *p, int expected, int desired)
{
	return __atomic_compare_exchange_n(p, &expected, desired, 1, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}
void barrier(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
int get(int *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
void put(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
int fetch_xor(int *p, int v) { return __atomic_fetch_xor(p, v, __ATOMIC_RELAXED); }
