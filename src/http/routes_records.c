/*
 * routes_records.c: the policy pack's description for the web UI (/meta), register records
 * (台账) with export and import, and file uploads.
 */
#include "core/common.h"

#include <unistd.h>

#include "app/app.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/util.h"
#include "files/files.h"
#include "forms/forms.h"
#include "core/spec.h"
#include "http/http.h"
#include "http/routes.h"

/* --- meta --------------------------------------------------------------------------------- */

int h_meta_forms(struct req *rq)
{
	return reply_json(rq, 200,
	                  json_pack("{s:O, s:O}", "forms",
	                            json_object_get(rq->app->pack->root, "forms"), "registers",
	                            json_object_get(rq->app->pack->root, "registers")));
}

int h_meta_requests(struct req *rq)
{
	return reply_json(
	        rq, 200,
	        json_pack("{s:O}", "requests", json_object_get(rq->app->pack->root, "requests")));
}

/* --- records ------------------------------------------------------------------------------ */

/* Filters of GET /records and /records/export: type, status, department_id, owner_id,
 * flagged, q, and f.FIELD=VALUE (up to 3). */
static int read_filter(struct req *rq, struct record_filter *f)
{
	const char *flagged = req_query(rq, "flagged");
	int r;

	memset(f, 0, sizeof(*f));
	f->type = req_query(rq, "type");
	if (!f->type)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "type",
		                    "name the register: ?type=…");
	f->status = req_query(rq, "status");
	r = req_query_id(rq, "department_id", &f->department_id);
	if (r == 0)
		r = req_query_id(rq, "owner_id", &f->owner_id);
	if (r < 0)
		return r;
	if (flagged && !STREQ(flagged, "true") && !STREQ(flagged, "false"))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "flagged",
		                    "true or false");
	f->flagged = flagged && STREQ(flagged, "true");
	f->q = req_query(rq, "q");
	if (f->q && (strlen(f->q) > 200 || !utf8_valid(f->q, strlen(f->q), false)))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "q", "at most 200 bytes");
	if (f->q && !*f->q)
		f->q = NULL;
	return req_key_filters(rq, f->key_field, f->key_value, RECORD_KEY_FILTERS);
}

int h_records_list(struct req *rq)
{
	struct record_filter f;
	json_t *items = NULL;
	int64_t next = 0;
	int r = read_filter(rq, &f);

	if (r == 0)
		r = req_page(rq, &f.limit, &f.after);
	if (r == 0)
		r = record_list(rq->st, rq->app->pack, &rq->actor, &f, &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

static int reply_record(struct req *rq, unsigned status, int64_t id)
{
	json_t *o = NULL;
	int r = record_get(rq->st, rq->app->pack, &rq->actor, id, &o, &rq->problem);

	if (r < 0)
		return r;
	return reply_json(rq, status, o);
}

/* The data is checked against the register's form (forms/form.c). */
static const struct spec_field record_create_fields[] = {
	{ .name = "type",
	  .type = SPEC_TEXT,
	  .flags = SPEC_REQUIRED,
	  .max_len = 64,
	  .zh = "台账",
	  .en = "the register" },
	{ .name = "data", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec record_create_spec = { .fields = record_create_fields };
static const struct spec_field record_patch_fields[] = {
	{ .name = "version", .type = SPEC_ANY },
	{ .name = "data", .type = SPEC_ANY },
	{ .name = "status", .type = SPEC_ANY },
	{ .name = NULL },
};
static const struct spec record_patch_spec = { .fields = record_patch_fields };

int h_records_create(struct req *rq)
{
	json_t *body;
	int64_t id = 0;
	int r = req_spec(rq, &record_create_spec, false, &body);

	if (r == 0)
		r = record_create(rq->st, rq->app->pack, &rq->actor,
		                  json_string_value(json_object_get(body, "type")),
		                  json_object_get(body, "data"), 0, &id, &rq->problem);
	if (r < 0)
		return r;
	return reply_record(rq, 201, id);
}

int h_record_get(struct req *rq)
{
	return reply_record(rq, 200, rq->params[0]);
}

int h_record_history(struct req *rq)
{
	json_t *items = NULL;
	int64_t after, next = 0;
	int limit, r = req_page(rq, &limit, &after);

	if (r == 0)
		r = record_history(rq->st, rq->app->pack, &rq->actor, rq->params[0], after, limit,
		                   &items, &next, &rq->problem);
	if (r < 0)
		return r;
	return reply_json(rq, 200, page_json(items, next));
}

int h_record_patch(struct req *rq)
{
	json_t *body;
	int r = req_spec(rq, &record_patch_spec, false, &body);

	if (r == 0)
		r = record_update(rq->st, rq->app->pack, &rq->actor, rq->params[0], body,
		                  &rq->problem);
	if (r < 0)
		return r;
	return reply_record(rq, 200, rq->params[0]);
}

int h_records_export(struct req *rq)
{
	const char *format = req_query(rq, "format");
	struct record_filter f;
	struct sheet sh;
	enum sheet_cell_kind *kinds = NULL;
	char *name = NULL;
	bool xlsx;
	int r;

	if (!format)
		format = "xlsx";
	if (!STREQ(format, "xlsx") && !STREQ(format, "csv"))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "format", "xlsx or csv");
	xlsx = STREQ(format, "xlsx");
	r = read_filter(rq, &f);
	if (r < 0)
		return r;
	r = record_export(rq->st, rq->app->pack, &rq->actor, &f, rq->lang_en, &sh, &kinds,
	                  &rq->problem);
	if (r < 0)
		return r;
	{
		const struct reg *g = pack_reg(rq->app->pack, f.type);

		name = xasprintf("%s.%s", label_text(json_object_get(g->def, "label"), rq->lang_en),
		                 format);
	}
	r = reply_sheet(
	        rq, &sh, kinds, xlsx,
	        label_text(json_object_get(pack_reg(rq->app->pack, f.type)->def, "label"), false),
	        name);
	sheet_free(&sh);
	free(kinds);
	free(name);
	return r;
}

int h_records_import(struct req *rq)
{
	const char *type = req_query(rq, "type"), *dry = req_query(rq, "dry_run");
	struct sheet sh;
	json_t *report = NULL;
	int r;

	if (!type)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "type",
		                    "name the register: ?type=…");
	if (dry && !STREQ(dry, "true") && !STREQ(dry, "false"))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "dry_run",
		                    "true or false");
	if (rq->body.len == 0)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "file",
		                    "send the XLSX or CSV file as the body");
	r = sheet_read((const unsigned char *)rq->body.data, rq->body.len,
	               sheet_sniff((const unsigned char *)rq->body.data, rq->body.len), &sh,
	               &rq->problem);
	if (r < 0)
		return r;
	r = record_import(rq->st, rq->app->pack, &rq->actor, type, &sh, dry && STREQ(dry, "true"),
	                  &report, &rq->problem);
	sheet_free(&sh);
	if (r < 0)
		return r;
	if (json_array_size(json_object_get(report, "errors")) > 0) {
		/* Nothing written: the report names every bad row and cell. */
		rq->error_report = report;
		return problem_set(&rq->problem, ERR_INVALID, "import_invalid", "file");
	}
	return reply_json(rq, json_is_true(json_object_get(report, "dry_run")) ? 200 : 201, report);
}

