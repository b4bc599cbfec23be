/*
 * control.h: the local control socket of `isms serve` (DIR/run/control.sock, AF_UNIX, mode
 * 0600 in a 0700 folder), through which `isms vault unseal|seal|status` reach the vault state
 * of the running server: the vault is unsealed in the server's memory, which no other
 * process can touch. Only the server's own user (or root) may connect (SO_PEERCRED); the
 * operator acts as the local operator "cli:<login>" (user_id 0) and every act is audited as
 * through the API.
 *
 * Protocol: one JSON object per connection each way. The client sends
 *   {"cmd": "status"} | {"cmd": "seal"} | {"cmd": "unseal", "passphrase": "..."}
 * and closes its sending side; the server answers
 *   {"ok": true, "status": {...}}  or
 *   {"ok": false, "error": {"code", "status" (the HTTP status), "detail", "until"|null}}.
 * The passphrase never leaves the socket: it is wiped from every buffer once used.
 */
#ifndef ISMS_VAULT_CONTROL_H
#define ISMS_VAULT_CONTROL_H

#include <jansson.h>

struct app;
struct vault;
struct vault_control;

#define VAULT_CONTROL_DIR  "run"
#define VAULT_CONTROL_SOCK "control.sock"

/*
 * Creates the socket (removing a stale one left by a killed server) and serves it on a
 * thread of its own. -ERR_CONFLICT when another server answers on it (two servers on one
 * data folder), other -ERR_* when the socket cannot be made (logged).
 */
int vault_control_start(struct app *a, struct vault *v, struct vault_control **ret);
/* Stops the thread, closes and removes the socket; NULL is a no-op. */
void vault_control_stop(struct vault_control *c);

/* The client side: sends req to the server of data_dir, *ret_reply is its answer (new).
 * -ERR_NOT_FOUND when no server listens there. */
int vault_control_call(const char *data_dir, json_t *req, json_t **ret_reply);

#endif
