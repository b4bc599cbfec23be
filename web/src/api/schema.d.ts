// Generated from docs/openapi.yaml by `npm run gen:api` (web/scripts/gen-api.mjs): do not
// edit. Change the document and generate again; `npm run check:api` fails while they differ.

export interface paths {
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and schema version / 健康检查 */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in / 登录
         * @description Checks the password (and the TOTP code or a recovery code once 2FA is enrolled) and
         *     sets the session cookie. An unknown user and a wrong password get the same answer.
         *     Three failures within 15 minutes lock the account for 15 minutes (pam_faillock
         *     semantics). 连续三次失败锁定 15 分钟。
         */
        post: operations["login"];
        /**
         * Log out / 退出
         * @description Ends the session on the server and clears the cookie. Sessions only (not API tokens).
         */
        delete: operations["logout"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's account / 当前账号
         * @description Reachable while the password must be changed or 2FA enrolled.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set the own language / 设置本人消息语言
         * @description The language of the caller's e-mail, chat and in-app messages: `zh-CN` (the default)
         *     or `en`. Audited as `user.locale`. 设置本人接收通知的语言。
         */
        patch: operations["patchMe"];
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the own password / 修改密码
         * @description Needs the current password. The new one must meet the policy (dengbao profile by
         *     default: at least 8 code points, 3 character classes, not in the dictionary, not the
         *     login name, not one of the last 5). Ends every other session of the account.
         *     新密码须符合密码策略；修改后其他会话全部结束。
         */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password-policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The rules a new password must meet / 密码规则
         * @description For the password-change screen; reachable while the password must be changed. 修改密码页面显示的规则。
         */
        get: operations["getPasswordRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a candidate password without changing anything / 检查新密码
         * @description Runs the checks of `POST /api/v1/me/password` on a candidate (policy, dictionary, the
         *     login and display name, the organization's and departments' names) except the history,
         *     and changes nothing; the change screen calls it as the person types. 仅检查，不修改。
         */
        post: operations["checkPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start two-factor enrolment / 开始设置双因素登录
         * @description Returns a new 160-bit secret, its otpauth URI and a QR code (SVG); confirm with a code.
         */
        post: operations["startTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm two-factor enrolment / 确认双因素登录 */
        post: operations["confirmTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's notifications, newest first / 我的通知 */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a notification read / 标记已读 */
        post: operations["readNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's API tokens / 我的 API 令牌
         * @description Sessions only (an API token cannot list or make tokens).
         */
        get: operations["listTokens"];
        put?: never;
        /**
         * Make an API token / 创建 API 令牌
         * @description The token is shown once; the server keeps only its SHA-256. It acts with the caller's roles, limited to its scopes.
         */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token / 吊销令牌 */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's live sessions / 我的登录会话
         * @description Where and since when the account is logged in (ASVS 7.4.3/7.5.2). Session ids are never shown. Sessions only.
         */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        /**
         * Log out everywhere else / 退出其他会话
         * @description Ends every other session of the caller; this one goes on. Audited as `sessions.end_others`.
         */
        delete: operations["endOtherSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List accounts / 账号列表 */
        get: operations["listUsers"];
        put?: never;
        /**
         * Create an account / 创建账号
         * @description Creates an account with a random one-time password, shown once, that must be changed
         *     at the first login. Roles are granted separately by the security administrator.
         *     初始密码只显示一次，首次登录须修改。
         */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One account / 查看账号
         * @description The caller's own account, or any account for the three administrators; others get 403.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an account / 修改账号
         * @description Only `display_name`, `department_id` and `email`, with the `version` read (optimistic locking). Any other key is refused (`unknown_field`).
         */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/users/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lift a lock / 解除锁定
         * @description Clears the failure count, including the hard ceiling only an administrator lifts.
         */
        post: operations["unlockUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable an account / 停用账号
         * @description Ends every session of the account at once; never the caller's own account.
         */
        post: operations["disableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable an account again / 启用账号 */
        post: operations["enableUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a password / 重置密码
         * @description Sets a new one-time password, shown once, that must be changed at the next login; ends the account's sessions. 2FA stays as it is.
         */
        post: operations["resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/reset-totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove someone's two-factor login / 重置双因素登录
         * @description After identity proofing; the person enrols again at the next login. Audited.
         */
        post: operations["resetTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace an account's roles / 授权与撤销角色
         * @description The new list replaces the old one, takes effect at once for live sessions, and is
         *     audited with before/after. Never on the caller's own account (403); never two of
         *     sys_admin, security_admin, audit_admin on one account (409 `admin_separation`), and
         *     an administrator role holds no other role and no department (409 `admin_exclusive`:
         *     三员账号只担任其一个管理员角色).
         *     A new administrator role is granted only by executing an approved `admin_account`
         *     request, which the general manager authorizes (ACC-7): here it is 409
         *     `authorization_required`. 三员角色不得由同一账号兼任；不得修改自己的角色；
         *     管理员角色须经总经理批准的管理员账号申请授予。
         */
        post: operations["setRoles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An account's API tokens / 账号的 API 令牌
         * @description Every token of the account (live, expired, revoked; never its secret), for the
         *     security administrator to see and end anyone's script logins (ASVS 7.4.5). Tokens also
         *     end by themselves with every password change, password reset, two-factor reset and
         *     "log out everywhere else". 安全管理员查看任一账号的 API 令牌。
         */
        get: operations["listUserTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/tokens/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke someone's API token / 吊销他人的令牌
         * @description The token stops working at once; the owner is notified (`token_revoked`); audited `token.revoke`.
         */
        delete: operations["revokeUserToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/directory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The people directory / 通讯录
         * @description Every account's id, login name, name, department and whether it is out of use
         *     (disabled or past its end), for choosing and naming people in forms. Every logged-in
         *     person may read it; nothing else of an account is shown. 供表单选人与显示姓名。
         */
        get: operations["listDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/departments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List departments / 部门列表 */
        get: operations["listDepartments"];
        put?: never;
        /** Create a department / 创建部门 */
        post: operations["createDepartment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/departments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One department / 查看部门 */
        get: operations["getDepartment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a department / 修改部门
         * @description `name`, `parent_id`, `head_user_id` (null clears), with the `version` read.
         */
        patch: operations["updateDepartment"];
        trace?: never;
    };
    "/api/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The roles and their titles / 角色 */
        get: operations["listRoles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who can do what / 权限矩阵
         * @description The permissions the modules declare, the roles of the policy pack (policy/roles.json)
         *     with the permissions each holds and in which scope, and the accounts holding each role
         *     today: evidence for 等保 8.1.7.3 (授权审批事项). `format=xlsx` or `csv` gives the same as a
         *     table (one row per permission, one column per role, the holders last).
         */
        get: operations["getPermissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/security/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The security policy / 安全策略 */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the security policy / 修改安全策略
         * @description Any subset of the settings; unknown keys are refused. Setting `password_profile` resets the password settings to that profile's defaults before the other keys apply. Audited with before/after.
         */
        patch: operations["updatePolicy"];
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the audit trail, newest first / 查询审计日志 */
        get: operations["searchAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the whole trail / 校验审计日志
         * @description Recomputes every leaf, every stored tree node and every stored checkpoint. Damage is an answer (`ok:false`), not an error. The verification itself is audited.
         */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The newest signed checkpoint / 导出签名检查点
         * @description Signs the tree head if the log grew, and returns the newest checkpoint (a C2SP signed note, Ed25519) with the verifier key. Keep it outside the server to prove later that nothing was removed.
         */
        get: operations["exportCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consistency proof between two tree sizes / 一致性证明
         * @description RFC 9162 2.1.4 proof that the tree of size `second` extends the tree of size `first`.
         */
        get: operations["consistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Inclusion proof of one entry / 单条记录的包含证明
         * @description RFC 9162 2.1.3 proof that entry `id` (its seq) is in the tree of the newest checkpoint, or of `size`. Carries the exact entry bytes (the leaf) and the checkpoint note when one was signed at that size.
         */
        get: operations["inclusionProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The working-day calendar / 工作日历
         * @description The organization's time zone, working hours, weekend, public holidays and 调休 make-up
         *     working days, used for every deadline counted in working time. Any account reads it.
         */
        get: operations["getCalendar"];
        /**
         * Replace the calendar / 修改工作日历
         * @description The whole calendar with the `version` read (409 `stale_version` when it changed
         *     meanwhile). Working periods are HH:MM, in order and not overlapping; at least one
         *     weekday works; dates are real calendar days. Audited as `calendar.update` with
         *     before/after.
         */
        put: operations["putCalendar"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import holidays from iCalendar / 导入节假日（.ics）
         * @description The body is an iCalendar file (at most 2 MiB). Each all-day event adds its days, from
         *     DTSTART up to DTEND: as make-up working days when its summary says 班 (补班, 上班),
         *     otherwise as holidays. `dry_run=true` only reports. Audited as `calendar.import`.
         */
        post: operations["importCalendar"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notify/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Notification channels / 通知渠道
         * @description E-mail (SMTP) and chat robots (企业微信 wecom, 钉钉 dingtalk, 飞书 feishu). Secrets are
         *     never shown (`password_set`, `secret_set`), URLs only to their host.
         */
        get: operations["listChannels"];
        put?: never;
        /**
         * Add a channel / 新增通知渠道
         * @description `{"kind","name","enabled"?,"config"}`. email config: `smtp_url` (smtp:// or smtps://),
         *     `from`, `username`?, `password`?, `starttls`? (default true); wecom: `webhook_url`;
         *     dingtalk and feishu: `webhook_url`, `secret`? (requests are then signed as the
         *     platform documents). Every kind takes `kinds`?: the notification kinds it carries
         *     (patterns such as `request.*`); a mail channel without it carries every kind, to the
         *     person notified; a robot posts only the kinds listed, to its group. Messages use the
         *     policy pack's templates (`notifications`). Secrets are sealed at rest. Audited
         *     without secrets.
         */
        post: operations["createChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notify/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a channel / 修改通知渠道
         * @description `{"version","name"?,"enabled"?,"config"?}`; a password or secret left out is kept,
         *     `null` removes it; the kind never changes.
         */
        patch: operations["updateChannel"];
        trace?: never;
    };
    "/api/v1/notify/channels/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test message / 发送测试消息
         * @description Queues a test message; the delivery worker of `isms serve` sends it within seconds,
         *     retrying with backoff (1 min, 5 min, 30 min, 2 h, 6 h) and marking it failed after the
         *     sixth attempt. A mail channel sends to `to`, or to the caller's e-mail address; a robot
         *     channel to its group (no `to`).
         */
        post: operations["testChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meta/time-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The pack's deadlines and duties / 时限与例行工作规则
         * @description The `deadlines` and `duties` of the policy pack (docs/policy-pack.md), with their
         *     labels, sources, durations ("1h", "8wh" working hours, "3wd" working days), pause and
         *     stop conditions, escalation levels and cron schedules.
         */
        get: operations["getTimeRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deadlines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deadlines and their state / 时限及状态
         * @description The clocks of the pack's deadlines on records and requests, newest first. The
         *     administrators, leadership, the general manager and assessors see all; others see
         *     those on their own records (owned or created) and requests (filed, or waiting for
         *     them), and a department head those of the department's records and requests.
         *     `status`: `due` (running, not yet due), `overdue`, `paused`, `met` (stopped in
         *     time), `breached` (stopped late) or `open` (due, overdue or paused). A passed deadline
         *     escalates one level at a time (the assignee, then the department head, then
         *     leadership) as the clock tick of `isms serve` finds it.
         */
        get: operations["listDeadlines"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deadlines/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a deadline / 暂停计时
         * @description Stops a running clock while it waits for someone outside (the requester, a vendor),
         *     with a note saying what for; the time left is kept (working time for working-time
         *     rules). By the system or security administrator, a writer of the record's register,
         *     or the request's current approver. Audited as `deadline.pause`. Deadlines whose
         *     subject's status pauses them (e.g. a complaint `waiting` for its complainant) pause
         *     and resume by themselves.
         */
        post: operations["pauseDeadline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deadlines/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a deadline / 恢复计时
         * @description Resumes a clock paused by hand: the time left runs on from now (in working time for
         *     working-time rules), so the due time moves by the paused span. A clock paused by its
         *     subject's status resumes when the status changes (409 `not_open` here). Audited as
         *     `deadline.resume`.
         */
        post: operations["resumeDeadline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Tasks of recurring duties / 例行工作待办
         * @description Each occurrence of a duty's schedule (daily machine-room inspection, weekly server
         *     inspection, the account review on the 25th, …) is a task for its owner: `open`, `done`
         *     (linked to the record that fulfils it) or `missed` (nothing filed before it was due).
         *     The administrators, leadership and assessors see all (`mine=true`: their own); others
         *     their own.
         */
        get: operations["listTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/done": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a task done by a record / 以台账记录完成待办
         * @description Links an open task to an existing record of its duty's register that no other task of
         *     the duty uses (a record filed inside the task's window does this by itself). By the
         *     owner, a writer of the register, or oversight; others get 404. Audited as `task.done`.
         */
        post: operations["completeTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notify/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every delivery and failure / 通知发送记录
         * @description The messages queued to mail and chat channels, newest first: recipient, subject,
         *     `pending` (with attempts so far, the next try and the last error), `sent` or `failed`
         *     (after the sixth attempt). The body is not shown. Security or audit administrator.
         */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meta/forms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The forms and registers of the policy pack / 表单与台账定义
         * @description The merged policy pack's `forms` and `registers` (docs/policy-pack.md), as the web UI
         *     needs them to draw forms, lists and filters. Labels carry both `zh-CN` and `en`.
         *     制度包中的表单与台账定义。
         */
        get: operations["getFormsMeta"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/meta/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The request types of the policy pack / 申请类型定义
         * @description The request types (申请 → 审批 → 执行 → 登记) with their forms' ids, approval steps and actions. 制度包中的申请类型及审批链。
         */
        get: operations["getRequestsMeta"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the records of a register, newest first / 台账记录列表
         * @description The records of register `type` the caller may read: everything for the register's
         *     writers and readers; otherwise the records the caller created or owns, and those of
         *     the departments the caller heads. 台账的写入角色与查阅角色可见全部记录，其他人只见本人创建、
         *     本人负责或本人所领导部门的记录。
         *
         *     Besides the parameters below, up to three field filters `f.FIELD=VALUE` (e.g.
         *     `f.result=fault`, `f.inspector=12`) select on an enum, user, department, date, bool or
         *     asset field of the register's form (400 `invalid`, field `f.FIELD`, on any other field;
         *     field `f` past three or with an empty value).
         */
        get: operations["listRecords"];
        put?: never;
        /**
         * Add a record to a register / 新增台账记录
         * @description `data` is checked against the register's form: the first bad value is refused with
         *     400 `invalid` and `field` its JSON path (`data.temperature`); unknown keys in `data`
         *     are refused too. A number outside its `normal` range is kept and listed in `flags`.
         *     Only the register's writers (every account when it names none). The record's owner and
         *     department come from the register's `owner_field` / `department_field`. Audited as
         *     `record.create`. 按表单校验，超出正常范围的数值予以保存并标记。
         */
        post: operations["createRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/records/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export a register to XLSX or CSV / 导出台账
         * @description The records of `type` the caller may read, with the same filters as the list (and
         *     `f.FIELD=VALUE`, up to three), all of them (at most 100 000), as a file download
         *     (`Content-Disposition: attachment`, named after the register). Column titles are the
         *     form's labels in Chinese (English with `Accept-Language: en`); cells that a spreadsheet
         *     would take for a formula are neutralized. Audited as `record.export`.
         *     导出为 XLSX 或 CSV 文件，列标题为中文。
         *
         *     The 200 answer is the file, never JSON; errors are JSON as everywhere.
         */
        get: operations["exportRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/records/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import records from XLSX or CSV / 批量导入台账
         * @description The body is the file itself (XLSX, or UTF-8 CSV), not JSON, up to 20 MiB; its type is
         *     recognized from the content, whatever the `Content-Type`. The first row holds the column
         *     titles (the form's Chinese or English labels, or field ids); rows are numbered as the
         *     spreadsheet shows them (titles = row 1). Every row is checked before anything is
         *     written: with any bad row or unknown column the answer is 400 `import_invalid` whose
         *     `error.report` names every bad cell (at most 500), and nothing is written. With
         *     `dry_run=true` nothing is written either and the report comes with 200. Otherwise all
         *     rows are created in one transaction (201). Only the register's writers. Audited as
         *     `record.import`. 先整体校验；任何一行有误则不写入任何数据，`dry_run=true` 仅校验。
         */
        post: operations["importRecords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/records/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One record / 查看台账记录
         * @description A record the caller may not read answers 404, like a missing one.
         */
        get: operations["getRecord"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a record / 修改台账记录
         * @description With the `version` read (optimistic locking, 409 `stale_version`). `data` is merged
         *     into the record's data (a null value removes the field) and the result is checked
         *     against the form as a whole (400 `invalid`, `field` = `data.FIELD`); `status` must be
         *     one of the register's statuses. Only the register's writers. Audited as
         *     `record.update` with before/after. 按版本号乐观锁修改。
         */
        patch: operations["updateRecord"];
        trace?: never;
    };
    "/api/v1/records/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A record's history from the audit trail / 台账记录修改历史
         * @description The audit entries of the record (`record:ID`), newest first: who created or changed
         *     it, when, and the values before and after. For those who may read the record (404
         *     otherwise); the address of each change stays with the audit administrator.
         */
        get: operations["getRecordHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an attachment / 下载附件
         * @description For its uploader, the applicant and approvers of a request it is attached to, the
         *     security and audit administrators and assessors; anyone else gets 404. The content is
         *     checked against its SHA-256 before it is sent. The 200 answer is the file (with its
         *     recognized type and `Content-Disposition: attachment` carrying the uploaded name),
         *     never JSON. 下载前校验内容哈希。
         */
        get: operations["downloadFile"];
        put?: never;
        /**
         * Upload an attachment / 上传附件
         * @description The body is the file itself, not JSON, up to 20 MiB. Its type is recognized from the
         *     content (never from the name or `Content-Type`) and must be on the allow-list: PDF,
         *     PNG, JPEG, GIF, WebP, Office documents (OOXML and the older OLE formats), OFD, ZIP and
         *     UTF-8 text (plain text, CSV); anything else is 400 `unsupported_file_type`. Files are
         *     stored once per content, named by their SHA-256, which forms (`file` fields) and
         *     requests (`attachments`) then cite. Audited as `file.upload`.
         *     附件按内容识别类型，仅接受白名单中的格式。
         */
        post: operations["uploadFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's requests, newest first / 我的申请 */
        get: operations["listMyRequests"];
        put?: never;
        /**
         * File a request / 提交申请
         * @description `data` is checked against the request type's form (400 `invalid`, `field` =
         *     `data.FIELD`). The approval chain is resolved to people at once (department head,
         *     role holders, a person named in the form); the applicant is never among them. When a
         *     step resolves to nobody the request is refused with 409 `no_approver` (field
         *     `steps[i]`) and nothing is kept. A type with `applicants` may be filed only by those
         *     roles (403). The first step's approvers are notified. Audited as `request.file`.
         *     提交后按审批链确定审批人；申请人不审批自己的申请。
         */
        post: operations["fileRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One request with its steps and history / 查看申请
         * @description For the applicant, anyone who is or was an approver of it, and the security administrators; anyone else gets 404. Step and request labels follow `Accept-Language`.
         */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve the current step / 审批通过
         * @description By one of the current step's approvers (403 `not_your_step` otherwise; 403
         *     `self_approval` for the applicant). The request moves to the next step that applies,
         *     or ends `approved`. Approving an `execute` step performs the request type's action in
         *     the same transaction and ends the request `completed`; when the action creates an
         *     account the answer carries `secret` `{username, initial_password}`, shown once to the
         *     executor and never stored. An action that cannot be done is refused (400 `invalid` or
         *     409 `conflict`/`username_taken`, `field` = `data.FIELD`) and nothing changes.
         *     Audited as `request.approve`. 执行步骤审批通过即执行；初始密码只显示一次。
         */
        post: operations["approveRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject the request / 驳回申请
         * @description By one of the current step's approvers; ends the request `rejected` and notifies the applicant. Audited as `request.reject`. 驳回后申请结束。
         */
        post: operations["rejectRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Return the request to the applicant / 退回修改
         * @description By one of the current step's approvers; the request becomes `returned` for the applicant to change and resubmit (or withdraw). Audited as `request.return`. 退回申请人修改后重新提交。
         */
        post: operations["returnRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw the own request / 撤回申请
         * @description By the applicant only (403 `forbidden` otherwise), while the request is `pending` or `returned` (409 `not_pending` otherwise). Audited as `request.withdraw`. 申请人可在审批结束前撤回。
         */
        post: operations["withdrawRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/resubmit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resubmit a returned request / 重新提交
         * @description By the applicant only, while the request is `returned`. `data` (optional) replaces the
         *     form data and is checked again (400 `invalid`, `field` = `data.FIELD`). The whole
         *     approval chain starts again, resolved anew (409 `no_approver` when a step has nobody).
         *     Audited as `request.resubmit`. 修改后重新提交，审批链重新开始。
         */
        post: operations["resubmitRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/inbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests waiting for the caller's decision, oldest first / 待我审批 */
        get: operations["approvalInbox"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * isms's own backups and their verification / 系统自身备份记录
         * @description Newest first. Each backup is a snapshot of the database taken while isms serves, with
         *     the attachments, keys and policy files, compressed (zstd) and encrypted (libsodium
         *     secretstream) into `DIR/backups/`, then restored into a scratch folder and checked:
         *     `PRAGMA integrity_check`, the audit chain, the row counts recorded at backup time and
         *     every attachment the database names. Only a backup that passed is `verified`; a
         *     `failed` one says why in `error` and its file is gone. `offsite` tells whether the
         *     copy to the off-site folder was made; `pruned_at` when the retention rule removed it.
         *     备份均在线快照、压缩加密，并恢复到临时目录校验后方计为"已验证"。
         */
        get: operations["listBackups"];
        put?: never;
        /**
         * Back up now / 立即备份
         * @description Hands a backup to the server's backup worker, which starts it within seconds; follow
         *     it in the list (`running`, then `verified` or `failed`; a failure is recorded in the
         *     backup's `error`). Audited `backup.request`
         *     (the run itself `backup.run`). 409 `backup_running` while one is asked for or running.
         */
        post: operations["runBackup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backups/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schedule, retention and off-site folder / 备份计划与保留策略 */
        get: operations["getBackupConfig"];
        /**
         * Change the schedule, retention or off-site folder / 修改备份计划
         * @description Any of `schedule` (cron, in the organization's local time), `keep` ({daily 1..366,
         *     weekly 0..520, monthly 0..1200}) and `offsite_dir` (an absolute folder on the server
         *     that exists, that isms can write to and that is outside the data folder; null for
         *     none), with the `version` read. Audited `backup.config` with before and after.
         */
        put: operations["putBackupConfig"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backup-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Backup jobs of the organization's systems / 业务系统备份任务
         * @description The backup jobs of the organization's systems (ERP, OA, mail, finance…), by id: those of
         *     the policy pack (`source` `pack`, synced in by key at start) and those added by an
         *     administrator (`source` `admin`). Each with its `status` as of now: `missed` while a
         *     scheduled time found missed by the clock tick has no successful run (off-site for an
         *     off-site miss) finished after it; else `never` without runs; else by the last run
         *     `failed`, `unverified` or `ok`. `next_due_at` is the next scheduled time (null while
         *     disabled). 备份任务及其状态。
         */
        get: operations["listBackupJobs"];
        put?: never;
        /**
         * Add a backup job / 新增备份任务
         * @description An administrator's job. `key` and `system` are 1-48 characters of a-z, 0-9 and _,
         *     starting with a letter; `schedule` 1-8 cron lines (minute hour day month weekday, in the
         *     calendar's time zone); `within` (1m-31d) and `max_age` (1h-3660d) durations on the clock
         *     (`30m`, `2h`, `1d`, `1w`); `offsite` a cron line whose times need an off-site run, or
         *     null. Its scheduled times count from now. Audited as `backup_job.create`.
         */
        post: operations["createBackupJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backup-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One backup job / 备份任务 */
        get: operations["getBackupJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a backup job / 修改备份任务
         * @description `{"version", …}`. Of a pack job only `enabled`, `within` and `max_age` change (409
         *     `pack_job` for another key: change the pack); of an administrator's job also `system`,
         *     `label`, `schedule` and `offsite` (`key` never). A new schedule, or enabling, counts
         *     from now. A later change of the pack's definition of a pack job replaces `within` and
         *     `max_age` with the pack's. Audited as `backup_job.update`.
         */
        patch: operations["updateBackupJob"];
        trace?: never;
    };
    "/api/v1/backup-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reported backup runs / 备份记录
         * @description Newest first; `next` is a run id.
         */
        get: operations["listBackupRuns"];
        put?: never;
        /**
         * Report a backup run / 登记一次备份
         * @description For the backup scripts, with an API token (`Authorization: Bearer isms_…`, scope
         *     `write`) or a session. `size`, `sha256` and `location` are required for an `ok` run;
         *     `finished_at` defaults to now and may be at most 5 minutes ahead; `verified` and
         *     `offsite` default to false; a failed run is never verified. The job must exist (400
         *     `invalid`, `field` `job`) and be enabled (409 `job_disabled`). A failed run notifies
         *     `backup.failed`, an ok run not verified `backup.unverified`, to the IT staff and the
         *     system administrators (in-app and the notification channels). Audited as
         *     `backup_run.report`. 备份脚本用 API 令牌登记每次备份。
         */
        post: operations["reportBackupRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The vault's state / 密码保管库状态
         * @description `uninitialized` (no key yet), `sealed` (the key is not in the server's memory: every
         *     start of `isms serve` seals it) or `unsealed`; who unsealed it and when; the wrong
         *     passphrases in a row (`failures`) and, while locked, `locked_until`. 保管库状态。
         */
        get: operations["getVaultStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/init": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create the vault key / 初始化密码保管库
         * @description Makes a random 32-byte data key and stores it in `DIR/keys/vault.key` (mode 0600),
         *     wrapped (XChaCha20-Poly1305) under a key derived from the passphrase with argon2id
         *     (random salt; opslimit and memlimit stored next to it, libsodium INTERACTIVE or more).
         *     The passphrase has at least 16 characters (code points) and passes the password-quality
         *     check (400 `weak_password`, field `passphrase`); it is never stored. The vault is left
         *     unsealed. Sessions only. Audited as `vault.init`. 设置保管库口令（至少 16 个字符）。
         */
        post: operations["initVault"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/unseal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unseal the vault / 解封密码保管库
         * @description Unwraps the data key with the passphrase and keeps it in the server's memory (locked,
         *     read-only pages) until the vault is sealed or the server stops. A wrong passphrase is
         *     403 `wrong_passphrase` (`detail`: attempts left) and changes nothing but the count;
         *     the 5th wrong passphrase in a row locks the vault for 15 minutes: 423 `vault_locked`
         *     with `unlock_at`, audited as `vault.locked`, the security administrators notified
         *     (`vault.locked`). While locked even the right passphrase is refused and not counted.
         *     The count lives in the database (a restart does not reset it); success resets it.
         *     The local operator unseals with `isms vault unseal --data DIR`. Sessions only.
         *     Audited as `vault.unseal` / `vault.unseal_failed`. 口令连续错误 5 次锁定 15 分钟。
         */
        post: operations["unsealVault"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/seal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Seal the vault / 封存密码保管库
         * @description Wipes the data key from the server's memory. No body (or `{}`). Sessions only. Audited as `vault.seal`.
         */
        post: operations["sealVault"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Generate a password / 生成强密码
         * @description A random password (libsodium `randombytes_uniform`) of `length` 16 to 64 (default 20)
         *     over the alphabet `ABCDEFGHJKLMNPQRSTUVWXYZ` `abcdefghijkmnpqrstuvwxyz` `23456789`
         *     `!#%*+-=@^_~` (no look-alikes such as I, l, O, 0, 1, o; nothing a shell, a device's
         *     command line, a URL or a CSV file treats specially), with every class present and
         *     passing the password-quality check. Nothing is stored. Works while sealed.
         */
        post: operations["generatePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/reveals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The reveal record / 密码查看记录
         * @description Who saw which entry's secret, when and why, newest first; `next` is a reveal id. The same facts are in the audit trail as `vault.reveal`.
         */
        get: operations["listVaultReveals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Vault entries (metadata) / 密码登记条目
         * @description By id; `next` is an entry id. Metadata only, never a secret; works while sealed.
         */
        get: operations["listVaultEntries"];
        put?: never;
        /**
         * Add an entry / 登记密码
         * @description With the secret given (`secret`, which must pass the password-quality check; it is not
         *     echoed) or generated (`generate`, answered once as `secret`). Sealed with
         *     XChaCha20-Poly1305 under the data key, bound to the entry id. Due for rotation a year
         *     from now. 409 `secret_reused` when another entry has the same password. Audited as
         *     `vault.entry_create` (never the secret).
         */
        post: operations["createVaultEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/entries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One entry (metadata) / 密码登记条目 */
        get: operations["getVaultEntry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an entry's metadata / 修改条目
         * @description `{"version", …}`; the secret changes only by rotation. Only a holder of one of the
         *     entry's current reveal roles (so nobody widens an entry they cannot see to
         *     themselves). Audited as `vault.entry_update` with before and after.
         */
        patch: operations["updateVaultEntry"];
        trace?: never;
    };
    "/api/v1/vault/entries/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a new password / 更换密码
         * @description After changing the password on the device: the new one given or generated (answered
         *     once). `rotated_at` becomes now, due again in a calendar year (`rotate_reason`
         *     `yearly`). The same password as any entry's (this one's included) is 409
         *     `secret_reused`. Only a holder of one of the entry's reveal roles. Audited as
         *     `vault.rotate`.
         */
        post: operations["rotateVaultEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/entries/{id}/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reveal a password / 查看密码
         * @description Only for a holder of one of the roles named on the entry (`reveal_roles`), with a
         *     `reason` of 4 to 500 characters. Recorded in the reveal record and audited as
         *     `vault.reveal` with the reason and the entry id (never the secret) before the answer
         *     is sent, with `Cache-Control: no-store`. The web interface hides the secret again
         *     after `hide_after` seconds. Sessions only (not API tokens). 查看须说明原因并记录审计。
         */
        post: operations["revealVaultEntry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/vault/entries/{id}/vendor-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a vendor's access / 登记厂商远程维护
         * @description A vendor was given the password (e.g. for remote maintenance, 厂方调试): the entry is
         *     due for rotation within 1 hour (`rotate_due_at` = now + 1 h, or the earlier due it
         *     had; `rotate_reason` `vendor_access`). The next clock tick reminds the holders of the
         *     reveal roles ("rotate within the hour"), again when it is overdue and daily while it
         *     stays overdue. Works while sealed. Only a holder of one of the entry's reveal roles.
         *     Audited as `vault.vendor_access`.
         */
        post: operations["recordVendorAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account review campaigns, newest first / 账号复核列表 */
        get: operations["listReviews"];
        put?: never;
        /**
         * Start the monthly account review / 发起账号定期复核
         * @description One item per enabled account, flagged `dormant` (no login for 90 days),
         *     `orphaned` (no department, or a department without a head) or `over_privileged` (an
         *     administrator role, or three roles or more). Every department head is notified to
         *     attest the accounts of the department. 409 `conflict` when the period was reviewed
         *     already. Audited as `review.start`. 每月账号复核，由部门负责人确认。
         */
        post: operations["startAccountReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account-reviews/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One account review with its items / 查看账号复核
         * @description Every item for the security and audit administrators and assessors; a department head sees the items of the departments they head; the general manager also those no head attests (the heads' own accounts, accounts outside a department with a head); anyone else the campaign without items.
         */
        get: operations["getAccountReview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account-reviews/{id}/items/{item}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Attest one account / 复核确认账号
         * @description By the head of the account's department; the head's own account and accounts of
         *     departments without a head (or of none) go to the general manager or the security
         *     administrator. Nobody attests their own account (403 `self_approval`); an item is
         *     decided once (409 `conflict`). `revoke_roles` notifies the security administrators and
         *     `disable` the system administrators, who act on it (三员分立). When the last item is
         *     decided the campaign completes and its result is kept in register `account_review`.
         *     Audited as `review.decide`. 部门负责人逐一确认：保留、撤销角色或停用。
         */
        post: operations["decideReviewItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Deadline: {
            id: number;
            /** @description The pack's deadline id. */
            rule: string;
            /** @description The rule's label; null once the rule has left the pack. */
            label: components["schemas"]["Label"] | null;
            /** @description The clause of the regulations. */
            source: string | null;
            subject: {
                /** @enum {string} */
                kind: "record" | "request";
                id: number;
                /** @description The register or request type. */
                type: string | null;
            };
            record_id: number | null;
            request_id: number | null;
            /** @description The department of the record or request (a department head sees the department's deadlines); in lists. */
            department_id?: number | null;
            /** @enum {string} */
            status: "due" | "overdue" | "paused" | "met" | "breached";
            /** @enum {string} */
            state: "running" | "paused" | "met" | "breached";
            /** Format: date-time */
            started_at: string;
            /**
             * Format: date-time
             * @description While paused: as at the pause.
             */
            due_at: string;
            /** Format: date-time */
            paused_at: string | null;
            /** @enum {string|null} */
            paused_by: "status" | "manual" | null;
            pause_note: string | null;
            /** Format: date-time */
            stopped_at: string | null;
            /** @description Escalation levels sent so far. */
            level: number;
            /**
             * Format: date-time
             * @description When the next level is due.
             */
            next_at: string | null;
            version: number;
        };
        Task: {
            id: number;
            duty: string;
            /** @description The duty's label; null once the duty has left the pack. */
            label: components["schemas"]["Label"] | null;
            source: string | null;
            /** @description The register whose record fulfils it. */
            register: string | null;
            /** Format: date-time */
            occurs_at: string;
            /** Format: date-time */
            due_at: string;
            owner_id: number | null;
            /** @enum {string} */
            status: "open" | "done" | "missed";
            record_id: number | null;
            /** Format: date-time */
            done_at: string | null;
            /** @description null: fulfilled by the clock tick. */
            done_by: number | null;
            version: number;
        };
        Backup: {
            id: number;
            /** @example isms-20261122T023000Z-12.ismsbak */
            name: string | null;
            /** @enum {string} */
            trigger: "schedule" | "manual" | "cli";
            requested_by: number | null;
            /** Format: date-time */
            started_at: string;
            /** Format: date-time */
            finished_at: string | null;
            /** @description Bytes of the encrypted file. */
            size: number | null;
            /** @description Of the encrypted file. */
            sha256: string | null;
            /** @enum {string} */
            status: "running" | "verified" | "failed";
            error: string | null;
            /** @description What the verification found in the restored copy. */
            check: {
                /** @example ok */
                integrity?: string;
                audit?: {
                    ok?: boolean;
                    size?: number;
                    checkpoints?: number;
                    message?: string;
                };
                counts?: {
                    [key: string]: number;
                };
                counts_match?: boolean;
                files?: number;
                missing_files?: number;
                schema?: number;
                /** Format: date-time */
                created_at?: string;
            } | null;
            offsite: {
                /** @enum {string} */
                status: "none" | "copied" | "failed";
                error: string | null;
            };
            /** Format: date-time */
            pruned_at: string | null;
        };
        BackupConfig: {
            /** @example 30 2 * * * */
            schedule: string;
            keep: {
                daily: number;
                weekly: number;
                monthly: number;
            };
            offsite_dir: string | null;
            /** Format: date-time */
            next_at: string | null;
            /** Format: date-time */
            requested_at: string | null;
            version: number;
        };
        Delivery: {
            id: number;
            notification_id: number | null;
            channel_id: number;
            channel: string;
            recipient: string;
            subject: string;
            /** @enum {string} */
            status: "pending" | "sent" | "failed";
            attempts: number;
            /** Format: date-time */
            next_at: string | null;
            last_error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            sent_at: string | null;
        };
        Channel: {
            id: number;
            /** @enum {string} */
            kind: "email" | "wecom" | "dingtalk" | "feishu";
            name: string;
            enabled: boolean;
            version: number;
            config: components["schemas"]["ChannelConfig"];
        };
        /** @description The settings without secrets (password_set / secret_set) and with URLs cut to their host. */
        ChannelConfig: {
            /** @description email: the server, cut to its host. */
            smtp_url?: string;
            /** Format: email */
            from?: string;
            username?: string;
            starttls?: boolean;
            /** @description email: a password is kept (sealed). */
            password_set?: boolean;
            /** @description Chat robots: the address, cut to its host. */
            webhook_url?: string;
            /** @description dingtalk, feishu: a signing secret is kept (sealed). */
            secret_set?: boolean;
            /** @description The notification kinds it carries (patterns such as `request.*`). */
            kinds?: string[];
        };
        /** @description email: `smtp_url`, `from`, `username`?, `password`?, `starttls`?; wecom: `webhook_url`; dingtalk and feishu: `webhook_url`, `secret`?; all: `kinds`?. On a change a password or secret left out is kept, `null` removes it. */
        ChannelConfigInput: {
            smtp_url?: string;
            /** Format: email */
            from?: string;
            username?: string;
            /** Format: password */
            password?: string | null;
            /** @default true */
            starttls?: boolean;
            webhook_url?: string;
            /** Format: password */
            secret?: string | null;
            kinds?: string[];
        };
        Calendar: {
            /** @example Asia/Shanghai */
            time_zone: string;
            /** @example +08:00 */
            utc_offset: string;
            working_hours: {
                /** @example 08:30 */
                start: string;
                /** @example 12:00 */
                end: string;
            }[];
            weekend: ("sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday")[];
            holidays: string[];
            /** @description 调休 make-up working days */
            workdays: string[];
            version: number;
        };
        /** @description The calendar to keep, with the version read; a setting left out takes its default. */
        CalendarUpdate: {
            time_zone?: components["schemas"]["Calendar"]["time_zone"];
            utc_offset?: components["schemas"]["Calendar"]["utc_offset"];
            working_hours?: components["schemas"]["Calendar"]["working_hours"];
            weekend?: components["schemas"]["Calendar"]["weekend"];
            holidays?: components["schemas"]["Calendar"]["holidays"];
            workdays?: components["schemas"]["Calendar"]["workdays"];
            version: number;
        };
        VaultStatus: {
            /** @enum {string} */
            state: "uninitialized" | "sealed" | "unsealed";
            /** Format: date-time */
            unsealed_at: string | null;
            /** @description A login name, or `cli:<login>` for `isms vault unseal`. */
            unsealed_by: string | null;
            /** @description Wrong passphrases in a row (5 lock the vault). */
            failures: number;
            /** Format: date-time */
            locked_until: string | null;
            /** Format: date-time */
            initialized_at: string | null;
        };
        VaultPassphrase: {
            passphrase: string;
        };
        /** @enum {string} */
        VaultKind: "server" | "firewall" | "router" | "switch" | "erp_admin" | "oa_admin" | "domain" | "mail" | "database" | "other";
        /** @description Who may reveal, rotate and record vendor access (audit_admin never reveals). */
        VaultRevealRoles: ("it_staff" | "sys_admin" | "security_admin")[];
        /** @description Never the secret. */
        VaultEntry: {
            id: number;
            name: string;
            kind: components["schemas"]["VaultKind"];
            system: string;
            host: string;
            username: string;
            reveal_roles: components["schemas"]["VaultRevealRoles"];
            notes: string;
            /** Format: date-time */
            rotated_at: string;
            /** Format: date-time */
            rotate_due_at: string;
            /** @enum {string} */
            rotate_reason: "yearly" | "vendor_access";
            /**
             * Format: date-time
             * @description The last vendor access.
             */
            vendor_access_at: string | null;
            vendor: string | null;
            vendor_note: string | null;
            /**
             * @description `due_soon`: within 14 days of a yearly due, or any time before a vendor-access due.
             * @enum {string}
             */
            rotation_status: "ok" | "due_soon" | "overdue";
            version: number;
            /** Format: date-time */
            created_at: string;
        };
        VaultGenerate: {
            /** @default 20 */
            length?: number;
        };
        /** @description Exactly one of `secret` and `generate`. A null text is the same as an absent one. */
        VaultEntryCreate: {
            name: string;
            kind: components["schemas"]["VaultKind"];
            system?: string | null;
            host?: string | null;
            username?: string | null;
            reveal_roles: components["schemas"]["VaultRevealRoles"];
            notes?: string | null;
            secret?: string;
            generate?: components["schemas"]["VaultGenerate"];
        };
        /** @description The keys given change; a null text is the same as an absent one (it keeps the value). */
        VaultEntryUpdate: {
            version: number;
            name?: string;
            kind?: components["schemas"]["VaultKind"];
            system?: string | null;
            host?: string | null;
            username?: string | null;
            reveal_roles?: components["schemas"]["VaultRevealRoles"];
            notes?: string | null;
        };
        /** @description Exactly one of `secret` and `generate`. */
        VaultRotate: {
            version: number;
            secret?: string;
            generate?: components["schemas"]["VaultGenerate"];
        };
        VaultEntryAnswer: {
            entry: components["schemas"]["VaultEntry"];
            /** @description Only when generated; shown once. */
            secret?: string;
        };
        VaultReveal: {
            id: number;
            entry_id: number;
            entry_name: string;
            user_id: number | null;
            username: string;
            reason: string;
            /** @description The client address. */
            source: string;
            /** Format: date-time */
            at: string;
        };
        /**
         * @example {
         *       "error": {
         *         "code": "invalid",
         *         "message": "输入有误",
         *         "request_id": "4a36c3310000000c",
         *         "field": "username",
         *         "detail": "2 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
         *       }
         *     }
         */
        Error: {
            error: {
                /**
                 * @description Stable, machine-readable.
                 * @enum {string}
                 */
                code: "invalid" | "invalid_json" | "unknown_field" | "unauthenticated" | "session_expired" | "bad_credentials" | "otp_required" | "bad_otp" | "one_time_password_expired" | "forbidden" | "csrf" | "password_change_required" | "totp_enrollment_required" | "weak_password" | "not_found" | "method_not_allowed" | "conflict" | "stale_version" | "username_taken" | "name_taken" | "admin_separation" | "admin_exclusive" | "authorization_required" | "totp_already_enabled" | "totp_not_started" | "unsupported_media_type" | "too_large" | "account_locked" | "rate_limited" | "no_approver" | "self_approval" | "not_your_step" | "not_pending" | "not_open" | "unsupported_file_type" | "import_invalid" | "backup_running" | "no_verified_backup" | "pack_job" | "job_disabled" | "wrong_passphrase" | "vault_locked" | "vault_sealed" | "vault_initialized" | "vault_uninitialized" | "vault_key_invalid" | "secret_reused" | "internal";
                /**
                 * @description For people, in the language of `Accept-Language` (Chinese by default).
                 * @example 输入有误
                 */
                message: string;
                /** @description Correlation id, also in the `X-Request-Id` header and the server log. */
                request_id: string;
                /** @description The input at fault: a JSON path such as `data.temperature` or `attachments[0]`, a query parameter, or `file`. */
                field?: string;
                /** @description What is wrong, in English (never SQL, stack traces or secrets). */
                detail?: string;
                /**
                 * @description Why the field named by `field` was refused (input specs); `message` then says it in the person's language, naming the field, e.g. 温度应在 -20 到 60 之间.
                 * @enum {string}
                 */
                reason?: "required" | "too_long" | "too_short" | "wrong_type" | "not_in_list" | "out_of_range" | "bad_format" | "unknown_field";
                /**
                 * Format: date-time
                 * @description With `account_locked` (null means until an administrator unlocks) and `vault_locked`.
                 */
                unlock_at?: string | null;
                /** @description With `import_invalid`; every bad row and cell. */
                report?: components["schemas"]["ImportReport"];
            };
        };
        Page: {
            items: unknown[];
            /** @description Pass as `after` for the next page; null on the last page. */
            next: string | null;
        };
        Health: {
            /** @enum {string} */
            status: "ok";
            version: string;
            /** @description Database schema version. */
            schema: number;
            /** Format: date-time */
            time: string;
        };
        /** @enum {string} */
        RoleName: "sys_admin" | "security_admin" | "audit_admin" | "it_staff" | "leader" | "general_manager" | "finance_head" | "assessor";
        Role: {
            name: components["schemas"]["RoleName"];
            /** @description One of the three separated administrators. */
            administrator: boolean;
            /** @example 系统管理员 */
            title_zh: string;
            /** @example System administrator */
            title_en: string;
        };
        User: {
            id: number;
            username: string;
            /** @description 1 to 64 characters (code points). */
            display_name: string;
            department_id: number | null;
            email: string | null;
            roles: components["schemas"]["RoleName"][];
            disabled: boolean;
            must_change_password: boolean;
            totp_enabled: boolean;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            password_changed_at: string;
            /** Format: date-time */
            last_login_at: string | null;
            /**
             * @description The language of the person's messages (PATCH /api/v1/me).
             * @enum {string}
             */
            locale?: "zh-CN" | "en";
            /** @description Send it back with a change. */
            version: number;
            /** @description In single-account answers and the account list. */
            locked?: boolean;
            /** Format: date-time */
            locked_until?: string | null;
        };
        UserCreate: {
            /** @description 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit. 登录名。 */
            username: string;
            /** @description 姓名 */
            display_name: string;
            department_id?: number | null;
            email?: string;
        };
        UserUpdate: {
            version: number;
            display_name?: string;
            department_id?: number | null;
            email?: string | null;
        };
        UserWithPassword: {
            user: components["schemas"]["User"];
            /** @description The one-time password, shown once; never stored in clear or logged. 初始密码。 */
            initial_password: string;
        };
        Department: {
            id: number;
            name: string;
            parent_id: number | null;
            /** @description The department head (部门负责人). */
            head_user_id: number | null;
            /** Format: date-time */
            created_at: string;
            version: number;
        };
        DepartmentCreate: {
            name: string;
            parent_id?: number | null;
            head_user_id?: number | null;
        };
        DepartmentUpdate: {
            version: number;
            name?: string;
            parent_id?: number | null;
            head_user_id?: number | null;
        };
        LoginRequest: {
            username: string;
            /** Format: password */
            password: string;
            /** @description A TOTP code, or a recovery code, once 2FA is enrolled. */
            otp?: string;
        };
        LoginResponse: {
            user: components["schemas"]["User"];
            /** @description Send as `X-CSRF-Token` on unsafe methods. */
            csrf: string;
            must_change_password: boolean;
            totp_enrollment_required: boolean;
        };
        Me: {
            user: components["schemas"]["User"];
            must_change_password: boolean;
            totp_enrollment_required: boolean;
            via_token: boolean;
            /** @description The permissions the caller holds everywhere (GET /api/v1/permissions names them); the web shows what these allow. */
            permissions: string[];
            /** @description The permissions the caller holds for its own department only. */
            department_permissions: string[];
        };
        PermissionMatrix: {
            permissions: {
                /** @example audit.verify */
                name: string;
                /** @example audit */
                module: string;
                /** @enum {string} */
                class: "common" | "business" | "system" | "security" | "audit" | "operations" | "oversight";
                title_zh: string;
                title_en: string;
            }[];
            roles: {
                /** @example audit_admin */
                id: string;
                title_zh: string;
                title_en: string;
                /** @description The permissions of every account. */
                everyone: boolean;
                /** @description Holds a system, security or audit permission (三员分立). */
                administrator: boolean;
                permissions: {
                    name: string;
                    /** @enum {string} */
                    scope: "all" | "department";
                }[];
                holders: {
                    id: number;
                    username: string;
                    display_name: string;
                }[];
            }[];
        };
        PasswordChange: {
            /** Format: password */
            old_password: string;
            /** Format: password */
            new_password: string;
        };
        TotpStart: {
            /** @description Base32, 160 bits. */
            secret: string;
            /** @example otpauth://totp/isms:zhang.wei?secret=…&issuer=isms */
            uri: string;
            /** @description The URI as a QR code (SVG). */
            qr_svg: string;
        };
        Notification: {
            id: number;
            /** @example account_locked */
            kind: string;
            params: Record<string, unknown>;
            /** @description The pack's template for the kind, in the language of `Accept-Language` (absent when the kind has none). */
            subject?: string;
            /** @description As `subject`. */
            body?: string;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            read_at: string | null;
        };
        Token: {
            id: number;
            name: string;
            scopes: ("read" | "write")[];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string;
            /** Format: date-time */
            revoked_at: string | null;
            /** Format: date-time */
            last_used_at: string | null;
        };
        /** @description Every setting, as in force. */
        Policy: {
            /**
             * @description dengbao: GB/T 22239 composition and rotation (default); nist: SP 800-63B.
             * @enum {string}
             */
            password_profile: "dengbao" | "nist";
            password_min_length: number;
            password_min_classes: number;
            password_history: number;
            password_max_age_days: number;
            lockout_deny: number;
            lockout_fail_interval: number;
            /** @description 0 = until an administrator unlocks. */
            lockout_unlock_time: number;
            lockout_ceiling: number;
            session_idle: number;
            session_absolute: number;
            single_session: boolean;
            totp_required_roles: components["schemas"]["RoleName"][];
            /** @description Department heads (they approve) must use two-factor login; default true. */
            totp_required_department_heads: boolean;
            totp_required_everyone: boolean;
            /** @description Login attempts per minute per client address and login name (default 30). */
            login_rate_per_minute: number;
            /** @description Login attempts per minute per client address whatever the names (default 300); not below login_rate_per_minute. */
            login_rate_per_address: number;
            /** @description An unused one-time password expires after this many days. */
            one_time_password_days: number;
            org_name: string;
        };
        /** @description Some of the settings (those to change); see Policy. */
        PolicyChange: {
            password_profile?: components["schemas"]["Policy"]["password_profile"];
            password_min_length?: components["schemas"]["Policy"]["password_min_length"];
            password_min_classes?: components["schemas"]["Policy"]["password_min_classes"];
            password_history?: components["schemas"]["Policy"]["password_history"];
            password_max_age_days?: components["schemas"]["Policy"]["password_max_age_days"];
            lockout_deny?: components["schemas"]["Policy"]["lockout_deny"];
            lockout_fail_interval?: components["schemas"]["Policy"]["lockout_fail_interval"];
            lockout_unlock_time?: components["schemas"]["Policy"]["lockout_unlock_time"];
            lockout_ceiling?: components["schemas"]["Policy"]["lockout_ceiling"];
            session_idle?: components["schemas"]["Policy"]["session_idle"];
            session_absolute?: components["schemas"]["Policy"]["session_absolute"];
            single_session?: components["schemas"]["Policy"]["single_session"];
            totp_required_roles?: components["schemas"]["Policy"]["totp_required_roles"];
            totp_required_department_heads?: components["schemas"]["Policy"]["totp_required_department_heads"];
            totp_required_everyone?: components["schemas"]["Policy"]["totp_required_everyone"];
            login_rate_per_minute?: components["schemas"]["Policy"]["login_rate_per_minute"];
            login_rate_per_address?: components["schemas"]["Policy"]["login_rate_per_address"];
            one_time_password_days?: components["schemas"]["Policy"]["one_time_password_days"];
            org_name?: components["schemas"]["Policy"]["org_name"];
        };
        /**
         * @description One entry; its canonical JSON (sorted keys, compact, UTF-8) is a leaf of the RFC 9162
         *     Merkle tree. Never contains a secret. 审计记录：时间、主体、来源、事件、客体、结果、前后值。
         */
        AuditEntry: {
            seq: number;
            /** Format: date-time */
            time: string;
            /** @example sysadmin */
            actor: string;
            actor_id: number;
            /** @example 127.0.0.1 */
            source: string;
            /** @example user.create */
            action: string;
            /** @example user:12 */
            object: string | null;
            /** @enum {string} */
            outcome: "success" | "failure" | "denied";
            before?: Record<string, unknown>;
            after?: Record<string, unknown>;
            detail?: Record<string, unknown>;
            /** @description Set when the stored entry is not JSON (the verifier names it). */
            damaged?: boolean;
        };
        VerifyResult: {
            ok: boolean;
            entries: number;
            checkpoints: number;
            /** @description With ok false, the first problem. */
            message?: string;
            first_bad_seq?: number | null;
        };
        Checkpoint: {
            /** @description A C2SP signed note: `<origin>\n<size>\n<base64 root>\n\n— <key name> <base64(key id || Ed25519 signature)>\n`. */
            checkpoint: string;
            /** @description `<name>+<hex key id>+<base64(0x01 || public key)>`; the key id is SHA-256(name, \n, 0x01, key)[:4]. */
            verifier_key: string;
        };
        InclusionProof: {
            seq: number;
            leaf_index: number;
            tree_size: number;
            /**
             * Format: byte
             * @description SHA-256(0x00 || entry)
             */
            leaf_hash: string;
            /** Format: byte */
            root: string;
            proof: string[];
            checkpoint: string | null;
            /** @description The exact bytes of the leaf. */
            entry: string;
        };
        ConsistencyProof: {
            first: number;
            second: number;
            /** Format: byte */
            first_root: string;
            /** Format: byte */
            second_root: string;
            proof: string[];
        };
        Label: {
            /** @example 机房巡检记录 */
            "zh-CN": string;
            /** @example Machine-room inspection log */
            en: string;
        };
        /** @description A form field (docs/policy-pack.md, "Forms"). */
        PackField: {
            id: string;
            /** @enum {string} */
            type: "text" | "number" | "date" | "datetime" | "enum" | "user" | "department" | "asset" | "file" | "bool";
            label: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            /** @default false */
            required?: boolean;
            /** @description enum: an array of value ids. */
            multiple?: boolean;
            integer?: boolean;
            min?: number;
            max?: number;
            /** @description Kept but flagged outside (正常范围). */
            normal?: {
                min?: number;
                max?: number;
            };
            /** @example °C */
            unit?: string;
            values?: {
                id: string;
                label: components["schemas"]["Label"];
            }[];
            max_length?: number;
            multiline?: boolean;
            placeholder?: components["schemas"]["Label"];
        };
        PackForm: {
            /** @example machine_room_inspection */
            id: string;
            label: components["schemas"]["Label"];
            description?: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            /**
             * @description The clause of the regime it implements.
             * @example S0-1 第五条7
             */
            source?: string;
            fields: components["schemas"]["PackField"][];
        };
        /** @description A register (台账); its id is the record `type`. */
        PackRegister: {
            /** @example machine_room_inspection */
            id: string;
            label: components["schemas"]["Label"];
            description?: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            source?: string;
            /** @description The form of its records. */
            form: string;
            /** @description Roles that create and edit records; empty or absent means every account. */
            writers?: components["schemas"]["RoleName"][];
            /** @description Roles that read every record. */
            readers?: components["schemas"]["RoleName"][];
            /** @description The fields shown in lists and exported first. */
            columns?: string[];
            /** @description The first is the status of a new record (default `open`, `closed`). */
            statuses?: {
                id: string;
                label: components["schemas"]["Label"];
            }[];
            /** @description A `user` field that fills the record's owner. */
            owner_field?: string;
            /** @description A `department` field that fills the record's department. */
            department_field?: string;
        };
        PackStep: {
            id: string;
            label: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            /**
             * @default approve
             * @enum {string}
             */
            kind?: "approve" | "execute";
            /**
             * @description `department_head`, `department_head:FIELD`, `role:NAME` or `user:FIELD`.
             * @example role:it_staff
             */
            approver: string;
            /** @description Makes the step conditional: `{field, equals}`, `{field, includes}` or `{field, true: true}`. */
            when?: {
                field?: string;
                equals?: unknown;
                includes?: string;
                true?: boolean;
            };
        };
        /** @description A request type (申请 → 审批 → 执行 → 登记). */
        PackRequestType: {
            /** @example account */
            id: string;
            label: components["schemas"]["Label"];
            description?: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            source?: string;
            /** @description The group it is shown in when filing (发起申请). */
            category?: components["schemas"]["Label"];
            form: string;
            /** @enum {string} */
            action?: "create_account" | "change_permissions" | "departure" | "vendor_account" | "admin_account" | "data_cleanup";
            /** @description Roles that may file it (absent = everyone). */
            applicants?: components["schemas"]["RoleName"][];
            steps: components["schemas"]["PackStep"][];
        };
        /** @description A deadline of the pack (docs/policy-pack.md, "Deadlines"), on the records of a register or the requests of a type. */
        PackDeadline: {
            /** @example document_loan_return */
            id: string;
            label: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            /** @example S0-5 三.5.9c */
            source?: string;
            register?: string;
            request?: string;
            /** @description A datetime field the clock starts from. */
            start?: string;
            /**
             * @description A duration: 30m, 1h, 3d, 1w; 8wh working hours, 3wd working days.
             * @example 8wh
             */
            within: string;
            /** @description `{field}` (met once it has a value) or `{status: [IDS]}`. */
            until: {
                field?: string;
                status?: string[];
            };
            pause?: {
                status?: string[];
            };
            escalate: {
                /** @description `assignee`, `department_head` or `role:NAME`. */
                to: string;
                /** @description A duration counted from the deadline. */
                after?: string;
            }[];
        };
        /** @description A recurring duty of the pack (docs/policy-pack.md, "Recurring duties"). */
        PackDuty: {
            /** @example account_review_monthly */
            id: string;
            label: components["schemas"]["Label"];
            help?: components["schemas"]["Label"];
            source?: string;
            /**
             * @description A cron line in the calendar's time zone.
             * @example 0 9 25 * *
             */
            schedule: string;
            /** @example 3wd */
            within: string;
            /** @description Where the record that fulfils it is filed. */
            register: string;
            /** @example role:security_admin */
            owner: string;
            workdays_only?: boolean;
        };
        /** @description A record of a register (台账记录). */
        Record: {
            id: number;
            /**
             * @description The register.
             * @example machine_room_inspection
             */
            type: string;
            /** @example open */
            status: string;
            department_id: number | null;
            owner_id: number | null;
            /** @description The request whose execution made it. */
            request_id: number | null;
            /**
             * @description The form's values by field id (datetimes in UTC).
             * @example {
             *       "inspected_at": "2026-11-21T08:00:00Z",
             *       "temperature": 26.5,
             *       "result": "normal"
             *     }
             */
            data: Record<string, unknown>;
            /**
             * @description Number fields outside their normal range (超出正常范围).
             * @example [
             *       "temperature"
             *     ]
             */
            flags: string[];
            /** Format: date-time */
            created_at: string;
            /** @description Null when the system made it. */
            created_by: number | null;
            /** Format: date-time */
            updated_at: string;
            updated_by: number | null;
            /** @description Send it back with a change. */
            version: number;
        };
        RecordCreate: {
            /** @description The register. */
            type: string;
            /** @description The form's values by field id. */
            data: Record<string, unknown>;
        };
        RecordUpdate: {
            version: number;
            /** @description Fields to change, merged into the record's data; null removes one. */
            data?: Record<string, unknown>;
            /** @description One of the register's statuses. */
            status?: string;
        };
        /** @description The check of every row of an import (导入校验报告). */
        ImportReport: {
            /** @description Data rows (without the title row). */
            rows: number;
            valid: number;
            invalid_rows: number;
            /** @description Every bad cell (and unknown column title, row 1), at most 500. */
            errors: {
                /** @description As the spreadsheet shows it (titles = 1). */
                row: number;
                /** @description The column's title. */
                column: string;
                /** @description The field id, when the column is one. */
                field?: string;
                /** @description What is wrong, in English. */
                message: string;
            }[];
            /** @description Records written (0 on a dry run or with errors). */
            created: number;
            dry_run: boolean;
        };
        FileInfo: {
            /** @description Cite it in `file` fields and `attachments`. */
            sha256: string;
            size: number;
            /**
             * @description Recognized from the content.
             * @example application/pdf
             */
            content_type: string;
            name: string;
        };
        /**
         * @description pending → approved | completed (executed) | rejected | withdrawn; returned ↔ pending.
         * @enum {string}
         */
        RequestStatus: "pending" | "returned" | "approved" | "completed" | "rejected" | "withdrawn";
        RequestSummary: {
            id: number;
            /**
             * @description The request type.
             * @example account
             */
            type: string;
            status: components["schemas"]["RequestStatus"];
            applicant_id: number;
            /** @description The applicant's department when filed. */
            department_id: number | null;
            /** @description The form's values by field id. */
            data: Record<string, unknown>;
            result?: components["schemas"]["RequestResult"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            closed_at: string | null;
            version: number;
        };
        /** @description What executing did, once executed; the keys its action sets. */
        RequestResult: {
            /** @description The request type's action, or `none`. */
            action: string;
            /** @description The account made, changed or disabled. */
            user_id?: number;
            username?: string;
            granted?: components["schemas"]["RoleName"];
            /** @description change_permissions: the role bits before. */
            roles_before?: number;
            roles_after?: number;
            /**
             * Format: date-time
             * @description departure: when the account is disabled.
             */
            disabled_at?: string;
            /** @description departure: the records of the person's accounts in other systems. */
            external_accounts?: number[];
            /** @description departure: the handover checklist (交接清单) made. */
            handover_record?: number;
            /**
             * Format: date-time
             * @description vendor_account: when the account ends.
             */
            expires_at?: string;
            /** @description create_account: the register records made. */
            records?: number[];
            /** @description data_cleanup: the system cleaned up. */
            system?: string;
            /** @description data_cleanup: the verified backup the cleanup relied on. */
            backups?: Record<string, unknown>;
        };
        InboxItem: components["schemas"]["RequestSummary"] & {
            /** @description The id of the step waiting for the caller. */
            step: string;
            /** @enum {string} */
            step_kind: "approve" | "execute";
        };
        RequestStep: {
            seq: number;
            id: string;
            /** @description In the language of `Accept-Language`. */
            label: string;
            /** @enum {string} */
            kind: "approve" | "execute";
            /** @example department_head */
            approver: string;
            /** @enum {string} */
            status: "pending" | "waiting" | "skipped" | "approved" | "rejected" | "returned";
            /** @description The accounts that may act on the step. */
            assignees: number[];
            acted_by: number | null;
            /** Format: date-time */
            acted_at: string | null;
            comment: string | null;
            /**
             * @description On the step waiting for a decision.
             * @enum {boolean}
             */
            current?: true;
        };
        RequestEvent: {
            /** @description The step acted on (0 for filing and resubmitting). */
            seq: number;
            /** @enum {string} */
            action: "file" | "approve" | "reject" | "return" | "withdraw" | "resubmit";
            user_id: number | null;
            comment: string | null;
            attachments: string[];
            /** Format: date-time */
            at: string;
        };
        /** @description A request (申请) with its approval chain and history. */
        Request: components["schemas"]["RequestSummary"] & {
            /** @description The request type's label in the language of `Accept-Language`. */
            label: string;
            steps: components["schemas"]["RequestStep"][];
            events: components["schemas"]["RequestEvent"][];
            /** @description Only in the answer to approving an execute step that made an account; shown once, never stored. 初始密码只显示一次。 */
            secret?: {
                username: string;
                initial_password: string;
            };
        };
        RequestAction: {
            /** @description At most 2000 characters (code points). 审批意见。 */
            comment?: string | null;
            /** @description SHA-256 of files uploaded with `POST /api/v1/files` (field `attachments[i]` when one is not). */
            attachments?: string[] | null;
        };
        RequestResubmit: {
            comment?: string | null;
            attachments?: string[] | null;
            /** @description Replaces the form data; checked again. */
            data?: Record<string, unknown>;
        };
        RequestCreate: {
            /**
             * @description The request type.
             * @example account
             */
            type: string;
            /** @description The form's values by field id (400 `invalid`, `field` = `data.FIELD`). */
            data: Record<string, unknown>;
            comment?: string | null;
            /** @description SHA-256 of files uploaded with `POST /api/v1/files`. */
            attachments?: string[] | null;
        };
        /** @description A backup job of one of the organization's systems (业务系统备份任务). */
        BackupJob: {
            id: number;
            /** @example oa_database_daily */
            key: string;
            /** @example oa */
            system: string;
            label: components["schemas"]["Label"];
            /** @description Cron lines in the calendar's time zone. */
            schedule: string[];
            /**
             * @description Grace after each scheduled time before a missing run is missed.
             * @example 2h
             */
            within: string;
            /**
             * @description The scheduled times at which the run must be off-site.
             * @example 0 9 28 * *
             */
            offsite: string | null;
            /**
             * @description A data cleanup of the system needs a verified run newer than this.
             * @example 26h
             */
            max_age: string;
            /** @enum {string} */
            source: "pack" | "admin";
            /**
             * @description The regulation clause of a pack job.
             * @example S0-5 三.9.6b
             */
            clause: string | null;
            help: components["schemas"]["Label"] | null;
            enabled: boolean;
            /** @description A pack job no longer in the pack: kept for its runs, not checked. */
            retired: boolean;
            version: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** @enum {string} */
            status: "ok" | "missed" | "failed" | "unverified" | "never";
            /** @description The latest missed scheduled time not made good since. */
            missed: {
                /** Format: date-time */
                due_at?: string;
                /** @enum {string} */
                kind?: "run" | "offsite";
            } | null;
            last_run: components["schemas"]["BackupRun"] | null;
            /** Format: date-time */
            last_verified_at: string | null;
            /** Format: date-time */
            next_due_at: string | null;
        };
        BackupJobCreate: {
            key: string;
            system: string;
            label: components["schemas"]["Label"];
            schedule: string[];
            /** @example 2h */
            within: string;
            offsite?: string | null;
            /** @example 26h */
            max_age: string;
            /** @default true */
            enabled?: boolean;
        };
        BackupJobPatch: {
            version: number;
            enabled?: boolean;
            within?: string;
            max_age?: string;
            /** @description Administrators' jobs only. */
            system?: string;
            /** @description Administrators' jobs only. */
            label?: components["schemas"]["Label"];
            /** @description Administrators' jobs only. */
            schedule?: string[];
            /** @description Administrators' jobs only. */
            offsite?: string | null;
        };
        /** @description One reported run of a backup job; never changed. */
        BackupRun: {
            id: number;
            job_id: number;
            job_key: string;
            /** @enum {string} */
            status: "ok" | "failed";
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string;
            /** @description Bytes. */
            size: number;
            sha256: string | null;
            location: string | null;
            offsite: boolean;
            verified: boolean;
            message: string | null;
            /** @description The reporter's login, or cli:LOGIN for isms backup report. */
            reported_by: string;
            /** Format: date-time */
            reported_at: string;
        };
        BackupRunReport: {
            /**
             * @description The job's key.
             * @example erp_daily
             */
            job: string;
            /** @enum {string} */
            status: "ok" | "failed";
            /**
             * Format: date-time
             * @description Default now; at most 5 minutes ahead.
             */
            finished_at?: string;
            /** Format: date-time */
            started_at?: string;
            /** @description Bytes; required for ok. */
            size?: number;
            /** @description Required for ok. */
            sha256?: string;
            /** @description Where the backup is kept (code points); required for ok. */
            location?: string;
            /** @default false */
            offsite?: boolean;
            /** @default false */
            verified?: boolean;
            message?: string;
        };
        /** @description A monthly account review campaign (账号定期复核). */
        Review: {
            id: number;
            /** @example 2026-11 */
            period: string;
            started_by: number | null;
            /** Format: date-time */
            started_at: string;
            /** Format: date-time */
            completed_at: string | null;
            version: number;
            items: components["schemas"]["ReviewItem"][];
        };
        ReviewItem: {
            id: number;
            department_id: number | null;
            user_id: number;
            username: string;
            display_name: string;
            /**
             * @description The account's roles when the review started, comma-separated (empty for none).
             * @example it_staff,leader
             */
            roles: string;
            /** Format: date-time */
            last_login_at: string | null;
            /** @description dormant: no login for 90 days; orphaned: no department or no head; over_privileged: an administrator role or three roles; admin_separation: breaks the three-administrator rule. */
            flags: ("dormant" | "orphaned" | "over_privileged" | "admin_separation")[];
            /** @description The account's live API tokens when the review started (they are logins too). */
            tokens: {
                id: number;
                name: string;
                scopes: ("read" | "write")[];
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                expires_at: string;
                /** Format: date-time */
                last_used_at: string | null;
            }[];
            /** @enum {string|null} */
            decision: "keep" | "revoke_roles" | "disable" | null;
            decided_by: number | null;
            /** Format: date-time */
            decided_at: string | null;
            comment: string | null;
        };
    };
    responses: {
        /** @description Done. */
        Ok: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    /** @enum {boolean} */
                    ok: true;
                };
            };
        };
        /** @description The account. */
        UserAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    user: components["schemas"]["User"];
                };
            };
        };
        /** @description The department. */
        DepartmentAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    department: components["schemas"]["Department"];
                };
            };
        };
        /** @description The input is not valid (`field` names it; `detail` says why). 输入有误。 */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not logged in, the session ended or timed out, or the token is not valid. 未登录或会话已失效。 */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not allowed for the caller's roles, the CSRF token is missing, or the password must be changed / 2FA enrolled first. Recorded as `access.denied`. 无权操作。 */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such record. 未找到。 */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The path exists, the method does not (any route). */
        MethodNotAllowed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Someone changed the record since it was read; read it again. 数据已被他人修改。 */
        StaleVersion: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A department with this name exists. */
        NameTaken: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The stored audit tree is incomplete or inconsistent with its last checkpoint; run `isms audit verify`. */
        Damaged: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is over 1 MiB. 请求内容过大。 */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many wrong current passwords locked the account. */
        Locked: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description An unexpected error; its `request_id` is in the server log. No detail is given. 服务器内部错误。 */
        Internal: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The input is not valid, or the passphrase or secret fails the password-quality check (`field` names it, `detail` says why). */
        VaultWeakPassphrase: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The vault is sealed, the password is another entry's, or the name is taken. */
        VaultSecretConflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request with its steps and history (and, once, `secret`). */
        RequestAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Request"];
            };
        };
        /** @description The review with the items the caller may see. */
        ReviewAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Review"];
            };
        };
        /**
         * @description The file (`Content-Disposition: attachment; filename="download";
         *     filename*=UTF-8''<register label>.<format>`). The body is the XLSX or CSV file, never
         *     JSON.
         */
        ExportFile: {
            headers: {
                /** @description `attachment`, with the register's label as the UTF-8 file name (RFC 6266). */
                "Content-Disposition"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                "text/csv": string;
            };
        };
        /**
         * @description The file, with the type recognized at upload (`text/plain; charset=utf-8` for text)
         *     and `Content-Disposition: attachment` carrying the uploaded name. Never JSON.
         */
        Download: {
            headers: {
                /** @description `attachment; filename="download"; filename*=UTF-8''<name>` (RFC 6266). */
                "Content-Disposition"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/octet-stream": string;
            };
        };
        /** @description The file is over 20 MiB. 文件过大。 */
        UploadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The caller is the applicant (`self_approval`: nobody decides on their own request),
         *     is not an approver of the current step (`not_your_step`), or a gate refused
         *     (`forbidden`, `csrf`, …). 不能审批自己的申请；非当前步骤审批人不能处理。
         */
        DecisionForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The deadline or task is not in a state that allows this (`not_open`), or changed meanwhile (`stale_version`). 该时限或待办当前状态不允许此操作。 */
        NotOpen: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is not in a state that allows this (`not_pending`), or changed meanwhile (`stale_version`). 申请当前状态不允许此操作。 */
        NotPending: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description A positive integer id. */
        Id: number;
        /** @description Page size, 1 to 500 (default 50). */
        Limit: number;
        /** @description The `next` value of the previous page. */
        After: string;
        /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
        CsrfToken: string;
        /** @description `en…` for English messages; anything else gets Chinese. */
        AcceptLanguage: string;
        /** @description The id of an item of the review. */
        Item: number;
        /** @description The register (its id in the policy pack, the record `type`). 台账标识。 */
        RecordType: string;
        /** @description One of the register's statuses (default `open`, `closed`). */
        RecordStatus: string;
        RecordDepartment: number;
        /** @description The record's owner (the register's `owner_field`). */
        RecordOwner: number;
        /** @description `true`: only records with a number outside its normal range (异常记录). */
        RecordFlagged: "true" | "false";
        /** @description Text contained in the record's text and asset fields (at most 200 bytes). 全文检索。 */
        RecordSearch: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: {
                /** @description `en…` for English messages; anything else gets Chinese. */
                "Accept-Language"?: components["parameters"]["AcceptLanguage"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Logged in; `Set-Cookie` carries the session. */
            200: {
                headers: {
                    /** @description `isms_session=…; Path=/; HttpOnly; SameSite=Strict` (`__Host-` and `Secure` under TLS) */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Wrong credentials, the second factor is missing or wrong, or an unused one-time password has expired. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The account is locked; `unlock_at` says until when (null = until an administrator unlocks it). */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many logins from this address. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Ok"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account and its gates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    patchMe: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    locale: "zh-CN" | "en";
                };
            };
        };
        responses: {
            /** @description The account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user?: components["schemas"]["User"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChange"];
            };
        };
        responses: {
            200: components["responses"]["Ok"];
            /** @description Bad input, or the new password is refused (`weak_password`, with the reason in `detail`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            /** @description CSRF, or the current password is wrong (`bad_credentials`, field `old_password`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            423: components["responses"]["Locked"];
        };
    };
    getPasswordRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The password part of the security policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        profile: "dengbao" | "nist";
                        min_length: number;
                        /** @description Of digits, upper-case, lower-case, other. */
                        min_classes: number;
                        /** @description Earlier passwords that may not be reused. */
                        history: number;
                        /** @description 0 = no forced change. */
                        max_age_days: number;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    checkPassword: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: password */
                    new_password: string;
                };
            };
        };
        responses: {
            /**
             * @description The check's answer: `{"ok":true}`, or `{"ok":false,"message","detail"}` with the
             *     reason a change would be refused (the message localized, the detail in English).
             */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                        /** @example 密码不符合安全策略 */
                        message?: string;
                        /** @example too common */
                        detail?: string;
                    };
                };
            };
            /** @description Bad input (not a string, unknown field). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    startTotp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pending secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpStart"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description 2FA is already enabled. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    confirmTotp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example 123456 */
                    code: string;
                };
            };
        };
        responses: {
            /** @description Enabled; the one-time recovery codes are shown once. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recovery_codes: string[];
                    };
                };
            };
            /** @description Bad input, or the code is wrong (`bad_otp`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description Already enabled, or not started. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of notifications. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Notification"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    readNotification: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Ok"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens (never their secret). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Token"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("read" | "write")[];
                    /** @default 90 */
                    expires_in_days?: number;
                };
            };
        };
        responses: {
            /** @description The token, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: number;
                        name: string;
                        scopes: ("read" | "write")[];
                        /** Format: date-time */
                        expires_at: string;
                        /** @description Send as `Authorization: Bearer <token>`. */
                        token: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Ok"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sessions, most recently used first; `current` marks this one. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_seen: string;
                            source: string;
                            user_agent: string;
                            current: boolean;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    endOtherSessions: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many sessions ended, and how many of the caller's API tokens were revoked with them. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ended: number;
                        tokens_revoked: number;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                department_id?: number;
                /** @description A part of the login or display name (at most 64 bytes). */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of accounts, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["User"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserWithPassword"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description The login name is taken (case-insensitive). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserUpdate"];
            };
        };
        responses: {
            200: components["responses"]["UserAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["StaleVersion"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    unlockUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    disableUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    enableUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    resetPassword: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account and its new one-time password. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserWithPassword"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    resetTotp: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    setRoles: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    roles: components["schemas"]["RoleName"][];
                };
            };
        };
        responses: {
            200: components["responses"]["UserAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The account would hold two administrator roles, or an administrator role with another role or a department to head, or a new administrator role lacks the general manager's authorization. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listUserTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Token"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    revokeUserToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
                /** @description The token's id. */
                token: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Ok"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    listDirectory: {
        parameters: {
            query?: {
                /** @description Part of the login or display name (at most 64 bytes). */
                q?: string;
                department_id?: number;
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of people, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: {
                            id: number;
                            username: string;
                            display_name: string;
                            department_id: number | null;
                            disabled: boolean;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listDepartments: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of departments, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Department"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createDepartment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DepartmentCreate"];
            };
        };
        responses: {
            201: components["responses"]["DepartmentAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["NameTaken"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getDepartment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DepartmentAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateDepartment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DepartmentUpdate"];
            };
        };
        responses: {
            200: components["responses"]["DepartmentAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Changed meanwhile, or the name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listRoles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every role; `administrator` marks the three separated ones. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Role"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getPermissions: {
        parameters: {
            query?: {
                format?: "json" | "xlsx" | "csv";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The matrix. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionMatrix"];
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every setting. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    updatePolicy: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyChange"];
            };
        };
        responses: {
            /** @description The policy now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    searchAudit: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                /** @description Login name of the actor (exact). */
                actor?: string;
                /** @description An action (`user.create`), or a prefix ending in `.` (`user.`). */
                action?: string;
                /** @description The object (`user:12`, `department:3`, `security_policy`). */
                object?: string;
                outcome?: "success" | "failure" | "denied";
                /** @description RFC 3339 time, inclusive. */
                from?: string;
                /** @description RFC 3339 time, inclusive. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries; `next` is a seq to pass as `after`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["AuditEntry"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verdict. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyResult"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    exportCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoint note. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Checkpoint"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Damaged"];
        };
    };
    consistencyProof: {
        parameters: {
            query: {
                first: number;
                /** @description Default the current size of the log. */
                second?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof and both roots. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsistencyProof"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Damaged"];
        };
    };
    inclusionProof: {
        parameters: {
            query?: {
                size?: number;
            };
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InclusionProof"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Damaged"];
        };
    };
    getCalendar: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The calendar and its version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    putCalendar: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CalendarUpdate"];
            };
        };
        responses: {
            /** @description The calendar now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Calendar"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["StaleVersion"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    importCalendar: {
        parameters: {
            query?: {
                dry_run?: boolean;
            };
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The raw .ics file. */
        requestBody: {
            content: {
                "text/calendar": string;
            };
        };
        responses: {
            /** @description What the file added, and the resulting calendar. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: number;
                        holidays: number;
                        workdays: number;
                        dry_run: boolean;
                        calendar: components["schemas"]["Calendar"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["StaleVersion"];
            413: components["responses"]["UploadTooLarge"];
        };
    };
    listChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every channel. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Channel"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createChannel: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "email" | "wecom" | "dingtalk" | "feishu";
                    name: string;
                    enabled?: boolean;
                    config: components["schemas"]["ChannelConfigInput"];
                };
            };
        };
        responses: {
            /** @description The channels, with the new one. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Channel"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A channel of that name exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    updateChannel: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    name?: string;
                    enabled?: boolean;
                    config?: components["schemas"]["ChannelConfigInput"];
                };
            };
        };
        responses: {
            /** @description The channels. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Channel"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Stale version, or the name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    testChannel: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    to?: string;
                };
            };
        };
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queued?: boolean;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getTimeRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deadlines: components["schemas"]["PackDeadline"][];
                        duties: components["schemas"]["PackDuty"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listDeadlines: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                status?: "open" | "due" | "overdue" | "paused" | "met" | "breached";
                /** @description A deadline id of the pack. */
                rule?: string;
                record_id?: number;
                request_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deadlines. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Deadline"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    pauseDeadline: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    note: string;
                };
            };
        };
        responses: {
            /** @description The deadline, paused. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deadline"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotOpen"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    resumeDeadline: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description The deadline, running again. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deadline"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotOpen"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listTasks: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                status?: "open" | "done" | "missed";
                /** @description A duty id of the pack. */
                duty?: string;
                mine?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of tasks. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Task"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    completeTask: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    record_id: number;
                };
            };
        };
        responses: {
            /** @description The task, done. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotOpen"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                status?: "pending" | "sent" | "failed";
                channel_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Delivery"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getFormsMeta: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every form and register. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        forms: components["schemas"]["PackForm"][];
                        registers: components["schemas"]["PackRegister"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    getRequestsMeta: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every request type. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requests: components["schemas"]["PackRequestType"][];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listRecords: {
        parameters: {
            query: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                /** @description The register (its id in the policy pack, the record `type`). 台账标识。 */
                type: components["parameters"]["RecordType"];
                /** @description One of the register's statuses (default `open`, `closed`). */
                status?: components["parameters"]["RecordStatus"];
                department_id?: components["parameters"]["RecordDepartment"];
                /** @description The record's owner (the register's `owner_field`). */
                owner_id?: components["parameters"]["RecordOwner"];
                /** @description `true`: only records with a number outside its normal range (异常记录). */
                flagged?: components["parameters"]["RecordFlagged"];
                /** @description Text contained in the record's text and asset fields (at most 200 bytes). 全文检索。 */
                q?: components["parameters"]["RecordSearch"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of records; `next` is a record id to pass as `after`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Record"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createRecord: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordCreate"];
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    exportRecords: {
        parameters: {
            query: {
                /** @description The register (its id in the policy pack, the record `type`). 台账标识。 */
                type: components["parameters"]["RecordType"];
                format?: "xlsx" | "csv";
                /** @description One of the register's statuses (default `open`, `closed`). */
                status?: components["parameters"]["RecordStatus"];
                department_id?: components["parameters"]["RecordDepartment"];
                /** @description The record's owner (the register's `owner_field`). */
                owner_id?: components["parameters"]["RecordOwner"];
                /** @description `true`: only records with a number outside its normal range (异常记录). */
                flagged?: components["parameters"]["RecordFlagged"];
                /** @description Text contained in the record's text and asset fields (at most 200 bytes). 全文检索。 */
                q?: components["parameters"]["RecordSearch"];
            };
            header?: {
                /** @description `en…` for English messages; anything else gets Chinese. */
                "Accept-Language"?: components["parameters"]["AcceptLanguage"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ExportFile"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    importRecords: {
        parameters: {
            query: {
                /** @description The register (its id in the policy pack). */
                type: string;
                /** @description `true`: check only, write nothing (answer 200). */
                dry_run?: "true" | "false";
            };
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The raw file; `Content-Type` is not used. */
        requestBody?: {
            content: {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                "text/csv": string;
            };
        };
        responses: {
            /** @description Dry run, every row valid; nothing written (`created` 0). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                };
            };
            /** @description Every row valid and created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportReport"];
                };
            };
            /**
             * @description Bad parameters, an empty or unreadable file (`invalid`, field `type`, `dry_run` or
             *     `file`), or rows with errors (`import_invalid`, field `file`, with `report`;
             *     nothing was written).
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "import_invalid",
                     *         "message": "导入文件有错误，未写入任何数据",
                     *         "request_id": "4a36c3310000002a",
                     *         "field": "file",
                     *         "report": {
                     *           "rows": 3,
                     *           "valid": 2,
                     *           "invalid_rows": 1,
                     *           "errors": [
                     *             {
                     *               "row": 3,
                     *               "column": "温度",
                     *               "field": "temperature",
                     *               "message": "at most 60"
                     *             }
                     *           ],
                     *           "created": 0,
                     *           "dry_run": false
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["UploadTooLarge"];
        };
    };
    getRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateRecord: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RecordUpdate"];
            };
        };
        responses: {
            /** @description The record as changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["StaleVersion"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getRecordHistory: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit entries (without `source`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["AuditEntry"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    downloadFile: {
        parameters: {
            query: {
                /** @description The file's SHA-256, 64 lower-case hex digits. */
                sha256: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Download"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    uploadFile: {
        parameters: {
            query: {
                /** @description The file's name as shown later (at most 255 bytes of UTF-8, without `/` or `\`). */
                name: string;
            };
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description The raw file; `Content-Type` is not used. */
        requestBody?: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Stored (or already stored with this content). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileInfo"];
                };
            };
            /** @description The body is empty, the name is missing or not valid (`invalid`, field `name`), or the type is not allowed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["UploadTooLarge"];
        };
    };
    listMyRequests: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the caller's requests (without steps and history); `next` is a request id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["RequestSummary"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    fileRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequestCreate"];
            };
        };
        responses: {
            /** @description Filed; the request with its steps. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Request"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A step of the chain has nobody to act on it (`field` = `steps[i]`); ask the system administrator to set the department head or grant the role. Or a data cleanup (action `data_cleanup`) of a system without a verified backup newer than its jobs' `max_age` (`field` = `data.system`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description `en…` for English messages; anything else gets Chinese. */
                "Accept-Language"?: components["parameters"]["AcceptLanguage"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["RequestAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    approveRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestAction"];
            };
        };
        responses: {
            200: components["responses"]["RequestAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["DecisionForbidden"];
            404: components["responses"]["NotFound"];
            /** @description The request is not waiting for a decision, changed meanwhile, its type left the policy pack, or the action cannot be done (a data cleanup without a recent verified backup of the system, `no_verified_backup`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    rejectRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestAction"];
            };
        };
        responses: {
            200: components["responses"]["RequestAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["DecisionForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotPending"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    returnRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestAction"];
            };
        };
        responses: {
            200: components["responses"]["RequestAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["DecisionForbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotPending"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    withdrawRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestAction"];
            };
        };
        responses: {
            200: components["responses"]["RequestAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["NotPending"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    resubmitRequest: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RequestResubmit"];
            };
        };
        responses: {
            200: components["responses"]["RequestAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The request is not `returned`, changed meanwhile, a step of the chain has nobody to act on it, or a data cleanup's system has no recent verified backup. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    approvalInbox: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pending requests whose current step the caller may decide; `next` is a request id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["InboxItem"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listBackups: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of backups. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["Backup"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    runBackup: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queued?: boolean;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A backup is already asked for or running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBackupConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupConfig"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    putBackupConfig: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    /** @example 30 2 * * * */
                    schedule?: string;
                    keep?: {
                        daily?: number;
                        weekly?: number;
                        monthly?: number;
                    };
                    offsite_dir?: string | null;
                };
            };
        };
        responses: {
            /** @description The new configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupConfig"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["StaleVersion"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listBackupJobs: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                /** @description Only the jobs of one system. */
                system?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of jobs; `next` is a job id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["BackupJob"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createBackupJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackupJobCreate"];
            };
        };
        responses: {
            /** @description The job. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A job with this key exists (also a pack job). 任务标识已存在。 */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getBackupJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupJob"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateBackupJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackupJobPatch"];
            };
        };
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Changed meanwhile, or a key a pack job does not let change here. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listBackupRuns: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                job_id?: number;
                status?: "ok" | "failed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["BackupRun"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    reportBackupRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackupRunReport"];
            };
        };
        responses: {
            /** @description The run as recorded. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupRun"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description The job is disabled, or no longer in the policy pack. 备份任务已停用。 */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getVaultStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultStatus"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    initVault: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VaultPassphrase"];
            };
        };
        responses: {
            /** @description The status (unsealed). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultStatus"];
                };
            };
            400: components["responses"]["VaultWeakPassphrase"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description The vault is initialized already, or entries exist whose key record is gone. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    unsealVault: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VaultPassphrase"];
            };
        };
        responses: {
            /** @description The status (unsealed). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description Not allowed, or a wrong passphrase (`detail` says how many attempts are left). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The vault has no key yet, or `keys/vault.key` is missing, damaged or not the key of this database (restore it from the backup of the keys folder). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Locked after 5 wrong passphrases in a row; `unlock_at` says until when. */
            423: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sealVault: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description The status (sealed). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    generatePassword: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default 20 */
                    length?: number;
                };
            };
        };
        responses: {
            /** @description The password (`Cache-Control: no-store`). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        password: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listVaultReveals: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                entry_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of reveals. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["VaultReveal"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    listVaultEntries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
                kind?: components["schemas"]["VaultKind"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: components["schemas"]["VaultEntry"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    createVaultEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VaultEntryCreate"];
            };
        };
        responses: {
            /** @description The entry, and the generated secret (only when generated). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultEntryAnswer"];
                };
            };
            400: components["responses"]["VaultWeakPassphrase"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["VaultSecretConflict"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getVaultEntry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultEntry"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    updateVaultEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VaultEntryUpdate"];
            };
        };
        responses: {
            /** @description The entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Changed meanwhile, or the name is taken. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    rotateVaultEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VaultRotate"];
            };
        };
        responses: {
            /** @description The entry, and the generated secret (only when generated). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultEntryAnswer"];
                };
            };
            400: components["responses"]["VaultWeakPassphrase"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Sealed, changed meanwhile, or a password in use. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    revealVaultEntry: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description The secret. */
            200: {
                headers: {
                    "Cache-Control"?: "no-store";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secret: string;
                        /** @enum {integer} */
                        hide_after: 30;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The vault is sealed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
        };
    };
    recordVendorAccess: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    vendor: string;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description The entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VaultEntry"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    listReviews: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 500 (default 50). */
                limit?: components["parameters"]["Limit"];
                /** @description The `next` value of the previous page. */
                after?: components["parameters"]["After"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of campaigns with the number of items, of items still open and of flagged ones. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page"] & {
                        items?: {
                            id: number;
                            /** @example 2026-11 */
                            period: string;
                            started_by: number | null;
                            /** Format: date-time */
                            started_at: string;
                            /** Format: date-time */
                            completed_at: string | null;
                            version: number;
                            items: number;
                            open: number;
                            flagged: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
        };
    };
    startAccountReview: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example 2026-11 */
                    period: string;
                };
            };
        };
        responses: {
            201: components["responses"]["ReviewAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description The review of this period exists already (field `period`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
    getAccountReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ReviewAnswer"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
        };
    };
    decideReviewItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `csrf` value of the login answer; required with the session cookie on every unsafe method (403 `csrf` otherwise), not with a bearer token. 防伪令牌。 */
                "X-CSRF-Token"?: components["parameters"]["CsrfToken"];
            };
            path: {
                /** @description A positive integer id. */
                id: components["parameters"]["Id"];
                /** @description The id of an item of the review. */
                item: components["parameters"]["Item"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "keep" | "revoke_roles" | "disable";
                    /** @description At most 2000 characters (code points). */
                    comment?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["ReviewAnswer"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            /** @description Not the attesting head, the caller's own account, CSRF, or a gate. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The item is decided already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
        };
    };
}
