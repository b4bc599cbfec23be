/*
 * merkle.c: RFC 9162 tree hashing, proof generation and verification, and the frontier
 * used by the streaming verifier. Pure functions: the tree's storage is the caller's
 * (struct merkle_nodes). SHA-256 comes from libsodium.
 */
#include "core/common.h"
#include "audit/merkle.h"

#include <sodium.h>

static const unsigned char leaf_prefix = 0x00;
static const unsigned char node_prefix = 0x01;

void merkle_leaf_hash(const void *p, size_t n, unsigned char out[MERKLE_HASH_LEN])
{
	crypto_hash_sha256_state s;

	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, &leaf_prefix, 1);
	crypto_hash_sha256_update(&s, p, n);
	crypto_hash_sha256_final(&s, out);
}

void merkle_node_hash(const unsigned char l[MERKLE_HASH_LEN],
                      const unsigned char r[MERKLE_HASH_LEN], unsigned char out[MERKLE_HASH_LEN])
{
	unsigned char in[1 + 2 * MERKLE_HASH_LEN];

	in[0] = node_prefix;
	memcpy(in + 1, l, MERKLE_HASH_LEN);
	memcpy(in + 1 + MERKLE_HASH_LEN, r, MERKLE_HASH_LEN);
	crypto_hash_sha256(out, in, sizeof(in));
}

void merkle_empty_root(unsigned char out[MERKLE_HASH_LEN])
{
	crypto_hash_sha256(out, (const unsigned char *)"", 0);
}

uint64_t merkle_split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

void merkle_root(const unsigned char *leaves, uint64_t n, unsigned char out[MERKLE_HASH_LEN])
{
	unsigned char l[MERKLE_HASH_LEN], r[MERKLE_HASH_LEN];
	uint64_t k;

	if (n == 0) {
		merkle_empty_root(out);
		return;
	}
	if (n == 1) {
		memcpy(out, leaves, MERKLE_HASH_LEN);
		return;
	}
	k = merkle_split(n);
	merkle_root(leaves, k, l);
	merkle_root(leaves + k * MERKLE_HASH_LEN, n - k, r);
	merkle_node_hash(l, r, out);
}

static unsigned bit_length(uint64_t n)
{
	unsigned b = 0;

	while (n) {
		b++;
		n >>= 1;
	}
	return b;
}

int merkle_subtree_root(const struct merkle_nodes *src, uint64_t start, uint64_t n,
                        unsigned char out[MERKLE_HASH_LEN])
{
	unsigned char parts[MERKLE_MAX_LEVELS][MERKLE_HASH_LEN];
	unsigned count = 0, level;
	uint64_t off = start;
	int r;

	if (n == 0)
		return -ERR_INVALID;
	/* The binary decomposition of n, largest part first: each part is a perfect subtree
	 * because start is aligned to the power of two that covers n. */
	for (level = bit_length(n); level-- > 0;) {
		uint64_t width = (uint64_t)1 << level;

		if (!(n & width))
			continue;
		if (off & (width - 1))
			return -ERR_INVALID;
		r = src->get(src->ctx, level, off >> level, parts[count]);
		if (r < 0)
			return r;
		count++;
		off += width;
	}
	if (count == 0 || count > MERKLE_MAX_LEVELS)
		return -ERR_INVALID;
	if (count == 0) /* not reached: n > 0 has a set bit */
		return -ERR_INVALID;
	/* RFC 9162 splits left-heavy, so the smaller parts nest to the right. */
	memcpy(out, parts[count - 1], MERKLE_HASH_LEN);
	while (count-- > 1)
		merkle_node_hash(parts[count - 1], out, out);
	return 0;
}

int merkle_tree_root(const struct merkle_nodes *src, uint64_t size,
                     unsigned char out[MERKLE_HASH_LEN])
{
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	return merkle_subtree_root(src, 0, size, out);
}

struct proof_out {
	unsigned char *p;
	size_t n;
};

static int proof_add(const struct merkle_nodes *src, struct proof_out *o, uint64_t start,
                     uint64_t n)
{
	if (o->n >= MERKLE_MAX_PROOF)
		return -ERR_INVALID;
	return merkle_subtree_root(src, start, n, o->p + MERKLE_HASH_LEN * o->n++);
}

/* PATH(m, D[start:start+n]) of RFC 9162 §2.1.3.1. */
static int path(const struct merkle_nodes *src, struct proof_out *o, uint64_t m, uint64_t start,
                uint64_t n)
{
	uint64_t k;
	int r;

	if (n <= 1)
		return 0;
	k = merkle_split(n);
	if (m < k) {
		r = path(src, o, m, start, k);
		if (r < 0)
			return r;
		return proof_add(src, o, start + k, n - k);
	}
	r = path(src, o, m - k, start + k, n - k);
	if (r < 0)
		return r;
	return proof_add(src, o, start, k);
}

int merkle_inclusion_proof(const struct merkle_nodes *src, uint64_t index, uint64_t size,
                           unsigned char *proof, size_t *ret_n)
{
	struct proof_out o = { .p = proof, .n = 0 };
	int r;

	if (index >= size)
		return -ERR_INVALID;
	r = path(src, &o, index, 0, size);
	if (r < 0)
		return r;
	*ret_n = o.n;
	return 0;
}

