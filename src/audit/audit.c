/*
 * audit.c: writing the audit trail. audit_append() turns an event into its canonical
 * entry (jansson, sorted keys, compact), stores it as leaf seq-1 and adds the perfect
 * subtrees it completes to audit_tree, all inside the caller's transaction. The signing
 * key lives in DIR/keys (audit.key 0600, audit.pub); audit_checkpoint() signs the tree
 * head as a C2SP checkpoint, never one that is inconsistent with the last it signed.
 *
 * Cost of an append: one MAX(seq) lookup, two inserts, and on average one node read and
 * one node insert for the merges (the number of trailing one bits of the old size).
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/util.h"
#include "audit/audit_int.h"
#include "store/store.h"

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#define AUDIT_ENTRY_MAX (16u << 20) /* bytes of one canonical entry */
#define KEY_FILE_MAX    1024

static bool outcome_valid(const char *o)
{
	return STREQ(o, "success") || STREQ(o, "failure") || STREQ(o, "denied");
}

/* Adds key = string s (or JSON null when s is NULL); -ERR_INVALID when s is not UTF-8. */
static int set_string(json_t *o, const char *key, const char *s)
{
	json_t *v = s ? json_string(s) : json_null();

	if (!v)
		return -ERR_INVALID;
	return json_object_set_new(o, key, v) == 0 ? 0 : -ERR_INTERNAL;
}

static int set_int(json_t *o, const char *key, int64_t v)
{
	return json_object_set_new(o, key, json_integer(v)) == 0 ? 0 : -ERR_INTERNAL;
}

/* The canonical entry text of ev at seq (caller frees). */
static int entry_encode(const struct audit_event *ev, int64_t seq, int64_t now, char **ret,
                        size_t *ret_len)
{
	const struct actor *a = ev->actor;
	const char *outcome = ev->outcome ? ev->outcome : "success";
	char when[RFC3339_LEN];
	json_t *o = json_object();
	char *text = NULL;
	int r;

	if (!ev->action || !*ev->action || !outcome_valid(outcome)) {
		r = -ERR_INVALID;
		goto out;
	}
	time_format_rfc3339(now, when);
	r = set_int(o, "seq", seq);
	if (r == 0)
		r = set_int(o, "actor_id", a ? a->user_id : 0);
	if (r == 0)
		r = set_string(o, "time", when);
	if (r == 0)
		r = set_string(o, "actor", a && a->username ? a->username : "system");
	if (r == 0)
		r = set_string(o, "source", a && a->source ? a->source : "system");
	if (r == 0)
		r = set_string(o, "action", ev->action);
	if (r == 0)
		r = set_string(o, "object", ev->object);
	if (r == 0)
		r = set_string(o, "outcome", outcome);
	if (r < 0)
		goto out;
	/* json_object_set takes its own reference: the event's values stay borrowed. */
	if ((ev->before && json_object_set(o, "before", ev->before) != 0) ||
	    (ev->after && json_object_set(o, "after", ev->after) != 0) ||
	    (ev->detail && json_object_set(o, "detail", ev->detail) != 0)) {
		r = -ERR_INTERNAL;
		goto out;
	}
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		r = -ERR_INVALID;
		goto out;
	}
	if (strlen(text) > AUDIT_ENTRY_MAX) {
		free(text);
		r = -ERR_TOO_LARGE;
		goto out;
	}
	*ret_len = strlen(text);
	*ret = text;
	r = 0;
out:
	json_decref(o);
	return r;
}

int audit_append(struct store *st, const struct audit_event *ev)
{
	unsigned char h[MERKLE_HASH_LEN], sib[MERKLE_HASH_LEN];
	char *entry = NULL;
	size_t len = 0;
	int64_t size;
	uint64_t idx;
	unsigned level = 0;
	int r;

	if (!store_in_tx(st))
		return -ERR_INTERNAL;
	r = audit_store_size(st, &size);
	if (r < 0)
		goto out;
	r = entry_encode(ev, size + 1, clock_now(), &entry, &len);
	if (r < 0)
		goto out;
	r = audit_store_entry_put(st, size + 1, entry, len);
	if (r < 0)
		goto out;
	merkle_leaf_hash(entry, len, h);
	idx = (uint64_t)size;
	r = audit_store_node_put(st, 0, idx, h);
	/* Each trailing one bit of the old size is a left sibling this leaf completes. */
	while (r == 0 && (idx & 1)) {
		r = audit_store_node_get(st, level, idx - 1, sib);
		if (r == -ERR_NOT_FOUND)
			r = -ERR_CONFLICT; /* the tree was damaged: refuse to build on it */
		if (r < 0)
			break;
		merkle_node_hash(sib, h, h);
		level++;
		idx >>= 1;
		r = audit_store_node_put(st, level, idx, h);
	}
out:
	free(entry);
	return r;
}