/* --- files -------------------------------------------------------------------------------- */

int h_files_upload(struct req *rq)
{
	const char *name = req_query(rq, "name");
	char sha[SHA256_HEX], *type = NULL;
	int r;

	r = file_put(rq->st, rq->app->data_dir, &rq->actor, rq->body.data, rq->body.len, name, sha,
	             &type, &rq->problem);
	if (r < 0)
		return r;
	r = reply_json(rq, 201,
	               json_pack("{s:s, s:I, s:s, s:s}", "sha256", sha, "size",
	                         (json_int_t)rq->body.len, "content_type", type, "name", name));
	free(type);
	return r;
}

int h_files_get(struct req *rq)
{
	const char *sha = req_query(rq, "sha256");
	struct buf out = BUF_INIT(FILE_MAX);
	char *type = NULL, *name = NULL;
	size_t len;
	int r;

	if (!sha)
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "sha256",
		                    "name the file: ?sha256=…");
	r = file_get(rq->st, rq->app->data_dir, &rq->actor, sha, &out, &type, &name, &rq->problem);
	if (r < 0)
		return r;
	len = out.len;
	r = reply_bytes(rq, buf_detach(&out, NULL), len,
	                STREQ(type, "text/plain") ? "text/plain; charset=utf-8" : type, name);
	free(type);
	free(name);
	return r;
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission forms_perms[] = {
	{ "records.use", PERM_COMMON, "使用台账和文件（各台账的读写人员由制度包规定）",
	  "Use the registers and files (who reads and writes each register is set by the policy pack)" },
	{ "files.read_all", PERM_OVERSIGHT, "查看任何附件（审查证据）",
	  "Read any attached file (reviewing the evidence)" },
};

static const struct route forms_routes[] = {
	{ "GET", "/api/v1/meta/forms", h_meta_forms, 0, "records.use" },
	{ "GET", "/api/v1/records", h_records_list, 0, "records.use" },
	{ "POST", "/api/v1/records", h_records_create, 0, "records.use" },
	{ "GET", "/api/v1/records/export", h_records_export, 0, "records.use" },
	{ "POST", "/api/v1/records/import", h_records_import, ROUTE_UPLOAD, "records.use" },
	{ "GET", "/api/v1/records/{id}", h_record_get, 0, "records.use" },
	{ "PATCH", "/api/v1/records/{id}", h_record_patch, 0, "records.use" },
	{ "GET", "/api/v1/records/{id}/history", h_record_history, 0, "records.use" },
	{ "POST", "/api/v1/files", h_files_upload, ROUTE_UPLOAD, "records.use" },
	{ "GET", "/api/v1/files", h_files_get, 0, "records.use" },
};

static const struct error_text forms_errors[] = {
	{ "unsupported_file_type", "不支持的文件类型", "This file type is not accepted" },
	{ "import_invalid", "导入文件有错误，未写入任何数据",
	  "The import file has errors; nothing was written" },
};

const struct module forms_module = {
	.name = "forms",
	.demo = forms_demo,
	.perms = MODULE_LIST(forms_perms),
	.routes = MODULE_LIST(forms_routes),
	.errors = MODULE_LIST(forms_errors),
};
