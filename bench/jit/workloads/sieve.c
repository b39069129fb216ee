/* sieve of Eratosthenes up to 200000 */
#define N 200000
static unsigned char comp[N];
int main(void)
{
	int count = 0;
	for (int i = 2; i < N; i++) {
		if (comp[i])
			continue;
		count++;
		for (int j = i + i; j < N; j += i)
			comp[j] = 1;
	}
	return count;
}