int audit_change(struct store *st, struct audit_event ev)
{
	int r = audit_append(st, &ev);

	json_decref(ev.before);
	json_decref(ev.after);
	json_decref(ev.detail);
	return r;
}

const char *audit_object(char *buf, const char *kind, int64_t id)
{
	(void)snprintf(buf, AUDIT_OBJECT_MAX, "%s:%" PRId64, kind, id);
	return buf;
}

int audit_record(struct store *st, const struct audit_event *ev)
{
	int r;

	r = store_begin(st);
	if (r < 0)
		return r;
	r = audit_append(st, ev);
	if (r < 0) {
		store_rollback(st);
		return r;
	}
	return store_commit(st);
}

int audit_size(struct store *st, int64_t *ret_size)
{
	return audit_store_size(st, ret_size);
}

/* --- keys ------------------------------------------------------------------------- */

int audit_keys_create(const char *keys_dir, const char *name)
{
	unsigned char seed[NOTE_SEED_LEN];
	struct note_signer sg;
	char *key_path = NULL, *pub_path = NULL, *skey = NULL, *vkey = NULL, *text = NULL;
	int r;

	if (sodium_init() < 0)
		return -ERR_INTERNAL;
	if (!note_name_valid(name))
		return -ERR_INVALID;
	key_path = fs_join(keys_dir, "audit.key");
	pub_path = fs_join(keys_dir, "audit.pub");
	r = fs_mkdir(keys_dir, 0700);
	if (r < 0)
		goto out;
	if (fs_exists(key_path)) {
		r = -ERR_CONFLICT; /* never replace a signing key: old checkpoints need it */
		goto out;
	}
	randombytes_buf(seed, sizeof(seed));
	r = note_signer_from_seed(name, seed, &sg);
	sodium_memzero(seed, sizeof(seed));
	if (r < 0)
		goto out;
	skey = note_signer_encode(&sg);
	vkey = note_signer_verifier(&sg);
	note_signer_wipe(&sg);
	text = xasprintf("%s\n", skey);
	r = fs_write_atomic(key_path, text, strlen(text), 0600);
	if (r < 0)
		goto out;
	free(text);
	text = xasprintf("%s\n", vkey);
	r = fs_write_atomic(pub_path, text, strlen(text), 0600);
out:
	if (skey) {
		sodium_memzero(skey, strlen(skey));
		free(skey);
	}
	if (text) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	free(vkey);
	free(key_path);
	free(pub_path);
	return r;
}

/* Parses a signing key read from a file or descriptor. */
static int signer_parse(struct buf *b, struct audit_signer **ret_sg)
{
	struct audit_signer *sg = xcalloc(1, sizeof(*sg));
	int r = note_signer_parse(b->data, &sg->key);

	if (r < 0) {
		audit_signer_free(sg);
		return r;
	}
	sg->verifier = note_signer_verifier(&sg->key);
	*ret_sg = sg;
	return 0;
}

int audit_signer_load_file(const char *path, struct audit_signer **ret_sg)
{
	struct buf b = BUF_INIT(KEY_FILE_MAX);
	struct stat sb;
	int r;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
	if (sb.st_mode & (S_IRWXG | S_IRWXO))
		return -ERR_FORBIDDEN; /* a signing key others can read is no longer ours alone */
	r = fs_read(path, KEY_FILE_MAX, &b);
	if (r == 0)
		r = signer_parse(&b, ret_sg);
	buf_release_secret(&b);
	return r;
}

int audit_signer_load(const char *keys_dir, struct audit_signer **ret_sg)
{
	char *path = fs_join(keys_dir, "audit.key");
	int r = audit_signer_load_file(path, ret_sg);

	free(path);
	return r;
}

