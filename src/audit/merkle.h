/*
 * merkle.h: the RFC 9162 (Certificate Transparency v2) Merkle tree, as pure functions.
 *
 *   leaf hash  SHA-256(0x00 || d)
 *   node hash  SHA-256(0x01 || left || right)
 *   empty tree SHA-256("")
 *
 * A tree of size n splits at k, the largest power of two smaller than n (RFC 9162 §2.1.1).
 * Its perfect subtrees are named (level, idx): the subtree of 2^level leaves starting at
 * leaf idx * 2^level. Proof generation reads those from a caller-supplied source (the
 * audit_tree table, or an array in tests); verification needs nothing but the proof
 * (RFC 9162 §2.1.3.2 and §2.1.4.2).
 *
 * The frontier (a "compact range" starting at leaf 0) holds one hash per set bit of the
 * size: pushing a leaf costs amortized one node hash and the root at the current size
 * costs O(log n), so a verifier can stream the whole log once.
 */
#ifndef ISMS_AUDIT_MERKLE_H
#define ISMS_AUDIT_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN   32
#define MERKLE_MAX_LEVELS 64
/* Longest proof of either kind for a tree of at most 2^63 leaves. */
#define MERKLE_MAX_PROOF 128

void merkle_leaf_hash(const void *p, size_t n, unsigned char out[MERKLE_HASH_LEN]);
void merkle_node_hash(const unsigned char l[MERKLE_HASH_LEN],
                      const unsigned char r[MERKLE_HASH_LEN], unsigned char out[MERKLE_HASH_LEN]);
/* SHA-256 of the empty string: the root of the empty tree. */
void merkle_empty_root(unsigned char out[MERKLE_HASH_LEN]);
/* The root of the tree over n leaf hashes, stored one after the other in leaves[0..32n)
 * (recursive definition; for tests and small n). */
void merkle_root(const unsigned char *leaves, uint64_t n, unsigned char out[MERKLE_HASH_LEN]);

/* Largest power of two strictly smaller than n (n >= 2). */
uint64_t merkle_split(uint64_t n);

/*
 * Where proofs read perfect-subtree hashes from. get() fills out with the hash of
 * (level, idx) and returns 0, or a negative -ERR_* (e.g. -ERR_NOT_FOUND) that is passed on.
 */
struct merkle_nodes {
	int (*get)(void *ctx, unsigned level, uint64_t idx, unsigned char out[MERKLE_HASH_LEN]);
	void *ctx;
};

/* The root of the subtree over leaves [start, start + n), n >= 1, start a multiple of the
 * smallest power of two >= n (as every subtree of the RFC recursion is). */
int merkle_subtree_root(const struct merkle_nodes *src, uint64_t start, uint64_t n,
                        unsigned char out[MERKLE_HASH_LEN]);
/* The root of the tree of the given size (0: the empty root). */
int merkle_tree_root(const struct merkle_nodes *src, uint64_t size,
                     unsigned char out[MERKLE_HASH_LEN]);

/*
 * The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf index in the tree of the
 * given size, deepest sibling first. Proofs are hashes one after the other: proof has room
 * for MERKLE_MAX_PROOF of them and *ret_n is how many were written. -ERR_INVALID unless index <
 * size.
 */
int merkle_inclusion_proof(const struct merkle_nodes *src, uint64_t index, uint64_t size,
                           unsigned char *proof, size_t *ret_n);
/* RFC 9162 §2.1.3.2: true when proof shows that leaf is at index in the tree with root. */
bool merkle_verify_inclusion(const unsigned char leaf[MERKLE_HASH_LEN], uint64_t index,
                             uint64_t size, const unsigned char *proof, size_t n,
                             const unsigned char root[MERKLE_HASH_LEN]);

/*
 * The consistency proof (RFC 9162 §2.1.4.1) between the trees of sizes first <= second.
 * Empty when first is 0 or equal to second. -ERR_INVALID when first > second.
 */
int merkle_consistency_proof(const struct merkle_nodes *src, uint64_t first, uint64_t second,
                             unsigned char *proof, size_t *ret_n);
/*
 * RFC 9162 §2.1.4.2: true when proof shows that the tree of size second (root2) extends the
 * tree of size first (root1). first == second needs an empty proof and equal roots;
 * first == 0 needs an empty proof (every tree extends the empty one).
 */
bool merkle_verify_consistency(uint64_t first, uint64_t second,
                               const unsigned char root1[MERKLE_HASH_LEN],
                               const unsigned char root2[MERKLE_HASH_LEN],
                               const unsigned char *proof, size_t n);

/*
 * The frontier of a tree growing from leaf 0: h[i] is the perfect subtree for the i-th set
 * bit of size, from the most significant. nodes_hashed counts the node hashes computed.
 */
struct merkle_frontier {
	uint64_t size;
	uint64_t nodes_hashed;
	unsigned count;
	unsigned char h[MERKLE_MAX_LEVELS][MERKLE_HASH_LEN];
};

void merkle_frontier_init(struct merkle_frontier *f);
/*
 * Appends one leaf hash. on_node (may be NULL) sees every perfect subtree completed by it,
 * the leaf itself (level 0) first, then the merged nodes upwards; a negative return from it
 * stops the push (the frontier is then unusable) and is returned.
 */
int merkle_frontier_push(struct merkle_frontier *f, const unsigned char leaf[MERKLE_HASH_LEN],
                         int (*on_node)(void *ctx, unsigned level, uint64_t idx,
                                        const unsigned char h[MERKLE_HASH_LEN]),
                         void *ctx);
/* The root at the current size (the empty root at size 0). Adds its node hashes to
 * nodes_hashed. */
void merkle_frontier_root(struct merkle_frontier *f, unsigned char out[MERKLE_HASH_LEN]);

#endif
