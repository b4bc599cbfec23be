/*
 * error.c: the user-facing messages of the API's error codes, zh-CN (default) and en.
 * http/req.c's reply_error is the only place that turns -ERR_* into a response.
 */
#include "core/common.h"
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
	{ "backup_running", "已有一个备份正在进行或等待执行",
	  "A backup is already running or asked for" },
	{ "no_verified_backup", "该系统没有足够新的已验证备份：数据清理前必须先备份并确认备份正确",
	  "The system has no verified backup recent enough: back it up and verify the backup before a data cleanup" },
	{ "pack_job",
	  "该备份任务由制度包定义：只能修改启用状态、宽限时间和最长间隔，其余请修改制度包",
	  "This backup job comes from the policy pack: only enabled, within and max_age change here; change the rest in the pack" },
	{ "job_disabled", "该备份任务已停用，不接收备份报告",
	  "This backup job is disabled and takes no reports" },
	{ "wrong_passphrase", "保管库口令错误", "Wrong vault passphrase" },
	{ "vault_locked", "保管库口令连续错误次数过多，已暂时锁定",
	  "Too many wrong vault passphrases: the vault is locked for a while" },
	{ "vault_sealed", "密码保管库已封存，请先用保管库口令解封",
	  "The vault is sealed: unseal it with the vault passphrase first" },
	{ "vault_initialized", "密码保管库已初始化", "The vault is initialized already" },
	{ "vault_uninitialized", "密码保管库尚未初始化，请先设置保管库口令",
	  "The vault is not initialized yet: set its passphrase first" },
	{ "vault_key_invalid",
	  "保管库密钥文件缺失、损坏或与数据库不符，请从备份恢复 keys/vault.key",
	  "The vault key file is missing, damaged or not the one of this database: restore keys/vault.key from the backup" },
	{ "secret_reused", "该密码已被其他条目使用，请使用新密码",
	  "Another entry already uses this password: use a new one" },
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
	{ "no_approver", "审批链中有步骤无人可审批，请联系系统管理员设置部门负责人或授予角色",
	  "Nobody can act on a step of the approval chain: ask the system administrator to set the department head or grant the role" },
	{ "authorization_required", "授予管理员角色须经总经理批准（请提交管理员账号申请）",
	  "An administrator role needs the general manager's authorization: file an admin_account request" },
	{ "self_approval", "不能审批自己提交的申请", "Nobody decides on their own request" },
	{ "not_your_step", "该审批步骤不由您处理", "This step waits for someone else" },
	{ "not_pending", "申请当前状态不允许此操作",
	  "The request is not in a state that allows this" },
	{ "not_open", "该时限或待办当前状态不允许此操作",
	  "The deadline or task is not in a state that allows this" },
	{ "unsupported_file_type", "不支持的文件类型", "This file type is not accepted" },
	{ "import_invalid", "导入文件有错误，未写入任何数据",
	  "The import file has errors; nothing was written" },
	{ "internal", "服务器内部错误", "Internal server error" },
};

const char *error_message(const char *code, bool en)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(messages); i++)
		if (STREQ(messages[i].code, code))
			return en ? messages[i].en : messages[i].zh;
	return en ? "Error" : "错误";
}
