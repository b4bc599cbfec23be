/*
 * access.c: the roles × permissions matrix (access.h).
 */
#include "core/common.h"

#include <pthread.h>

#include "core/actor.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/perm.h"
#include "access/access.h"
#include "core/host.h"
#include "forms/pack.h"
#include "forms/sheet.h"
#include "org/org.h"

static json_t *grants_json(const struct pack_role *ro)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < perm_count(); i++) {
		const char *scope = perm_set_has(&ro->all, (int)i)   ? "all"
		                    : perm_set_has(&ro->own, (int)i) ? "department"
		                                                     : NULL;

		if (scope)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", perm_at(i)->name,
			                                     "scope", scope));
	}
	return arr;
}

static int holders_json(struct store *st, unsigned bit, json_t **ret)
{
	json_t *ids = NULL, *arr = json_array(), *id;
	size_t i;
	int r = org_role_holders(st, bit, clock_now(), &ids);

	json_array_foreach(r == 0 ? ids : NULL, i, id) {
		struct user u;

		if (org_user_load(st, json_integer_value(id), &u) < 0)
			continue;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)u.id,
		                                     "username", u.username, "display_name",
		                                     u.display_name ? u.display_name : ""));
		user_release(&u);
	}
	json_decref(ids);
	if (r < 0) {
		json_decref(arr);
		return r;
	}
	*ret = arr;
	return 0;
}

int access_matrix(struct app *a, struct store *st, json_t **ret)
{
	json_t *perms = json_array(), *roles = json_array(), *holders;
	size_t i;
	int r = 0;

	for (i = 0; i < perm_count(); i++) {
		const struct permission *p = perm_at(i);

		json_array_append_new(perms, json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", p->name,
		                                       "module", perm_module(i), "class",
		                                       perm_class_name(p->cls), "title_zh", p->zh,
		                                       "title_en", p->en));
	}
	for (i = 0; r == 0 && i < app_pack(a)->nroles; i++) {
		const struct pack_role *ro = &app_pack(a)->roles[i];
		json_t *label = json_object_get(ro->def, "label");

		holders = NULL;
		if (!ro->everyone)
			r = holders_json(st, ro->bit, &holders);
		if (r < 0)
			break;
		json_array_append_new(
		        roles,
		        json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o}", "id", ro->id, "title_zh",
		                  json_string_value(json_object_get(label, "zh-CN")), "title_en",
		                  json_string_value(json_object_get(label, "en")), "everyone",
		                  ro->everyone, "administrator",
		                  !ro->everyone && perm_roles_admin(ro->bit), "permissions",
		                  grants_json(ro), "holders", holders ? holders : json_array()));
	}
	if (r < 0) {
		json_decref(perms);
		json_decref(roles);
		return r;
	}
	*ret = json_pack("{s:o, s:o}", "permissions", perms, "roles", roles);
	return 0;
}

void access_sheet(json_t *matrix, bool en, struct sheet *ret)
{
	json_t *perms = json_object_get(matrix, "permissions");
	json_t *roles = json_object_get(matrix, "roles"), *p, *ro, *g;
	size_t nroles = json_array_size(roles), i, j, k;
	const char **row = xcalloc(nroles + 2, sizeof(*row));

	sheet_init(ret, nroles + 2);
	row[0] = en ? "Permission" : "权限";
	row[1] = en ? "What it allows" : "说明";
	json_array_foreach(roles, j, ro) {
		row[j + 2] = json_string_value(json_object_get(ro, en ? "title_en" : "title_zh"));
	}
	(void)sheet_add_row(ret, row);
	json_array_foreach(perms, i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));

		row[0] = name;
		row[1] = json_string_value(json_object_get(p, en ? "title_en" : "title_zh"));
		json_array_foreach(roles, j, ro) {
			row[j + 2] = NULL;
			json_array_foreach(json_object_get(ro, "permissions"), k, g) {
				if (STREQ(json_string_value(json_object_get(g, "name")), name))
					row[j + 2] = STREQ(json_string_value(
					                           json_object_get(g, "scope")),
					                   "all")
					                     ? "✓"
					                     : (en ? "own department" : "本部门");
			}
		}
		(void)sheet_add_row(ret, row);
	}
	/* Who holds each role today: one row listing the holders under each role. */
	{
		struct buf *cells = xcalloc(nroles, sizeof(*cells));

		row[0] = en ? "Held by" : "持有人";
		row[1] = en ? "accounts holding the role today" : "当前担任该角色的账号";
		json_array_foreach(roles, j, ro) {
			json_t *h;

			buf_init(&cells[j], BUF_NOMAX);
			json_array_foreach(json_object_get(ro, "holders"), k, h) {
				buf_addf(&cells[j], "%s%s (%s)", k ? "; " : "",
				         json_string_value(json_object_get(h, "display_name")),
				         json_string_value(json_object_get(h, "username")));
			}
			if (json_is_true(json_object_get(ro, "everyone")))
				buf_adds(&cells[j], en ? "every account" : "全部账号");
			row[j + 2] = cells[j].len ? cells[j].data : NULL;
		}
		(void)sheet_add_row(ret, row);
		for (j = 0; j < nroles; j++)
			buf_release(&cells[j]);
		free(cells);
	}
	free(row);
}

static void names_of(const struct actor *a, json_t **ret_all, json_t **ret_own)
{
	struct perm_set all, own;
	size_t i;

	perm_effective(a, &all, &own);
	*ret_all = json_array();
	*ret_own = json_array();
	for (i = 0; i < perm_count(); i++) {
		if (perm_set_has(&all, (int)i))
			json_array_append_new(*ret_all, json_string(perm_at(i)->name));
		else if (perm_set_has(&own, (int)i))
			json_array_append_new(*ret_own, json_string(perm_at(i)->name));
	}
}

/* GET /me asks for every request of the web's first screen: the arrays of a role set are
 * made once and shared, never modified (jansson's reference counts are atomic). */
#define NAMES_CACHE 64

static struct {
	bool used;
	unsigned roles, generation;
	json_t *all, *own;
} names_cache[NAMES_CACHE];
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;

void access_names(const struct actor *a, json_t **ret_all, json_t **ret_own)
{
	unsigned gen = perm_grants_generation();
	size_t i, slot = a->roles % NAMES_CACHE;

	(void)pthread_mutex_lock(&names_lock);
	for (i = 0; i < NAMES_CACHE; i++) {
		size_t k = (slot + i) % NAMES_CACHE;

		if (names_cache[k].used && names_cache[k].roles == a->roles &&
		    names_cache[k].generation == gen) {
			*ret_all = json_incref(names_cache[k].all);
			*ret_own = json_incref(names_cache[k].own);
			(void)pthread_mutex_unlock(&names_lock);
			return;
		}
	}
	names_of(a, ret_all, ret_own);
	/* Kept in the role set's slot (an older entry there is let go). */
	json_decref(names_cache[slot].all);
	json_decref(names_cache[slot].own);
	names_cache[slot].used = true;
	names_cache[slot].roles = a->roles;
	names_cache[slot].generation = gen;
	names_cache[slot].all = json_incref(*ret_all);
	names_cache[slot].own = json_incref(*ret_own);
	(void)pthread_mutex_unlock(&names_lock);
}
