/* tree: build a binary search tree in a static node pool from LCG keys,
 * then walk it recursively (height, sum of keys by depth). */
#include <stdint.h>
#define NODES 512

struct node {
	int32_t key;
	struct node *left, *right;
};

static struct node pool[NODES];
static int32_t used;

static struct node *insert(struct node *t, int32_t key)
{
	if (!t) {
		struct node *n = &pool[used++];
		n->key = key;
		n->left = n->right = 0;
		return n;
	}
	if (key < t->key)
		t->left = insert(t->left, key);
	else
		t->right = insert(t->right, key);
	return t;
}

static int32_t height(const struct node *t)
{
	if (!t)
		return 0;
	int32_t l = height(t->left), r = height(t->right);
	return 1 + (l > r ? l : r);
}

static int32_t weighted(const struct node *t, int32_t depth)
{
	return t ? t->key * depth + weighted(t->left, depth + 1) + weighted(t->right, depth + 1) : 0;
}

int32_t module_main(int32_t arg)
{
	used = 0;
	struct node *root = 0;
	uint32_t s = (uint32_t)arg;
	for (int i = 0; i < NODES; i++) {
		s = s * 1664525u + 1013904223u;
		root = insert(root, (int32_t)(s >> 20));
	}
	return height(root) * 1000000 + weighted(root, 1) % 1000000;
}
