/*
 * app.c: opening a data folder and the per-thread connections of a running instance.
 */
#include "core/common.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/log.h"
#include "app/app.h"
#include "app/module.h"
#include "files/files.h"
#include "forms/forms.h"
#include "forms/pack.h"
#include "notify/notify.h"
#include "org/org.h"
#include "sla/sla.h"
#include "workflow/workflow.h"
#include "audit/audit.h"
#include "crypto/password.h"
#include "crypto/totp.h"
#include "backup/jobs.h"
#include "store/store.h"
#include "vault/vault.h"

#include <curl/curl.h>
#include <sodium.h>
#include <sys/stat.h>

static int check_private_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_error("'%s' is missing: is this an isms data folder?", path);
		return -ERR_NOT_FOUND;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		log_error("'%s' is accessible by other users (mode %03o); run: chmod 700 '%s'",
		          path, (unsigned)(st.st_mode & 0777), path);
		return -ERR_FORBIDDEN;
	}
	return 0;
}

/* A key file must be private; says how to fix it when it is not. */
static int check_private_file(const char *dir, const char *name)
{
	char *path = fs_join(dir, name);
	struct stat st;
	int r = 0;

	if (stat(path, &st) != 0) {
		log_error("'%s' is missing: is this an isms data folder?", path);
		r = -ERR_NOT_FOUND;
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		log_error("'%s' is readable by other users (mode %03o); run: chmod 600 '%s'", path,
		          (unsigned)(st.st_mode & 0777), path);
		r = -ERR_FORBIDDEN;
	}
	free(path);
	return r;
}

/* The app whose pack renders notifications for the outside channels (one per process). */
static struct app *notify_app;

/* org_notify's hook: the pack's template in the person's language, queued on the channels that
 * carry the kind (a mail channel to the person's address). Kinds without a template stay
 * in-app. */
static int route_notification(struct store *st, int64_t nid, int64_t user_id, const char *kind,
                              json_t *params)
{
	struct app *a = notify_app;
	struct user u = { 0 };
	json_t *t = a && a->pack ? pack_template(a->pack, kind) : NULL;
	char *subject, *body;
	bool own_tx, en;
	int r;

	if (!t || org_user_load(st, user_id, &u) < 0)
		return 0;
	en = strcmp(u.locale, "en") == 0;
	subject = pack_render(label_text(json_object_get(t, "subject"), en), params);
	body = pack_render(label_text(json_object_get(t, "body"), en), params);
	own_tx = !store_in_tx(st);
	r = own_tx ? store_begin(st) : 0;
	if (r == 0)
		r = notify_route(st, nid, kind, u.email, subject, body);
	if (own_tx)
		r = store_end(st, r);
	free(subject);
	free(body);
	user_release(&u);
	return r;
}

/* The change hook of records and requests: the time rules follow them (src/sla). */
static int follow_change(struct store *st, const char *kind, json_t *row)
{
	struct app *a = notify_app;

	return a && a->pack ? sla_follow(st, a->pack, kind, row) : 0;
}

/* The files module's object reader: may the actor read the record or request a file is
 * attached to? Asked of the module that owns the kind, with its own read rule. */
static bool read_object(struct store *st, const struct actor *actor, const char *kind, int64_t id)
{
	struct app *a = notify_app;
	json_t *o = NULL;
	int r = -ERR_NOT_FOUND;

	if (!a || !a->pack || !kind)
		return false;
	if (strcmp(kind, "record") == 0)
		r = record_get(st, a->pack, actor, id, &o, NULL);
	else if (strcmp(kind, "request") == 0)
		r = request_get(st, a->pack, actor, id, false, &o, NULL);
	json_decref(o);
	return r == 0;
}

