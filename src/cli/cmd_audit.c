/*
 * cmd_audit.c: `isms audit`, the operator's view of the audit trail.
 *
 *   isms audit verify --data DIR [--checkpoint FILE] [--key VKEY|FILE]
 *   isms audit checkpoint --data DIR
 *   isms audit proof --data DIR [--size N] SEQ
 *
 * verify recomputes the whole tree (exit 0 intact, 1 damaged or failed); checkpoint signs
 * the current tree head if the log grew and prints the newest checkpoint note, which the
 * operator keeps outside the server; proof prints the inclusion proof of one entry.
 * Usage errors exit 2.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/util.h"
#include "audit/audit.h"
#include "audit/note.h"
#include "cli/cli.h"
#include "store/store.h"

#include <getopt.h>
#include <sodium.h>

#define KEY_FILE_MAX 1024

static const char usage_text[] =
        "usage: isms audit verify --data DIR [--checkpoint FILE] [--key VKEY|FILE]\n"
        "       isms audit checkpoint --data DIR\n"
        "       isms audit proof --data DIR [--size N] SEQ\n"
        "\n"
        "  verify      recompute every entry, tree node and checkpoint; with --checkpoint,\n"
        "              also prove that the log still contains an exported checkpoint\n"
        "  checkpoint  sign the tree head if the log grew; print the newest checkpoint\n"
        "  proof       print the inclusion proof of entry SEQ (in the newest checkpoint,\n"
        "              or in the tree of size N)\n"
        "\n"
        "  --data DIR         the isms data folder\n"
        "  --checkpoint FILE  a checkpoint printed earlier by 'isms audit checkpoint'\n"
        "  --key VKEY|FILE    the audit verifier key (default: DIR/keys/audit.pub)\n";

static int usage(FILE *f, int code)
{
	(void)fputs(usage_text, f);
	return code;
}

struct opts {
	const char *data, *checkpoint, *key, *size;
};

/* Parses the options of a subcommand; returns the index of the first operand, or -1. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "checkpoint", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0; /* GNU: a full re-initialisation, main() may have used getopt */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:c:k:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->data = optarg;
			break;
		case 'c':
			o->checkpoint = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 's':
			o->size = optarg;
			break;
		case 'h':
			return -2;
		default:
			return -1;
		}
	}
	return optind;
}

static int open_data(const char *dir, struct store **ret_st)
{
	char *db = fs_join(dir, "isms.db");
	struct store *st = NULL;
	int r;

	if (!fs_exists(db)) {
		(void)fprintf(stderr, "isms: '%s' is not an isms data folder (no isms.db)\n", dir);
		r = -ERR_NOT_FOUND;
		goto out;
	}
	r = store_open(db, false, &st);
	if (r < 0) {
		(void)fprintf(stderr, "isms: cannot open '%s'\n", db);
		goto out;
	}
	r = store_migrate(st, embedded_migrations, embedded_migrations_count);
	if (r < 0) {
		(void)fprintf(stderr, "isms: cannot bring '%s' up to date\n", db);
		store_free(st);
		goto out;
	}
	*ret_st = st;
	r = 0;
out:
	free(db);
	return r;
}

/* Reads a small text file into b, refusing NUL bytes; prints the problem. */
static int read_text(const char *path, size_t max, const char *what, struct buf *b)
{
	int r = fs_read(path, max, b);

	if (r == -ERR_NOT_FOUND)
		(void)fprintf(stderr, "isms: cannot read %s '%s': No such file\n", what, path);
	else if (r == -ERR_TOO_LARGE)
		(void)fprintf(stderr, "isms: %s '%s' is larger than %zu bytes\n", what, path, max);
	else if (r < 0)
		(void)fprintf(stderr, "isms: cannot read %s '%s'\n", what, path);
	else if (strlen(b->data) != b->len) {
		(void)fprintf(stderr, "isms: %s '%s' contains a NUL byte\n", what, path);
		r = -ERR_INVALID;
	}
	return r;
}

/* The verifier key: --key as a string or a file, else DIR/keys/audit.pub. */
static int load_verifier(const struct opts *o, struct buf *b)
{
	struct note_verifier v;
	char *path = NULL;
	int r;

	if (o->key && note_verifier_parse(o->key, &v) == 0)
		return buf_adds(b, o->key);
	path = o->key ? xstrdup(o->key) : fs_join(o->data, "keys/audit.pub");
	r = read_text(path, KEY_FILE_MAX, "verifier key", b);
	if (r == 0 && note_verifier_parse(b->data, &v) < 0) {
		(void)fprintf(stderr, "isms: '%s' is not a signed-note verifier key\n", path);
		r = -ERR_INVALID;
	}
	free(path);
	return r;
}

