/* matrix multiply: 48x48 integer matrices */
#define N 48
static int A[N][N], B[N][N], C[N][N];
int main(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			A[i][j] = i * 3 + j;
			B[i][j] = i - 2 * j;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int s = 0;
			for (int k = 0; k < N; k++)
				s += A[i][k] * B[k][j];
			C[i][j] = s;
		}
	unsigned h = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			h = h * 31 + (unsigned)C[i][j];
	return (int)h;
}