static int roles_sync(struct store *st, const struct pack *pk)
{
	size_t i;
	int r = store_begin(st);

	for (i = 0; r == 0 && i < pk->nroles; i++) {
		const struct pack_role *ro = &pk->roles[i];
		json_t *label = json_object_get(ro->def, "label");

		if (ro->everyone)
			continue;
		r = org_role_upsert(st, ro->id, perm_roles_admin(ro->bit),
		                    json_string_value(json_object_get(label, "zh-CN")),
		                    json_string_value(json_object_get(label, "en")));
	}
	return r < 0 ? (store_rollback(st), r) : store_commit(st);
}

int app_pack_load(const char *data_dir, struct pack **ret_pack)
{
	char *dir = data_dir ? fs_join(data_dir, "policy") : NULL;
	json_t *errors = NULL, *e;
	size_t i;
	int r;

	/* The permissions the pack's roles name are the modules' (app/module.h). */
	modules_init();
	r = pack_load(dir, ret_pack, &errors);

	if (r < 0) {
		json_array_foreach(errors, i, e) {
			log_error("%s", json_string_value(e));
		}
		log_error("the policy pack has %zu error(s): fix them (isms policy check --dir %s) "
		          "and start again",
		          json_array_size(errors), dir ? dir : "DIR/policy");
	}
	json_decref(errors);
	free(dir);
	return r;
}

int app_open(const char *data_dir, struct app **ret_app)
{
	struct app *a;
	struct store *st;
	int r;

	if (sodium_init() < 0)
		return log_error_errno(-ERR_INTERNAL, "cannot initialise libsodium");
	/* libcurl (mail and chat robots) initialises its globals here, before any thread. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return log_error_errno(-ERR_INTERNAL, "cannot initialise libcurl");
	if (password_library_init() < 0 || totp_library_init() < 0)
		return log_error_errno(-ERR_INTERNAL, "cannot initialise the password libraries");
	if (!password_dictionary_available())
		log_warn("the cracklib dictionary cannot be loaded; common passwords are still "
		         "refused by the built-in lists (install cracklib-runtime)");
	a = xcalloc(1, sizeof(*a));
	a->data_dir = xstrdup(data_dir);
	a->db_path = fs_join(data_dir, "isms.db");
	a->keys_dir = fs_join(data_dir, "keys");
	pthread_rwlock_init(&a->policy_lock, NULL);
	pthread_mutex_init(&a->stores_lock, NULL);
	pthread_key_create(&a->store_key, NULL);
	security_policy_defaults(&a->policy);
	a->vault = vault_new(a->keys_dir); /* sealed: every process starts sealed */

	if (!fs_exists(a->db_path)) {
		log_error(
		        "'%s' is not an isms data folder (no isms.db); create one with: isms init "
		        "--data '%s'",
		        data_dir, data_dir);
		r = -ERR_NOT_FOUND;
		goto fail;
	}
	r = check_private_dir(a->keys_dir);
	if (r == 0)
		r = check_private_file(a->keys_dir, "secrets.key");
	if (r < 0)
		goto fail;
	r = seal_key_load(a->keys_dir, a->seal_key);
	if (r < 0) {
		log_error("cannot load '%s/secrets.key'", a->keys_dir);
		goto fail;
	}
	r = audit_verifier_load(a->keys_dir, &a->verifier);
	if (r < 0) {
		log_error("cannot load the audit verifier key '%s/audit.pub'", a->keys_dir);
		goto fail;
	}
	/* The signing key may be kept outside the data folder (isms serve --audit-key). */
	r = audit_signer_load(a->keys_dir, &a->signer);
	if (r == -ERR_FORBIDDEN)
		log_error("'%s/audit.key' is readable by others; run: chmod 600 '%s/audit.key'",
		          a->keys_dir, a->keys_dir);
	else if (r < 0 && r != -ERR_NOT_FOUND)
		log_error("cannot load '%s/audit.key'", a->keys_dir);
	if (r == 0 && strcmp(audit_signer_verifier(a->signer), a->verifier) != 0) {
		log_error("'%s/audit.key' does not belong to '%s/audit.pub'", a->keys_dir,
		          a->keys_dir);
		r = -ERR_INVALID;
	}
	if (r < 0 && r != -ERR_NOT_FOUND)
		goto fail;
	st = app_store(a);
	if (!st) {
		r = -ERR_INTERNAL;
		goto fail;
	}
	r = store_migrate(st, embedded_migrations, embedded_migrations_count);
	if (r < 0)
		goto fail;
	r = app_pack_load(a->data_dir, &a->pack);
	if (r < 0)
		goto fail;
	{
		struct perm_grants g;

		pack_grants(a->pack, &g);
		perm_grants_set(&g);
	}
	r = roles_sync(st, a->pack); /* the pack's roles as rows (user_roles names them) */
	if (r < 0) {
		log_error("cannot bring the policy pack's roles into the database");
		goto fail;
	}
	r = app_policy_reload(a, st);
	if (r < 0)
		goto fail;
	r = backup_jobs_sync(st, a->pack); /* the pack's backup jobs, by key (src/backup/jobs.h) */
	if (r < 0) {
		log_error("cannot bring the policy pack's backup jobs into the database");
		goto fail;
	}
	notify_app = a;
	org_set_notify_hook(route_notification);
	forms_set_change_hook(follow_change);
	workflow_set_change_hook(follow_change);
	files_set_object_reader(read_object);
	*ret_app = a;
	return 0;
fail:
	app_free(a);
	return r;
}

