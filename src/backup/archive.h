/*
 * archive.h: the file format of isms's own backups (BAK-1): a container of files, compressed
 * with zstd and encrypted with libsodium's secretstream (XChaCha20-Poly1305), written and
 * read in one pass with bounded memory.
 *
 *   file   = header[44] || block*                      (the last block carries TAG_FINAL)
 *   header = "ISMSBAK1" || format 0x01 || cipher 0x01 (secretstream xchacha20poly1305)
 *            || compression 0x01 (zstd) || 0x00 || key id[8] || secretstream header[24]
 *   block  = u32 length (big-endian, ≤ 1 MiB + 17) || ciphertext of up to 1 MiB of the
 *            zstd stream; the header is the associated data of the first block.
 *
 *   container (the zstd stream's content)
 *          = "ISMSARC1" || entry* || manifest
 *   entry  = 'F' || u16 name length || name || u64 size || bytes
 *   manifest = 'M' || u32 length || JSON {"format":1, "entries":N, …}; nothing follows it.
 *
 * Every block is authenticated, so a flipped bit, a missing block, a reordered block or a
 * truncated file is refused, and a file that ends before its final block is "truncated";
 * the zstd frame carries its content checksum as well. (Entries need no checksum of their
 * own: nothing reaches them that the authentication did not cover.)
 * The key id (BLAKE2b of the key) tells "made with another key" apart from "corrupted".
 * Names are relative paths of at most 4 segments of [A-Za-z0-9._-] (no leading dot); the
 * reader refuses anything else, so extraction never leaves its folder.
 */
#ifndef ISMS_BACKUP_ARCHIVE_H
#define ISMS_BACKUP_ARCHIVE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

#define ARC_KEY_LEN    32
#define ARC_HEADER_LEN 44
#define ARC_NAME_MAX   255
#define ARC_ERROR_MAX  256

struct arc_writer;

/* Starts a backup stream into fd (owned by the caller) under key, zstd level 1..19. */
int arc_writer_open(int fd, const unsigned char key[ARC_KEY_LEN], int level,
                    struct arc_writer **ret_w);
/* Adds the file at path under name (streamed; its size is taken at open and must not
 * change while it is read). */
int arc_add_file(struct arc_writer *w, const char *name, const char *path);
/* Adds n bytes under name. */
int arc_add_data(struct arc_writer *w, const char *name, const void *p, size_t n);
/* Writes the manifest (borrowed; "format" and "entries" are set here), flushes and
 * authenticates the end. *ret_size and ret_sha (when not NULL) receive the number and the
 * SHA-256 of the bytes written to fd. */
int arc_writer_finish(struct arc_writer *w, json_t *manifest, uint64_t *ret_size,
                      unsigned char ret_sha[32]);
void arc_writer_free(struct arc_writer *w);

/*
 * Reads a whole backup from fd under key and writes its files below dest (an existing empty
 * folder; folders 0700, files 0600). The blocks' authentication, the zstd checksum, the count in
 * the manifest, the end of the stream and the end of the file are checked. On success *ret_manifest
 * holds the manifest (new reference). On failure returns -ERR_INVALID (not a backup, corrupted,
 * truncated), -ERR_FORBIDDEN (another key) or -ERR_INTERNAL (I/O), with a sentence for
 * people in err; what was written below dest is left for the caller to remove.
 */
int arc_extract(int fd, const unsigned char key[ARC_KEY_LEN], const char *dest,
                json_t **ret_manifest, char err[ARC_ERROR_MAX]);

/* Reads the container (already decrypted and decompressed) from a buffer, as arc_extract
 * does after its first two stages; dest NULL checks without writing (the fuzz target). */
int arc_parse_container(const void *p, size_t n, const char *dest, json_t **ret_manifest,
                        char err[ARC_ERROR_MAX]);

/* The 8-byte key id written in the header. */
void arc_key_id(const unsigned char key[ARC_KEY_LEN], unsigned char id[8]);
/* Is name an allowed entry name? */
bool arc_name_ok(const char *name);

#endif
