/* sieve: primes below a bound with the sieve of Eratosthenes. */
#include <stdint.h>
#define MAX 8192

static uint8_t composite[MAX];

static int32_t count_primes(int32_t n)
{
	if (n > MAX)
		n = MAX;
	for (int32_t i = 0; i < n; i++)
		composite[i] = 0;
	int32_t count = 0;
	for (int32_t i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		for (int32_t j = i * 2; j < n; j += i)
			composite[j] = 1;
	}
	return count;
}

int32_t module_main(int32_t arg) { return count_primes(arg); }
