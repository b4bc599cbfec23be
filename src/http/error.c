/*
 * error.c: the user-facing messages of the API's common error codes, zh-CN (default) and en;
 * a module's own codes are in its struct module (app/module.h).
 * http/req.c's reply_error is the only place that turns -ERR_* into a response.
 */
#include "core/common.h"
#include "app/module.h"
#include "http/http.h"

static const struct {
	const char *code, *zh, *en;
} messages[] = {
	{ "invalid", "输入有误", "The input is not valid" },
	{ "invalid_json", "请求内容不是有效的 JSON 对象",
	  "The request body is not a valid JSON object" },
	{ "unknown_field", "请求包含不允许的字段",
	  "The request contains a field that is not allowed" },
	{ "unauthenticated", "请先登录", "Please log in" },
	{ "session_expired", "会话已超时，请重新登录",
	  "Your session has expired; please log in again" },
	{ "bad_credentials", "用户名或密码错误", "Wrong user name or password" },
	{ "one_time_password_expired", "一次性密码已过期，请联系管理员重新设置",
	  "The one-time password has expired; ask an administrator for a new one" },
	{ "otp_required", "请输入动态验证码", "Enter the code from your authenticator app" },
	{ "bad_otp", "动态验证码错误或已使用", "The code is wrong or has already been used" },
	{ "forbidden", "无权执行此操作", "You are not allowed to do this" },
	{ "csrf", "请求缺少有效的防伪令牌，请刷新页面后重试",
	  "The request lacks a valid CSRF token; reload the page and try again" },
	{ "password_change_required", "请先修改初始密码",
	  "Change your password before continuing" },
	{ "totp_enrollment_required", "请先设置双因素登录",
	  "Set up two-factor login before continuing" },
	{ "weak_password", "密码不符合安全策略", "The password does not meet the security policy" },
	{ "not_found", "未找到", "Not found" },
	{ "method_not_allowed", "不支持此请求方法", "This method is not allowed here" },
	{ "conflict", "操作冲突", "The request conflicts with the current state" },
	{ "stale_version", "数据已被他人修改，请刷新后重试",
	  "Someone changed this meanwhile; reload and try again" },
	{ "username_taken", "该登录名已被使用", "This login name is already in use" },
	{ "name_taken", "该名称已被使用", "This name is already in use" },
	{ "admin_separation", "系统、安全、审计管理员须由三个不同账号担任",
	  "The system, security and audit administrator roles must be held by three different accounts" },
	{ "admin_exclusive",
	  "管理员账号（三员）只担任其一个管理员角色：不能兼任其他角色、担任部门负责人或审批、执行业务申请",
	  "An administrator account holds its one administrator role only: no other role, no department to head, no business request to approve or execute" },
	{ "totp_already_enabled", "已设置双因素登录", "Two-factor login is already set up" },
	{ "totp_not_started", "请先开始设置双因素登录", "Start the two-factor setup first" },
	{ "unsupported_media_type", "请求内容类型须为 application/json",
	  "The request body must be application/json" },
	{ "too_large", "请求内容过大", "The request is too large" },
	{ "account_locked", "账号已锁定", "The account is locked" },
	{ "rate_limited", "请求过于频繁，请稍后再试", "Too many requests; try again later" },
	{ "internal", "服务器内部错误", "Internal server error" },
};

const char *error_message(const char *code, bool en)
{
	size_t i;

	const struct error_text *t;

	for (i = 0; i < ARRAY_SIZE(messages); i++)
		if (STREQ(messages[i].code, code))
			return en ? messages[i].en : messages[i].zh;
	/* A module's own codes (app/module.h). */
	t = modules_error(code);
	if (t)
		return en ? t->en : t->zh;
	return en ? "Error" : "错误";
}
