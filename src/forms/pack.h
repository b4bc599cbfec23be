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

#include "core/calendar.h"
#include "core/common.h"
#include "core/cron.h"
#include "core/perm.h"

struct store;

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
	ACT_DATA_CLEANUP,
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

/* Who hears of a passed deadline at each level (SPEC SLA-4). */
enum esc_target {
	ESC_ASSIGNEE,        /* a record's owner (or creator); a request's current approvers */
	ESC_DEPARTMENT_HEAD, /* the head of the record's (or the assignee's) department */
	ESC_ROLE,            /* every holder of a role, e.g. the general manager */
};

#define ESC_MAX 4

struct escalation {
	enum esc_target to;
	unsigned role;         /* ESC_ROLE */
	struct duration after; /* after the deadline */
};

/* A timed rule (SPEC SLA-1) on the records of a register or the requests of a type. */
struct deadline {
	const char *id;
	json_t *def;
	const struct reg *reg;           /* on a register's records, or */
	const struct reqtype *req;       /* on a request type's requests */
	const struct field *start_field; /* a datetime field; NULL: from creation / filing */
	struct duration within;
	const struct field *until_field; /* met once this field has a value, or */
	json_t *until_status;            /* once the status is one of these ids */
	json_t *pause_status;            /* the clock stops while the status is one of these */
	struct escalation esc[ESC_MAX];
	size_t nesc;
};

/* A recurring duty (SPEC SLA-3): each occurrence of the schedule is a task for the owner,
 * done by a record of the register made before it is due, missed otherwise. */
struct duty {
	const char *id;
	json_t *def;
	struct cron schedule;
	struct duration within;
	const struct reg *reg;
	unsigned owner_role;
	bool workdays_only; /* occurrences on days off are skipped */
};

/* A backup job of one of the organization's systems (SPEC BAK-3): when its runs are due,
 * which of them must go off-site, and how old the newest verified run may be before a data
 * cleanup of the system is refused (BAK-4). The pack's jobs ("backup_jobs") and those an
 * administrator adds (src/backup/jobs.h) are checked by the same rules. */
#define BACKUP_SCHEDULE_MAX 8
#define BACKUP_LABEL_MAX    200 /* code points */

struct backup_job_def {
	const char *id; /* the job's key */
	json_t *def;
	const char *system;
	struct cron schedule[BACKUP_SCHEDULE_MAX];
	size_t nschedule;
	bool has_offsite;
	struct cron offsite;
	int64_t within, max_age; /* seconds */
};

/* Reports one problem of a backup job definition: key is the definition's key at fault
 * ("schedule[1]", "label.en"), msg what is wrong. */
typedef void (*backup_job_problem_fn)(void *ctx, const char *key, const char *msg);

/*
 * Checks the definition keys of a backup job: "system", "label", "schedule" (1-8 cron lines),
 * "within" and "max_age" (durations on the clock: m, h, d, w), "offsite" (a cron line, or null
 * or absent); it neither reads nor checks "id" and other keys. Fills *ret (borrowing from def)
 * and returns the number of problems, each reported to fn.
 */
int backup_job_compile(json_t *def, struct backup_job_def *ret, backup_job_problem_fn fn,
                       void *ctx);
/* Is s a job key or a system id: 1-48 of a-z, 0-9 and _, starting with a letter? */
bool pack_id_valid(const char *s);

/* A role of the pack (policy/roles.json): its bit (the built-in eight keep theirs; the pack's
 * own get the next free ones) and the permissions it holds everywhere and in its holders'
 * departments. "everyone" is every account's. */
struct pack_role {
	const char *id;
	json_t *def;
	unsigned bit; /* 0 for everyone */
	bool everyone;
	struct perm_set all, own;
};

struct pack {
	json_t *root; /* {"forms":[…],"registers":[…],"requests":[…],…} merged */
	struct pack_role *roles;
	size_t nroles;
	struct form *forms;
	size_t nforms;
	struct reg *regs;
	size_t nregs;
	struct reqtype *reqs;
	size_t nreqs;
	struct deadline *deadlines;
	size_t ndeadlines;
	struct duty *duties;
	size_t nduties;
	struct backup_job_def *backup_jobs;
	size_t nbackup_jobs;
};

/*
 * A module's own section of the policy pack (struct module.pack_sections): its items are
 * merged by id like every kind's (a file replaces, removes or adds items), then each is
 * checked by the module; the module reads the merged items with pack_items. A new module
 * adds its kind of pack data this way, without touching this file.
 */
struct pack_check;
struct pack_section {
	const char *kind; /* its key in the pack files, e.g. "incident_classes" */
	/* Checks one item (an object with a valid "id"): report with pack_problem. */
	void (*check)(struct pack_check *c, json_t *item);
};
/* Registers a section (modules_init, before any pack loads): -1 when the kind is taken. */
int pack_section_register(const struct pack_section *s);
/* Reports a problem of the item being checked; key is the item's key at fault (NULL: the
 * item), as "FILE: KIND[i].KEY: message". */
void pack_problem(struct pack_check *c, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The checks every kind uses: no key outside allowed (NULL-terminated); a label object with
 * non-empty zh-CN and en texts. */
void pack_check_keys(struct pack_check *c, json_t *o, const char *const *allowed);
void pack_check_label(struct pack_check *c, json_t *o, const char *key, bool required);
/* The merged items of a kind (borrowed; an empty array when no file has any). */
json_t *pack_items(const struct pack *pk, const char *kind);

const struct pack_role *pack_role(const struct pack *pk, const char *id);
/* The grants of the pack's roles, for perm_grants_set. */
void pack_grants(const struct pack *pk, struct perm_grants *ret);

/* Called inside the transaction of every change to a record or a request, after it is
 * written, with the row as its API shows it; kind is "record" or "request". The time rules
 * (src/sla) follow records and requests through it. */
typedef int (*change_hook)(struct store *st, const char *kind, json_t *row);

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
const struct deadline *pack_deadline(const struct pack *pk, const char *id);
const struct duty *pack_duty(const struct pack *pk, const char *id);
const struct backup_job_def *pack_backup_job(const struct pack *pk, const char *id);
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
