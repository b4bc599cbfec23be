/*
 * host.h: what a module may ask of the running instance. The modules take a struct app *
 * without knowing its layout; app/app.c (the layer above them) implements these, so that no
 * module includes app/app.h (scripts/layers.txt).
 */
#ifndef ISMS_CORE_HOST_H
#define ISMS_CORE_HOST_H

struct app;
struct store;
struct pack;

/* The calling thread's connection (opened on first use); NULL only if the DB is gone. */
struct store *app_store(struct app *a);
/* The data folder. */
const char *app_data_dir(const struct app *a);
/* The policy pack the instance runs on (immutable while it runs). */
const struct pack *app_pack(const struct app *a);
/* The key that seals secrets at rest (two-factor secrets): SEAL_KEY_LEN bytes. */
const unsigned char *app_seal_key(const struct app *a);

#endif
