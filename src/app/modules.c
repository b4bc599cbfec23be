/*
 * modules.c: the module table (app/module.h). Adding a module is one line here.
 */
#include "core/common.h"
#include "core/log.h"
#include "app/app.h"
#include "app/module.h"
#include "forms/pack.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* The modules, one line each: the struct module of X(name) is name_module (app/module.h). */
#define MODULES(X)                                                                                 \
 X(system)                                                                                         \
 X(auth)                                                                                           \
 X(org)                                                                                            \
 X(audit)                                                                                          \
 X(forms)                                                                                          \
 X(workflow)                                                                                       \
 X(sla)                                                                                            \
 X(notify)                                                                                         \
 X(backup)                                                                                         \
 X(backup_jobs)                                                                                    \
 X(vault)                                                                                          \
 X(access)

#define DECLARE(name) extern const struct module name##_module;
#define ENTRY(name)   &name##_module,
MODULES(DECLARE)

const struct module *const modules[] = { MODULES(ENTRY) NULL };

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	size_t i, j;

	for (i = 0; modules[i]; i++) {
		if (perm_register(modules[i]->name, modules[i]->perms, modules[i]->nperms) < 0)
			log_error("module %s: a permission name is taken or the table is full",
			          modules[i]->name);
		if (wf_actions_register(modules[i]->actions, modules[i]->nactions) < 0)
			log_error("module %s: a request action name is taken", modules[i]->name);
		for (j = 0; modules[i]->pack_sections && modules[i]->pack_sections[j]; j++)
			if (pack_section_register(modules[i]->pack_sections[j]) < 0)
				log_error("module %s: the pack section \"%s\" is taken",
				          modules[i]->name, modules[i]->pack_sections[j]->kind);
	}
}

void modules_init(void)
{
	(void)pthread_once(&once, init_once);
}

int modules_builtin_grants(void)
{
	struct pack *pk = NULL;
	json_t *errors = NULL;
	struct perm_grants g;

	modules_init();
	if (pack_load(NULL, &pk, &errors) < 0) {
		json_decref(errors);
		return -ERR_INVALID;
	}
	pack_grants(pk, &g);
	perm_grants_set(&g);
	pack_free(pk);
	return 0;
}

const struct module *module_find(const char *name)
{
	size_t i;

	for (i = 0; name && modules[i]; i++)
		if (STREQ(modules[i]->name, name))
			return modules[i];
	return NULL;
}

const struct error_text *modules_error(const char *code)
{
	size_t i, j;

	for (i = 0; modules[i]; i++)
		for (j = 0; j < modules[i]->nerrors; j++)
			if (STREQ(modules[i]->errors[j].code, code))
				return &modules[i]->errors[j];
	return NULL;
}

int modules_tick(struct app *a, int64_t now, json_t **ret_events)
{
	json_t *all = json_array(), *mine, *e;
	int first = 0, r;
	size_t i, j;

	for (i = 0; modules[i]; i++) {
		if (!modules[i]->tick)
			continue;
		mine = json_array();
		r = modules[i]->tick(a, app_store(a), now, mine);
		if (r < 0) {
			log_warn("the clock tick of %s failed (%d); it runs again at the next tick",
			         modules[i]->name, r);
			if (first == 0)
				first = r;
		}
		json_array_foreach(mine, j, e) {
			json_object_set_new(e, "module", json_string(modules[i]->name));
			json_array_append(all, e);
		}
		json_decref(mine);
	}
	*ret_events = all;
	return first;
}
