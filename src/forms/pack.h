/*
 * pack.h: the policy pack (DESIGN "The policy pack", docs/policy-pack.md): forms, registers
 * (台账) and request types with their approval chains, as data. The built-in pack is
 * the JSON files of policy/, compiled into the binary; files in DIR/policy/ replace, remove or add
 * items by id. A loaded pack is immutable and shared by every thread; its strings and JSON are
 * borrowed from pack->root.
 */
#ifndef ISMS_FORMS_PACK_H
#define ISMS_FORMS_PACK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/common.h"

enum field_type {
	FT_TEXT,
	FT_NUMBER,
	FT_DATE,
	FT_DATETIME,
	FT_ENUM,
	FT_USER,
	FT_DEPARTMENT,
	FT_ASSET,
	FT_FILE,
	FT_BOOL,
};

#define TEXT_MAX_DEFAULT 500
#define TEXT_MAX_LIMIT   20000
#define ASSET_TAG_MAX    64

struct field {
	const char *id;
	enum field_type type;
	bool required, multiple, integer;
	bool has_min, has_max, has_normal;
	double min, max, normal_min, normal_max;
	size_t max_length; /* text: code points */
	json_t *values;    /* enum: [{id,label}] */
	json_t *def;       /* the field's object in the pack */
};

struct form {
	const char *id;
	json_t *def;
	struct field *fields;
	size_t nfields;
};

struct reg {
	const char *id;
	json_t *def;
	const struct form *form;
	unsigned writers, readers; /* ROLE_* bits; writers 0 = every account */
	const struct field *owner_field, *department_field;
	json_t *statuses;             /* [{id,label}], first = a new record's */
	const struct field **columns; /* list and export order, then the remaining fields */
	size_t ncolumns;
};

enum approver_kind {
	AP_DEPARTMENT_HEAD,       /* the applicant's department head */
	AP_DEPARTMENT_HEAD_FIELD, /* the head of a department field, or of a user field's department
	                           */
	AP_ROLE,                  /* every holder of a role */
	AP_USER_FIELD,            /* the person named in a user field */
};

enum step_kind { STEP_APPROVE, STEP_EXECUTE };

enum cond_op { COND_NONE, COND_EQUALS, COND_INCLUDES, COND_TRUE };

struct step {
	const char *id;
	json_t *def;
	enum step_kind kind;
	const char *approver; /* the rule text, e.g. "role:finance_head" */
	enum approver_kind ak;
	unsigned role;             /* AP_ROLE */
	const struct field *field; /* AP_DEPARTMENT_HEAD_FIELD, AP_USER_FIELD */
	enum cond_op when;
	const struct field *when_field;
	json_t *when_value;
};

enum action {
	ACT_NONE,
	ACT_CREATE_ACCOUNT,
	ACT_CHANGE_PERMISSIONS,
	ACT_DEPARTURE,
	ACT_VENDOR_ACCOUNT,
	ACT_ADMIN_ACCOUNT,
};

struct reqtype {
	const char *id;
	json_t *def;
	const struct form *form;
	struct step *steps;
	size_t nsteps;
	enum action action;
	unsigned applicants; /* ROLE_* bits that may file; 0 = every account */
};

struct pack {
	json_t *root; /* {"forms":[…],"registers":[…],"requests":[…]} merged */
	struct form *forms;
	size_t nforms;
	struct reg *regs;
	size_t nregs;
	struct reqtype *reqs;
	size_t nreqs;
};

/*
 * Loads the built-in pack and, when dir is non-NULL and exists, the *.json files in it (name
 * order), then validates the whole. On error returns -ERR_INVALID and *ret_errors holds
 * every problem as "FILE: PATH: PROBLEM" strings (a JSON array; caller decrefs).
 */
int pack_load(const char *dir, struct pack **ret_pack, json_t **ret_errors);
void pack_free(struct pack *pk);

const struct form *pack_form(const struct pack *pk, const char *id);
const struct reg *pack_reg(const struct pack *pk, const char *id);
const struct reqtype *pack_reqtype(const struct pack *pk, const char *id);
const struct field *form_field(const struct form *f, const char *id);

/* The notification template of a kind ({"id","subject","body"}, borrowed) or NULL, and a
 * template text with {name} replaced by params' values ("-" when absent); caller frees. */
json_t *pack_template(const struct pack *pk, const char *kind);
char *pack_render(const char *text, json_t *params);

/* The field types' and actions' names. */
const char *field_type_name(enum field_type t);
const char *action_name(enum action a);

/* An enum field's value id exists? */
bool field_has_value(const struct field *f, const char *v);
/* The zh-CN (or en) text of a label object; "" when absent. */
const char *label_text(json_t *label, bool en);

#endif
