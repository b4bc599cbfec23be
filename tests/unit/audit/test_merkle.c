/*
 * test_merkle.c: RFC 9162 hashing, proofs and the frontier (src/audit/merkle.c).
 *
 * Known-answer vectors: the Certificate Transparency reference leaves and the roots,
 * inclusion and consistency proofs of transparency-dev/merkle proof/verify_test.go (the
 * suite the Go and C++ CT implementations share). Property tests: every proof of every
 * tree of size 1..300 verifies, and a flipped bit anywhere makes it fail.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit/merkle.h"
#include "core/err.h"
#include "core/util.h"

#define H MERKLE_HASH_LEN

/* --- helpers -------------------------------------------------------------------------- */

static void unhex(const char *s, unsigned char *out, size_t n)
{
	cr_assert_eq(hex_decode(s, out, n), 0, "bad hex in test: %s", s);
}

static void assert_hash(const unsigned char *got, const char *want_hex, const char *what)
{
	char hex[2 * H + 1];

	hex_encode(got, H, hex);
	cr_assert_str_eq(hex, want_hex, "%s", what);
}

/* All perfect subtrees of a tree held in memory, as audit_tree holds them. */
struct memtree {
	uint64_t n;
	unsigned char *lv[MERKLE_MAX_LEVELS];
	uint64_t cnt[MERKLE_MAX_LEVELS];
	int lookups;
};

static void memtree_build(struct memtree *t, const unsigned char *leaves, uint64_t n)
{
	unsigned l;
	uint64_t i;

	memset(t, 0, sizeof(*t));
	t->n = n;
	t->cnt[0] = n;
	t->lv[0] = malloc(n * H + 1);
	memcpy(t->lv[0], leaves, n * H);
	for (l = 1; l < MERKLE_MAX_LEVELS && t->cnt[l - 1] >= 2; l++) {
		t->cnt[l] = t->cnt[l - 1] / 2;
		t->lv[l] = malloc(t->cnt[l] * H);
		for (i = 0; i < t->cnt[l]; i++)
			merkle_node_hash(t->lv[l - 1] + 2 * i * H, t->lv[l - 1] + (2 * i + 1) * H,
			                 t->lv[l] + i * H);
	}
}

static void memtree_free(struct memtree *t)
{
	unsigned l;

	for (l = 0; l < MERKLE_MAX_LEVELS; l++)
		free(t->lv[l]);
}

static int memtree_get(void *ctx, unsigned level, uint64_t idx, unsigned char out[H])
{
	struct memtree *t = ctx;

	t->lookups++;
	if (level >= MERKLE_MAX_LEVELS || idx >= t->cnt[level])
		return -ERR_NOT_FOUND;
	memcpy(out, t->lv[level] + idx * H, H);
	return 0;
}

static struct merkle_nodes memtree_src(struct memtree *t)
{
	return (struct merkle_nodes){ .get = memtree_get, .ctx = t };
}

/* Deterministic PRNG (rand() is banned), xorshift64*. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/* --- RFC 6962 / 9162 reference vectors ------------------------------------------------- */

