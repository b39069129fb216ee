/* recursive tree: build binary search trees in a static pool, walk them */
struct node { int key; struct node *l, *r; };
static struct node pool[8192];
static int used;
static struct node *insert(struct node *t, int k)
{
	if (!t) {
		struct node *n = &pool[used++];
		n->key = k; n->l = n->r = 0;
		return n;
	}
	if (k < t->key) t->l = insert(t->l, k);
	else t->r = insert(t->r, k);
	return t;
}
static int depth(struct node *t)
{
	if (!t) return 0;
	int a = depth(t->l), b = depth(t->r);
	return 1 + (a > b ? a : b);
}
static unsigned sum(struct node *t) { return t ? (unsigned)t->key + 3 * sum(t->l) + 5 * sum(t->r) : 0; }
int main(void)
{
	unsigned h = 0, x = 1;
	for (int round = 0; round < 4; round++) {
		struct node *root = 0;
		used = 0;
		for (int i = 0; i < 2000; i++) {
			x = x * 1664525u + 1013904223u;
			root = insert(root, (int)(x >> 12));
		}
		h = h * 7 + sum(root) + (unsigned)depth(root);
	}
	return (int)h;
}