static int do_verify(const struct opts *o)
{
	struct buf key = BUF_INIT(KEY_FILE_MAX), cp = BUF_INIT(NOTE_MAX);
	struct audit_verify_result res;
	struct store *st = NULL;
	int r;

	r = open_data(o->data, &st);
	if (r < 0)
		goto out;
	r = load_verifier(o, &key);
	if (r < 0)
		goto out;
	if (o->checkpoint) {
		r = read_text(o->checkpoint, NOTE_MAX, "checkpoint", &cp);
		if (r < 0)
			goto out;
	}
	r = audit_verify(st, key.data, o->checkpoint ? cp.data : NULL, &res);
	if (r == 0) {
		(void)printf("ok: %" PRId64 " entries, %" PRId64 " checkpoints verified\n",
		             res.entries, res.checkpoints);
		/* Say what was proven: a rewrite re-signed with the key beside the log passes
		 * every check but the one against a checkpoint kept outside. */
		if (o->checkpoint)
			(void)printf("authentic since the given checkpoint: the log contains it "
			             "unchanged and extends it\n");
		else
			(void)printf(
			        "consistent, not proven authentic: the entries, the tree and the "
			        "stored checkpoints agree, but whoever holds the signing key can "
			        "rewrite and re-sign them all; give a checkpoint kept outside "
			        "(--checkpoint FILE: the off-site folder, syslog, the "
			        "assessor's copy) to prove nothing changed since\n");
	} else if (r == -ERR_CONFLICT)
		(void)fprintf(stderr, "isms: audit trail damaged: %s\n", res.message);
	else if (res.message[0])
		(void)fprintf(stderr, "isms: cannot verify the audit trail: %s\n", res.message);
	else
		(void)fprintf(stderr, "isms: cannot verify the audit trail: %s\n", err_code(-r));
out:
	store_free(st);
	buf_release(&key);
	buf_release(&cp);
	return r < 0 ? 1 : 0;
}

static int do_checkpoint(const struct opts *o)
{
	struct audit_signer *sg = NULL;
	struct store *st = NULL;
	char *keys = fs_join(o->data, "keys");
	char *note = NULL;
	int r;

	r = audit_signer_load(keys, &sg);
	if (r == -ERR_NOT_FOUND) {
		/* Kept outside the data folder: the newest stored checkpoint, unsigned anew. */
		(void)fprintf(stderr,
		              "isms: no signing key '%s/audit.key' (kept elsewhere, the "
		              "server signs with --audit-key): nothing new is signed\n",
		              keys);
		r = 0;
	}
	if (r == -ERR_FORBIDDEN)
		(void)fprintf(
		        stderr,
		        "isms: '%s/audit.key' is readable by other users; run: chmod 600 '%s/audit.key'\n",
		        keys, keys);
	else if (r < 0)
		(void)fprintf(stderr, "isms: cannot load the audit signing key '%s/audit.key'\n",
		              keys);
	if (r < 0)
		goto out;
	r = open_data(o->data, &st);
	if (r < 0)
		goto out;
	r = audit_checkpoint(st, sg, &note);
	if (r == -ERR_CONFLICT)
		(void)fprintf(
		        stderr,
		        "isms: audit trail damaged: the log no longer contains its last "
		        "checkpoint; nothing was signed (run: isms audit verify --data '%s')\n",
		        o->data);
	else if (r < 0)
		(void)fprintf(stderr, "isms: cannot sign a checkpoint: %s\n", err_code(-r));
	if (r < 0)
		goto out;
	(void)fputs(note, stdout);
out:
	free(note);
	store_free(st);
	audit_signer_free(sg);
	free(keys);
	return r < 0 ? 1 : 0;
}

static int do_proof(const struct opts *o, const char *seq_arg)
{
	struct store *st = NULL;
	json_t *proof = NULL;
	int64_t seq, size = 0;
	char *text = NULL;
	int r;

	if (parse_int64(seq_arg, &seq) < 0 || seq < 1) {
		(void)fprintf(stderr, "isms: '%s' is not an entry number\n", seq_arg);
		return 2;
	}
	if (o->size && (parse_int64(o->size, &size) < 0 || size < 1)) {
		(void)fprintf(stderr, "isms: '%s' is not a tree size\n", o->size);
		return 2;
	}
	r = open_data(o->data, &st);
	if (r < 0)
		goto out;
	r = audit_inclusion_proof(st, seq, size, &proof);
	if (r == -ERR_NOT_FOUND)
		(void)fprintf(stderr, "isms: entry %" PRId64 " is not in the tree%s\n", seq,
		              size ? " of that size" : " of the newest checkpoint");
	else if (r == -ERR_CONFLICT)
		(void)fprintf(stderr, "isms: audit trail damaged: the audit tree is incomplete "
		                      "(run: isms audit verify)\n");
	else if (r < 0)
		(void)fprintf(stderr, "isms: cannot build the proof: %s\n", err_code(-r));
	if (r < 0)
		goto out;
	text = json_dumps(proof, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		(void)printf("%s\n", text);
out:
	free(text);
	json_decref(proof);
	store_free(st);
	return r < 0 ? 1 : 0;
}

int cmd_audit(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *sub;
	int first;

	if (argc < 2)
		return usage(stderr, 2);
	sub = argv[1];
	if (STREQ(sub, "-h") || STREQ(sub, "--help") || STREQ(sub, "help"))
		return usage(stdout, 0);
	first = parse_opts(argc - 1, argv + 1, &o);
	if (first == -2)
		return usage(stdout, 0);
	if (first < 0 || !o.data)
		return usage(stderr, 2);
	first += 1; /* index into argv */
	if (sodium_init() < 0) {
		(void)fprintf(stderr, "isms: cannot initialise libsodium\n");
		return 1;
	}
	if (STREQ(sub, "verify") && first == argc && !o.size)
		return do_verify(&o);
	if (STREQ(sub, "checkpoint") && first == argc && !o.checkpoint && !o.key && !o.size)
		return do_checkpoint(&o);
	if (STREQ(sub, "proof") && first == argc - 1 && !o.checkpoint && !o.key)
		return do_proof(&o, argv[first]);
	return usage(stderr, 2);
}