static const char *const ct_leaves[8] = {
	"",
	"00",
	"10",
	"2021",
	"3031",
	"40414243",
	"5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* Roots of the trees of sizes 0..8 over ct_leaves. */
static const char *const ct_roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct proof_vector {
	uint64_t a, b; /* inclusion: leaf (1-based), size; consistency: size1, size2 */
	int n;
	const char *p[4];
};

static const struct proof_vector inclusion_vectors[] = {
	{ 1, 1, 0, { NULL } },
	{ 1,
	  8,
	  3,
	  { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6,
	  8,
	  3,
	  { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 3, 3, 1, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
	{ 2,
	  5,
	  3,
	  { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

static const struct proof_vector consistency_vectors[] = {
	{ 1, 1, 0, { NULL } },
	{ 1,
	  8,
	  3,
	  { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6,
	  8,
	  3,
	  { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2,
	  5,
	  2,
	  { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
	{ 6,
	  7,
	  3,
	  { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

static unsigned char ct_leaf_hashes[8 * H];
static struct memtree ct_tree;

static void ct_setup(void)
{
	unsigned char data[16];
	size_t i;

	cr_assert(sodium_init() >= 0);
	for (i = 0; i < 8; i++) {
		size_t n = strlen(ct_leaves[i]) / 2;

		unhex(ct_leaves[i], data, n);
		merkle_leaf_hash(data, n, ct_leaf_hashes + i * H);
	}
	memtree_build(&ct_tree, ct_leaf_hashes, 8);
}

static void ct_teardown(void)
{
	memtree_free(&ct_tree);
}

TestSuite(merkle, .init = ct_setup, .fini = ct_teardown);

static void root_of(uint64_t size, unsigned char out[H])
{
	unhex(ct_roots[size], out, H);
}

Test(merkle, empty_root_is_sha256_of_nothing)
{
	unsigned char r[H];

	merkle_empty_root(r);
	assert_hash(r, ct_roots[0], "empty root");
	merkle_root(ct_leaf_hashes, 0, r);
	assert_hash(r, ct_roots[0], "merkle_root of no leaves");
}

Test(merkle, leaf_and_node_prefixes)
{
	unsigned char a[H], b[H], r[H];

	/* Size 1: the root is the leaf hash SHA-256(0x00). Size 2: SHA-256(0x01||a||b). */
	merkle_leaf_hash("", 0, a);
	assert_hash(a, ct_roots[1], "leaf hash of the empty entry");
	merkle_leaf_hash("\x00", 1, b);
	merkle_node_hash(a, b, r);
	assert_hash(r, ct_roots[2], "node hash");
}

Test(merkle, rfc6962_roots_for_sizes_1_to_8)
{
	struct merkle_nodes src = memtree_src(&ct_tree);
	struct merkle_frontier f;
	unsigned char r[H];
	uint64_t n;

	merkle_frontier_init(&f);
	for (n = 1; n <= 8; n++) {
		merkle_root(ct_leaf_hashes, n, r);
		assert_hash(r, ct_roots[n], "merkle_root");
		cr_assert_eq(merkle_tree_root(&src, n, r), 0);
		assert_hash(r, ct_roots[n], "merkle_tree_root from subtrees");
		cr_assert_eq(merkle_frontier_push(&f, ct_leaf_hashes + (n - 1) * H, NULL, NULL), 0);
		merkle_frontier_root(&f, r);
		assert_hash(r, ct_roots[n], "frontier root");
	}
}

Test(merkle, split_is_the_largest_power_of_two_below_n)
{
	cr_assert_eq(merkle_split(2), 1);
	cr_assert_eq(merkle_split(3), 2);
	cr_assert_eq(merkle_split(4), 2);
	cr_assert_eq(merkle_split(5), 4);
	cr_assert_eq(merkle_split(8), 4);
	cr_assert_eq(merkle_split(9), 8);
	cr_assert_eq(merkle_split(1000), 512);
	cr_assert_eq(merkle_split((1ull << 40) + 1), 1ull << 40);
}

static void vector_proof(const struct proof_vector *v, unsigned char *out)
{
	int i;

	for (i = 0; i < v->n; i++)
		unhex(v->p[i], out + i * H, H);
}

/* The corruptions of transparency-dev/merkle corruptInclusionProof, where our fixed-size
 * hashes can express them. */
static void check_inclusion_probes(uint64_t index, uint64_t size, const unsigned char *proof,
                                   size_t n, const unsigned char *root, const unsigned char *leaf)
{
	unsigned char p[(MERKLE_MAX_PROOF + 2) * H], bad[H], some[H];
	size_t i;

	unhex("abacaba000000000000000000000000000000000000000000060061e00123456", some, H);
	cr_assert(merkle_verify_inclusion(leaf, index, size, proof, n, root));
	cr_assert_not(merkle_verify_inclusion(leaf, index - 1, size, proof, n, root));
	cr_assert_not(merkle_verify_inclusion(leaf, index + 1, size, proof, n, root));
	cr_assert_not(merkle_verify_inclusion(leaf, index ^ 2, size, proof, n, root));
	cr_assert_not(merkle_verify_inclusion(leaf, index, size * 2, proof, n, root));
	cr_assert_not(merkle_verify_inclusion(leaf, index, size / 2, proof, n, root));
	merkle_leaf_hash("WrongLeaf", 9, bad);
	cr_assert_not(merkle_verify_inclusion(bad, index, size, proof, n, root));
	merkle_empty_root(bad);
	cr_assert_not(merkle_verify_inclusion(leaf, index, size, proof, n, bad));
	cr_assert_not(merkle_verify_inclusion(leaf, index, size, proof, n, some));
	/* trailing and preceding extra hashes */
	memcpy(p, proof, n * H);
	memcpy(p + n * H, root, H);
	cr_assert_not(merkle_verify_inclusion(leaf, index, size, p, n + 1, root));
	memset(p + n * H, 0, H);
	cr_assert_not(merkle_verify_inclusion(leaf, index, size, p, n + 1, root));
	memcpy(p, root, H);
	memcpy(p + H, proof, n * H);
	cr_assert_not(merkle_verify_inclusion(leaf, index, size, p, n + 1, root));
	for (i = 0; i < n; i++) {
		memcpy(p, proof, n * H);
		p[i * H] ^= 8;
		cr_assert_not(merkle_verify_inclusion(leaf, index, size, p, n, root));
	}
	if (n > 0)
		cr_assert_not(merkle_verify_inclusion(leaf, index, size, proof, n - 1, root));
	if (n > 1) {
		/* "inserted component": proof[0], some, proof[1:] */
		memcpy(p, proof, H);
		memcpy(p + H, some, H);
		memcpy(p + 2 * H, proof + H, (n - 1) * H);
		cr_assert_not(merkle_verify_inclusion(leaf, index, size, p, n + 1, root));
	}
}

Test(merkle, rfc6962_inclusion_proofs)
{
	struct merkle_nodes src = memtree_src(&ct_tree);
	unsigned char want[4 * H], got[MERKLE_MAX_PROOF * H], root[H];
	size_t i, n;

	for (i = 0; i < sizeof(inclusion_vectors) / sizeof(inclusion_vectors[0]); i++) {
		const struct proof_vector *v = &inclusion_vectors[i];
		struct memtree sub;

		/* Proofs of a tree of size b need the subtrees of exactly that tree. */
		memtree_build(&sub, ct_leaf_hashes, v->b);
		src = memtree_src(&sub);
		vector_proof(v, want);
		root_of(v->b, root);
		cr_assert_eq(merkle_inclusion_proof(&src, v->a - 1, v->b, got, &n), 0);
		cr_assert_eq(n, (size_t)v->n, "proof length for leaf %lu of %lu",
		             (unsigned long)v->a, (unsigned long)v->b);
		cr_assert_arr_eq(got, want, n * H, "proof for leaf %lu of %lu", (unsigned long)v->a,
		                 (unsigned long)v->b);
		check_inclusion_probes(v->a - 1, v->b, want, n, root,
		                       ct_leaf_hashes + (v->a - 1) * H);
		memtree_free(&sub);
	}
}

Test(merkle, inclusion_rejects_impossible_positions)
{
	unsigned char some[H], empty[H];

	unhex("abacaba000000000000000000000000000000000000000000060061e00123456", some, H);
	merkle_empty_root(empty);
	/* (index, size) = (0,0) (0,1)... with an empty proof: only a real one-leaf tree works */
	cr_assert_not(merkle_verify_inclusion(some, 0, 0, NULL, 0, empty));
	cr_assert_not(merkle_verify_inclusion(some, 1, 0, NULL, 0, some));
	cr_assert_not(merkle_verify_inclusion(some, 2, 1, NULL, 0, some));
	cr_assert_not(merkle_verify_inclusion(some, 0, 1, NULL, 0, empty));
	cr_assert(merkle_verify_inclusion(some, 0, 1, NULL, 0, some));
}

static void check_consistency_probes(uint64_t s1, uint64_t s2, const unsigned char *r1,
                                     const unsigned char *r2, const unsigned char *proof, size_t n)
{
	unsigned char p[(MERKLE_MAX_PROOF + 2) * H], bad[H];
	size_t i;

	cr_assert(merkle_verify_consistency(s1, s2, r1, r2, proof, n));
	if (n == 0)
		return;
	cr_assert_not(merkle_verify_consistency(s1 - 1, s2, r1, r2, proof, n));
	cr_assert_not(merkle_verify_consistency(s1 + 1, s2, r1, r2, proof, n));
	cr_assert_not(merkle_verify_consistency(s1 ^ 2, s2, r1, r2, proof, n));
	cr_assert_not(merkle_verify_consistency(s1, s2 * 2, r1, r2, proof, n));
	cr_assert_not(merkle_verify_consistency(s1, s2 / 2, r1, r2, proof, n));
	merkle_leaf_hash("WrongRoot", 9, bad);
	cr_assert_not(merkle_verify_consistency(s1, s2, bad, r2, proof, n));
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, bad, proof, n));
	cr_assert_not(merkle_verify_consistency(s1, s2, r2, r1, proof, n));
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, proof, 0));
	memcpy(p, proof, n * H);
	memcpy(p + n * H, r1, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	memcpy(p + n * H, r2, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	memset(p + n * H, 0, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	memcpy(p + H, proof, n * H);
	memcpy(p, r1, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	memcpy(p, r2, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	memcpy(p, proof, H);
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n + 1));
	cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, proof, n - 1));
	for (i = 0; i < n; i++) {
		memcpy(p, proof, n * H);
		p[i * H] ^= 16;
		cr_assert_not(merkle_verify_consistency(s1, s2, r1, r2, p, n));
	}
}

Test(merkle, rfc6962_consistency_proofs)
{
	unsigned char want[4 * H], got[MERKLE_MAX_PROOF * H], r1[H], r2[H];
	size_t i, n;

	for (i = 0; i < sizeof(consistency_vectors) / sizeof(consistency_vectors[0]); i++) {
		const struct proof_vector *v = &consistency_vectors[i];
		struct merkle_nodes src;
		struct memtree sub;

		memtree_build(&sub, ct_leaf_hashes, v->b);
		src = memtree_src(&sub);
		vector_proof(v, want);
		root_of(v->a, r1);
		root_of(v->b, r2);
		cr_assert_eq(merkle_consistency_proof(&src, v->a, v->b, got, &n), 0);
		cr_assert_eq(n, (size_t)v->n, "proof length %lu -> %lu", (unsigned long)v->a,
		             (unsigned long)v->b);
		cr_assert_arr_eq(got, want, n * H, "proof %lu -> %lu", (unsigned long)v->a,
		                 (unsigned long)v->b);
		check_consistency_probes(v->a, v->b, r1, r2, want, n);
		memtree_free(&sub);
	}
}

Test(merkle, consistency_edge_cases)
{
	unsigned char a[H], b[H], empty[H], proof[H];

	merkle_leaf_hash("a", 1, a);
	merkle_leaf_hash("b", 1, b);
	merkle_empty_root(empty);
	memcpy(proof, empty, H);
	/* equal sizes: equal roots and an empty proof */
	cr_assert(merkle_verify_consistency(0, 0, a, a, NULL, 0));
	cr_assert(merkle_verify_consistency(1, 1, b, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(0, 0, a, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(1, 1, a, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(1, 1, empty, empty, proof, 1));
	cr_assert_not(merkle_verify_consistency(0, 0, empty, empty, proof, 1));
	/* every tree extends the empty one, with an empty proof */
	cr_assert(merkle_verify_consistency(0, 1, a, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(0, 1, empty, empty, proof, 1));
	/* time travel and missing proofs */
	cr_assert_not(merkle_verify_consistency(1, 0, a, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(2, 1, a, b, NULL, 0));
	cr_assert_not(merkle_verify_consistency(1, 2, a, b, NULL, 0));
}

Test(merkle, proof_generation_rejects_bad_arguments)
{
	struct merkle_nodes src = memtree_src(&ct_tree);
	unsigned char p[MERKLE_MAX_PROOF * H];
	size_t n = 99;

	cr_assert_eq(merkle_inclusion_proof(&src, 8, 8, p, &n), -ERR_INVALID);
	cr_assert_eq(merkle_inclusion_proof(&src, 0, 0, p, &n), -ERR_INVALID);
	cr_assert_eq(merkle_consistency_proof(&src, 5, 4, p, &n), -ERR_INVALID);
	cr_assert_eq(n, 99, "ret_n is written only on success");
	/* a node the source does not have is passed on */
	cr_assert_eq(merkle_inclusion_proof(&src, 0, 9, p, &n), -ERR_NOT_FOUND);
	cr_assert_eq(merkle_consistency_proof(&src, 0, 8, p, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(merkle_consistency_proof(&src, 8, 8, p, &n), 0);
	cr_assert_eq(n, 0);
}

/* --- properties ----------------------------------------------------------------------- */

#define PROP_MAX 300

static unsigned char prop_leaves[PROP_MAX * H];

static void prop_init(void)
{
	uint64_t i;

	for (i = 0; i < PROP_MAX; i++) {
		uint64_t v = rng();

		merkle_leaf_hash(&v, sizeof(v), prop_leaves + i * H);
	}
}

Test(merkle, property_frontier_matches_recursive_root_and_reports_every_node)
{
	struct merkle_frontier f;
	unsigned char r1[H], r2[H];
	uint64_t n;

	prop_init();
	merkle_frontier_init(&f);
	for (n = 1; n <= PROP_MAX; n++) {
		cr_assert_eq(merkle_frontier_push(&f, prop_leaves + (n - 1) * H, NULL, NULL), 0);
		merkle_frontier_root(&f, r1);
		merkle_root(prop_leaves, n, r2);
		cr_assert_arr_eq(r1, r2, H, "frontier root at size %lu", (unsigned long)n);
		cr_assert_eq(f.size, n);
	}
}

struct seen {
	struct memtree *t;
	int nodes;
};

static int check_node(void *ctx, unsigned level, uint64_t idx, const unsigned char h[H])
{
	struct seen *s = ctx;
	unsigned char want[H];

	cr_assert_eq(memtree_get(s->t, level, idx, want), 0, "node %u/%lu exists", level,
	             (unsigned long)idx);
	cr_assert_arr_eq(h, want, H, "node %u/%lu", level, (unsigned long)idx);
	s->nodes++;
	return 0;
}

static int stop_at_level_2(void *ctx, unsigned level, uint64_t idx, const unsigned char h[H])
{
	(void)ctx;
	(void)idx;
	(void)h;
	return level == 2 ? -ERR_CONFLICT : 0;
}

Test(merkle, frontier_callbacks_see_each_perfect_subtree_once)
{
	struct memtree t;
	struct merkle_frontier f;
	struct seen s;
	uint64_t i;

	prop_init();
	memtree_build(&t, prop_leaves, PROP_MAX);
	s.t = &t;
	s.nodes = 0;
	merkle_frontier_init(&f);
	for (i = 0; i < PROP_MAX; i++)
		cr_assert_eq(merkle_frontier_push(&f, prop_leaves + i * H, check_node, &s), 0);
	/* a tree of n leaves has n - popcount(n) inner perfect subtrees plus n leaves */
	cr_assert_eq(s.nodes, 2 * PROP_MAX - __builtin_popcount(PROP_MAX));
	merkle_frontier_init(&f);
	for (i = 0; i < 3; i++)
		cr_assert_eq(merkle_frontier_push(&f, prop_leaves + i * H, stop_at_level_2, NULL),
		             0);
	cr_assert_eq(merkle_frontier_push(&f, prop_leaves + 3 * H, stop_at_level_2, NULL),
	             -ERR_CONFLICT);
	memtree_free(&t);
}

Test(merkle, property_every_proof_of_every_size_verifies)
{
	unsigned char p[MERKLE_MAX_PROOF * H], root[MERKLE_HASH_LEN], r1[H];
	uint64_t n, i;
	size_t np;

	prop_init();
	for (n = 1; n <= PROP_MAX; n++) {
		struct memtree t;
		struct merkle_nodes src;

		memtree_build(&t, prop_leaves, n);
		src = memtree_src(&t);
		cr_assert_eq(merkle_tree_root(&src, n, root), 0);
		for (i = 0; i < n; i++) {
			cr_assert_eq(merkle_inclusion_proof(&src, i, n, p, &np), 0);
			cr_assert(merkle_verify_inclusion(prop_leaves + i * H, i, n, p, np, root),
			          "inclusion of %lu in %lu", (unsigned long)i, (unsigned long)n);
		}
		for (i = 0; i <= n; i++) {
			merkle_root(prop_leaves, i, r1);
			cr_assert_eq(merkle_consistency_proof(&src, i, n, p, &np), 0);
			cr_assert(merkle_verify_consistency(i, n, r1, root, p, np),
			          "consistency %lu -> %lu", (unsigned long)i, (unsigned long)n);
		}
		memtree_free(&t);
	}
}

static void flip(unsigned char *p, size_t bit)
{
	p[bit / 8] ^= (unsigned char)(1u << (bit % 8));
}

Test(merkle, property_any_flipped_bit_fails_verification)
{
	unsigned char p[MERKLE_MAX_PROOF * H], root[H], r1[H], leaf[H];
	uint64_t n, i, m;
	size_t np, b;

	prop_init();
	for (n = 1; n <= PROP_MAX; n++) {
		struct memtree t;
		struct merkle_nodes src;

		/* every size up to 32, then a random third of the others */
		if (n > 32 && rng() % 3 != 0)
			continue;
		memtree_build(&t, prop_leaves, n);
		src = memtree_src(&t);
		cr_assert_eq(merkle_tree_root(&src, n, root), 0);
		i = rng() % n;
		memcpy(leaf, prop_leaves + i * H, H);
		cr_assert_eq(merkle_inclusion_proof(&src, i, n, p, &np), 0);
		for (b = 0; b < np * H * 8; b++) {
			flip(p, b);
			cr_assert_not(merkle_verify_inclusion(leaf, i, n, p, np, root),
			              "inclusion %lu/%lu, proof bit %zu", (unsigned long)i,
			              (unsigned long)n, b);
			flip(p, b);
		}
		for (b = 0; b < H * 8; b++) {
			flip(leaf, b);
			cr_assert_not(merkle_verify_inclusion(leaf, i, n, p, np, root));
			flip(leaf, b);
			flip(root, b);
			cr_assert_not(merkle_verify_inclusion(leaf, i, n, p, np, root));
			flip(root, b);
		}
		cr_assert(merkle_verify_inclusion(leaf, i, n, p, np, root));
		if (n < 2) {
			memtree_free(&t);
			continue;
		}
		m = 1 + rng() % (n - 1); /* 0 < m < n: a non-trivial proof */
		merkle_root(prop_leaves, m, r1);
		cr_assert_eq(merkle_consistency_proof(&src, m, n, p, &np), 0);
		cr_assert_gt(np, 0);
		for (b = 0; b < np * H * 8; b++) {
			flip(p, b);
			cr_assert_not(merkle_verify_consistency(m, n, r1, root, p, np),
			              "consistency %lu -> %lu, proof bit %zu", (unsigned long)m,
			              (unsigned long)n, b);
			flip(p, b);
		}
		for (b = 0; b < H * 8; b++) {
			flip(r1, b);
			cr_assert_not(merkle_verify_consistency(m, n, r1, root, p, np));
			flip(r1, b);
			flip(root, b);
			cr_assert_not(merkle_verify_consistency(m, n, r1, root, p, np));
			flip(root, b);
		}
		cr_assert(merkle_verify_consistency(m, n, r1, root, p, np));
		memtree_free(&t);
	}
}

Test(merkle, subtree_root_refuses_misaligned_ranges)
{
	struct merkle_nodes src = memtree_src(&ct_tree);
	unsigned char r[H];

	cr_assert_eq(merkle_subtree_root(&src, 1, 2, r), -ERR_INVALID);
	cr_assert_eq(merkle_subtree_root(&src, 0, 0, r), -ERR_INVALID);
	cr_assert_eq(merkle_subtree_root(&src, 4, 3, r), 0);
	cr_assert_eq(merkle_subtree_root(&src, 0, 8, r), 0);
	assert_hash(r, ct_roots[8], "subtree root of the whole tree");
}