int app_signer_set(struct app *a, struct audit_signer *sg)
{
	if (strcmp(audit_signer_verifier(sg), a->verifier) != 0) {
		audit_signer_free(sg);
		return -ERR_INVALID;
	}
	audit_signer_free(a->signer);
	a->signer = sg;
	return 0;
}

void app_free(struct app *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nstores; i++)
		store_free(a->stores[i]);
	free(a->stores);
	pthread_key_delete(a->store_key);
	pthread_mutex_destroy(&a->stores_lock);
	pthread_rwlock_destroy(&a->policy_lock);
	audit_signer_free(a->signer);
	free(a->verifier);
	vault_free(a->vault); /* wipes the data key */
	if (notify_app == a) {
		org_set_notify_hook(NULL);
		forms_set_change_hook(NULL);
		workflow_set_change_hook(NULL);
		files_set_object_reader(NULL);
		notify_app = NULL;
	}
	pack_free(a->pack);
	curl_global_cleanup();
	sodium_memzero(a->seal_key, sizeof(a->seal_key));
	free(a->data_dir);
	free(a->db_path);
	free(a->keys_dir);
	free(a);
}

const char *app_data_dir(const struct app *a)
{
	return a->data_dir;
}

const struct pack *app_pack(const struct app *a)
{
	return a->pack;
}

const unsigned char *app_seal_key(const struct app *a)
{
	return a->seal_key;
}

struct store *app_store(struct app *a)
{
	struct store *st = pthread_getspecific(a->store_key);

	if (st)
		return st;
	if (store_open(a->db_path, false, &st) < 0)
		return NULL;
	pthread_mutex_lock(&a->stores_lock);
	a->stores = xrealloc(a->stores, (a->nstores + 1) * sizeof(*a->stores));
	a->stores[a->nstores++] = st;
	pthread_mutex_unlock(&a->stores_lock);
	pthread_setspecific(a->store_key, st);
	return st;
}

void app_policy(struct app *a, struct security_policy *ret)
{
	pthread_rwlock_rdlock(&a->policy_lock);
	*ret = a->policy;
	pthread_rwlock_unlock(&a->policy_lock);
}

int app_policy_reload(struct app *a, struct store *st)
{
	struct security_policy pol;
	int r = settings_load(st, &pol);

	if (r < 0)
		return r;
	pthread_rwlock_wrlock(&a->policy_lock);
	a->policy = pol;
	pthread_rwlock_unlock(&a->policy_lock);
	return 0;
}
