/*
 * routes_access.c: who can do what (src/access): the roles x permissions matrix with the people
 * holding each role, as JSON or as the assessor's XLSX or CSV file.
 */
#include "core/common.h"

#include "access/access.h"
#include "app/module.h"
#include "forms/sheet.h"
#include "http/http.h"

/* Who can do what (access/access.h): JSON, or ?format=xlsx|csv for the assessor's file. */
static int h_permissions(struct req *rq)
{
	const char *format = req_query(rq, "format");
	json_t *m = NULL;
	struct sheet sh;
	int r;

	if (format && !STREQ(format, "json") && !STREQ(format, "xlsx") && !STREQ(format, "csv"))
		return problem_setf(&rq->problem, ERR_INVALID, "invalid", "format",
		                    "json, xlsx or csv");
	r = access_matrix(rq->app, rq->st, &m);
	if (r < 0)
		return r;
	if (!format || STREQ(format, "json"))
		return reply_json(rq, 200, m);
	access_sheet(m, rq->lang_en, &sh);
	json_decref(m);
	r = reply_sheet(rq, &sh, NULL, STREQ(format, "xlsx"),
	                rq->lang_en ? "Who can do what" : "权限矩阵",
	                STREQ(format, "xlsx") ? (rq->lang_en ? "permissions.xlsx" : "权限矩阵.xlsx")
	                                      : (rq->lang_en ? "permissions.csv" : "权限矩阵.csv"));
	sheet_free(&sh);
	return r;
}

/* --- the module (app/module.h) ---------------------------------------------------- */

static const struct permission access_perms[] = {
	{ "permissions.read", PERM_OVERSIGHT, "查看“谁能做什么”：角色、权限及其持有人",
	  "See who can do what: roles, permissions and their holders" },
};

static const struct route access_routes[] = {
	{ "GET", "/api/v1/permissions", h_permissions, 0, "permissions.read" },
};

const struct module access_module = {
	.name = "access",
	.perms = MODULE_LIST(access_perms),
	.routes = MODULE_LIST(access_routes),
};