/* SUBPROOF(m, D[start:start+n], b) of RFC 9162 §2.1.4.1. */
static int subproof(const struct merkle_nodes *src, struct proof_out *o, uint64_t m, uint64_t start,
                    uint64_t n, bool b)
{
	uint64_t k;
	int r;

	if (m == n)
		return b ? 0 : proof_add(src, o, start, n);
	k = merkle_split(n);
	if (m <= k) {
		r = subproof(src, o, m, start, k, b);
		if (r < 0)
			return r;
		return proof_add(src, o, start + k, n - k);
	}
	r = subproof(src, o, m - k, start + k, n - k, false);
	if (r < 0)
		return r;
	return proof_add(src, o, start, k);
}

int merkle_consistency_proof(const struct merkle_nodes *src, uint64_t first, uint64_t second,
                             unsigned char *proof, size_t *ret_n)
{
	struct proof_out o = { .p = proof, .n = 0 };
	int r;

	if (first > second)
		return -ERR_INVALID;
	if (first > 0 && first < second) {
		r = subproof(src, &o, first, 0, second, true);
		if (r < 0)
			return r;
	}
	*ret_n = o.n;
	return 0;
}

bool merkle_verify_inclusion(const unsigned char leaf[MERKLE_HASH_LEN], uint64_t index,
                             uint64_t size, const unsigned char *proof, size_t n,
                             const unsigned char root[MERKLE_HASH_LEN])
{
	unsigned char r[MERKLE_HASH_LEN];
	uint64_t fn, sn;
	size_t i;

	if (index >= size)
		return false;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, MERKLE_HASH_LEN);
	for (i = 0; i < n; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof + MERKLE_HASH_LEN * i, r, r);
			if (!(fn & 1)) {
				while (fn != 0 && !(fn & 1)) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			merkle_node_hash(r, proof + MERKLE_HASH_LEN * i, r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, MERKLE_HASH_LEN) == 0;
}

bool merkle_verify_consistency(uint64_t first, uint64_t second,
                               const unsigned char root1[MERKLE_HASH_LEN],
                               const unsigned char root2[MERKLE_HASH_LEN],
                               const unsigned char *proof, size_t n)
{
	unsigned char fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];
	uint64_t fn, sn;
	size_t i = 0;

	if (first > second)
		return false;
	if (first == second)
		return n == 0 && memcmp(root1, root2, MERKLE_HASH_LEN) == 0;
	if (first == 0)
		return n == 0;
	if (n == 0)
		return false;
	/* Step 2: when first is a power of two, the proof omits its root: start from it. */
	if ((first & (first - 1)) == 0) {
		memcpy(fr, root1, MERKLE_HASH_LEN);
	} else {
		memcpy(fr, proof, MERKLE_HASH_LEN);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_LEN);
	fn = first - 1;
	sn = second - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++) {
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof + MERKLE_HASH_LEN * i, fr, fr);
			merkle_node_hash(proof + MERKLE_HASH_LEN * i, sr, sr);
			if (!(fn & 1)) {
				while (fn != 0 && !(fn & 1)) {
					fn >>= 1;
					sn >>= 1;
				}
			}
		} else {
			merkle_node_hash(sr, proof + MERKLE_HASH_LEN * i, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, root1, MERKLE_HASH_LEN) == 0 &&
	       memcmp(sr, root2, MERKLE_HASH_LEN) == 0;
}

void merkle_frontier_init(struct merkle_frontier *f)
{
	f->size = 0;
	f->nodes_hashed = 0;
	f->count = 0;
}

int merkle_frontier_push(struct merkle_frontier *f, const unsigned char leaf[MERKLE_HASH_LEN],
                         int (*on_node)(void *ctx, unsigned level, uint64_t idx,
                                        const unsigned char h[MERKLE_HASH_LEN]),
                         void *ctx)
{
	unsigned char h[MERKLE_HASH_LEN];
	uint64_t idx = f->size;
	unsigned level = 0;
	int r;

	memcpy(h, leaf, MERKLE_HASH_LEN);
	if (on_node) {
		r = on_node(ctx, 0, idx, h);
		if (r < 0)
			return r;
	}
	/* Every trailing one bit of the old size is a left sibling waiting for this leaf. */
	while (idx & 1) {
		f->count--;
		merkle_node_hash(f->h[f->count], h, h);
		f->nodes_hashed++;
		level++;
		idx >>= 1;
		if (on_node) {
			r = on_node(ctx, level, idx, h);
			if (r < 0)
				return r;
		}
	}
	memcpy(f->h[f->count], h, MERKLE_HASH_LEN);
	f->count++;
	f->size++;
	return 0;
}

void merkle_frontier_root(struct merkle_frontier *f, unsigned char out[MERKLE_HASH_LEN])
{
	unsigned i;

	if (f->count == 0) {
		merkle_empty_root(out);
		return;
	}
	i = f->count - 1;
	memcpy(out, f->h[i], MERKLE_HASH_LEN);
	while (i-- > 0) {
		merkle_node_hash(f->h[i], out, out);
		f->nodes_hashed++;
	}
}