int audit_signer_load_fd(int fd, struct audit_signer **ret_sg)
{
	struct buf b = BUF_INIT(KEY_FILE_MAX);
	char chunk[256];
	ssize_t n;
	int r = 0;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || buf_add(&b, chunk, (size_t)n) < 0) {
			r = n < 0 ? -ERR_INTERNAL : -ERR_TOO_LARGE;
			break;
		}
	}
	sodium_memzero(chunk, sizeof(chunk));
	(void)close(fd);
	if (r == 0)
		r = signer_parse(&b, ret_sg);
	buf_release_secret(&b);
	return r;
}

int audit_verifier_load(const char *keys_dir, char **ret_verifier)
{
	struct buf b = BUF_INIT(KEY_FILE_MAX);
	struct note_verifier v;
	char *path = fs_join(keys_dir, "audit.pub");
	int r = fs_read(path, KEY_FILE_MAX, &b);

	free(path);
	if (r == 0) {
		b.data[strcspn(b.data, "\r\n")] = '\0';
		r = note_verifier_parse(b.data, &v);
	}
	if (r == 0)
		*ret_verifier = xstrdup(b.data);
	buf_release(&b);
	return r;
}

void audit_signer_free(struct audit_signer *sg)
{
	if (!sg)
		return;
	note_signer_wipe(&sg->key);
	free(sg->verifier);
	free(sg);
}

const char *audit_signer_verifier(const struct audit_signer *sg)
{
	return sg->verifier;
}

/* --- checkpoints ------------------------------------------------------------------ */

/* Signs and stores the checkpoint of the tree at size, inside the open transaction. */
static int checkpoint_sign(struct store *st, struct audit_signer *sg, int64_t size, char **ret_note)
{
	struct merkle_nodes src = audit_store_nodes(st);
	unsigned char root[MERKLE_HASH_LEN];
	char *text = NULL, *note = NULL;
	int r;

	r = merkle_tree_root(&src, (uint64_t)size, root);
	if (r == -ERR_NOT_FOUND)
		r = -ERR_CONFLICT;
	if (r < 0)
		goto out;
	text = note_checkpoint_text(sg->key.name, (uint64_t)size, root);
	if (!text) {
		r = -ERR_INTERNAL;
		goto out;
	}
	r = note_sign(&sg->key, text, &note);
	if (r < 0)
		goto out;
	r = audit_store_checkpoint_put(st, size, root, note, clock_now());
	if (r < 0)
		goto out;
	*ret_note = note;
	note = NULL;
out:
	free(text);
	free(note);
	return r;
}

int audit_checkpoint(struct store *st, struct audit_signer *sg, char **ret_note)
{
	unsigned char last_root[MERKLE_HASH_LEN], root[MERKLE_HASH_LEN];
	struct merkle_nodes src = audit_store_nodes(st);
	int64_t size, last_size = -1;
	char *note = NULL;
	int r;

	if (store_in_tx(st))
		return -ERR_INTERNAL;
	r = store_begin(st);
	if (r < 0)
		return r;
	r = audit_store_size(st, &size);
	if (r < 0)
		goto fail;
	r = audit_store_checkpoint_latest(st, &last_size, last_root, &note);
	if (r < 0 && r != -ERR_NOT_FOUND)
		goto fail;
	if (r == 0) {
		/* c2sp tlog-checkpoint: never sign a head inconsistent with an earlier one. A
		 * shorter log, or a tree that no longer contains the signed one, is damage. */
		if (size < last_size) {
			r = -ERR_CONFLICT;
			goto fail;
		}
		r = merkle_tree_root(&src, (uint64_t)last_size, root);
		if (r == -ERR_NOT_FOUND || (r == 0 && memcmp(root, last_root, sizeof(root)) != 0))
			r = -ERR_CONFLICT;
		if (r < 0)
			goto fail;
	}
	if (size != last_size && sg) {
		free(note);
		note = NULL;
		r = checkpoint_sign(st, sg, size, &note);
		if (r < 0)
			goto fail;
	}
	r = store_commit(st);
	if (r < 0)
		goto out;
	if (!note) {
		r = -ERR_NOT_FOUND; /* nothing signed yet, and no key to sign with */
		goto out;
	}
	*ret_note = note;
	note = NULL;
	goto out;
fail:
	store_rollback(st);
out:
	free(note);
	return r;
}

int audit_checkpoint_latest(struct store *st, char **ret_note)
{
	return audit_store_checkpoint_latest(st, NULL, NULL, ret_note);
}
