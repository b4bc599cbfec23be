/*
 * fuzz_note.c: the signed-note and checkpoint parsers, which read files an assessor hands
 * back (isms audit verify --checkpoint), and the verifier-key parser.
 */
#include "core/common.h"
#include "audit/note.h"

#include <sodium.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_signer sg;
	static struct note_verifier v;
	static int ready;
	struct note_checkpoint cp;
	struct note_verifier other;
	size_t text_len = 0;
	char *s;

	if (!ready) {
		unsigned char seed[NOTE_SEED_LEN] = { 1 };
		char *vkey;

		if (sodium_init() < 0 || note_signer_from_seed("isms.local/fuzz", seed, &sg) < 0)
			abort();
		vkey = note_signer_verifier(&sg);
		if (note_verifier_parse(vkey, &v) < 0)
			abort();
		free(vkey);
		ready = 1;
	}
	if (note_open((const char *)data, size, &v, &text_len) == 0 && text_len <= size)
		(void)note_checkpoint_parse((const char *)data, text_len, &cp);
	(void)note_checkpoint_parse((const char *)data, size, &cp);
	s = xstrndup((const char *)data, size);
	(void)note_verifier_parse(s, &other);
	free(s);
	return 0;
}
