/*
 * routes.h: the handlers of the route table (router.c), one file per domain.
 */
#ifndef ISMS_HTTP_ROUTES_H
#define ISMS_HTTP_ROUTES_H

struct req;

/* routes_system.c */
int h_health(struct req *rq);
int h_policy_get(struct req *rq);
int h_policy_patch(struct req *rq);
int h_roles_list(struct req *rq);

/* routes_session.c */
int h_session_create(struct req *rq);
int h_session_delete(struct req *rq);

/* routes_me.c */
int h_me_get(struct req *rq);
int h_me_password(struct req *rq);
int h_me_totp(struct req *rq);
int h_me_totp_confirm(struct req *rq);
int h_me_sessions(struct req *rq);
int h_me_sessions_end(struct req *rq);
int h_me_patch(struct req *rq);
int h_me_notifications(struct req *rq);
int h_me_password_policy(struct req *rq);
int h_me_password_check(struct req *rq);
int h_me_notification_read(struct req *rq);
int h_me_tokens_list(struct req *rq);
int h_me_tokens_create(struct req *rq);
int h_me_token_revoke(struct req *rq);

/* routes_org.c */
int h_users_list(struct req *rq);
int h_directory(struct req *rq);
int h_users_create(struct req *rq);
int h_user_get(struct req *rq);
int h_user_patch(struct req *rq);
int h_user_unlock(struct req *rq);
int h_user_disable(struct req *rq);
int h_user_enable(struct req *rq);
int h_user_reset_password(struct req *rq);
int h_user_reset_totp(struct req *rq);
int h_user_roles(struct req *rq);
int h_user_tokens(struct req *rq);
int h_user_token_revoke(struct req *rq);
int h_departments_list(struct req *rq);
int h_departments_create(struct req *rq);
int h_department_get(struct req *rq);
int h_department_patch(struct req *rq);

/* routes_audit.c */
int h_audit_list(struct req *rq);
int h_audit_verify(struct req *rq);
int h_audit_checkpoint(struct req *rq);
int h_audit_proof(struct req *rq);
int h_audit_consistency(struct req *rq);

/* routes_ownbackup.c */
int h_backups_list(struct req *rq);
int h_backups_run(struct req *rq);
int h_backup_config_get(struct req *rq);
int h_backup_config_put(struct req *rq);

/* routes_records.c */
int h_meta_forms(struct req *rq);
int h_meta_requests(struct req *rq);
int h_records_list(struct req *rq);
int h_records_create(struct req *rq);
int h_record_get(struct req *rq);
int h_record_patch(struct req *rq);
int h_record_history(struct req *rq);
int h_records_export(struct req *rq);
int h_records_import(struct req *rq);
int h_files_upload(struct req *rq);
int h_files_get(struct req *rq);

/* routes_requests.c */
int h_requests_create(struct req *rq);
int h_requests_mine(struct req *rq);
int h_request_get(struct req *rq);
int h_request_approve(struct req *rq);
int h_request_reject(struct req *rq);
int h_request_return(struct req *rq);
int h_request_withdraw(struct req *rq);
int h_request_resubmit(struct req *rq);
int h_approvals_inbox(struct req *rq);
int h_reviews_create(struct req *rq);
int h_review_get(struct req *rq);
int h_reviews_list(struct req *rq);
int h_review_decide(struct req *rq);

/* routes_sla.c */
int h_calendar_get(struct req *rq);
int h_calendar_put(struct req *rq);
int h_calendar_import(struct req *rq);
int h_deadlines_list(struct req *rq);
int h_deliveries_list(struct req *rq);
int h_deadline_pause(struct req *rq);
int h_deadline_resume(struct req *rq);
int h_tasks_list(struct req *rq);
int h_task_done(struct req *rq);
int h_meta_time_rules(struct req *rq);

/* routes_backup.c: the organization's backup jobs and runs */
int h_backup_jobs_list(struct req *rq);
int h_backup_jobs_create(struct req *rq);
int h_backup_job_get(struct req *rq);
int h_backup_job_patch(struct req *rq);
int h_backup_runs_create(struct req *rq);
int h_backup_runs_list(struct req *rq);

/* routes_notify.c */
int h_channels_list(struct req *rq);
int h_channels_create(struct req *rq);
int h_channel_patch(struct req *rq);
int h_channel_test(struct req *rq);

/* routes_vault.c: the credential vault */
int h_vault_status(struct req *rq);
int h_vault_init(struct req *rq);
int h_vault_unseal(struct req *rq);
int h_vault_seal(struct req *rq);
int h_vault_generate(struct req *rq);
int h_vault_reveals(struct req *rq);
int h_vault_entries_list(struct req *rq);
int h_vault_entries_create(struct req *rq);
int h_vault_entry_get(struct req *rq);
int h_vault_entry_patch(struct req *rq);
int h_vault_entry_rotate(struct req *rq);
int h_vault_entry_reveal(struct req *rq);
int h_vault_entry_vendor_access(struct req *rq);

#endif
