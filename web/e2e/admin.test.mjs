// The three separated administrators (三员分立) in the browser: each sees only the menus of
// its role (the system administrator has no audit menu and cannot open the audit screens),
// and the audit administrator verifies the trail.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NEW_PASSWORD, demoSuite, firstLogin, firstLoginWithTotp, newPage, shot, submitLogin } from './lib.mjs'

const env = demoSuite()

const menus = async (page) => page.locator('.app-aside [data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')))

test('the system administrator sees administration but no audit menu, and the audit screens are closed', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLoginWithTotp(page, env.server, 'sysadmin')
  const m = await menus(page)
  assert.ok(m.includes('admin'), m.join())
  assert.ok(!m.includes('audit'), m.join())
  await page.goto('/admin/users')
  await page.locator('[data-test=users-table] [data-user-id]').first().waitFor()
  await shot(page, 'admin-users-zh-CN')
  await page.goto('/audit')
  await page.waitForURL('**/forbidden')
  assert.deepEqual(page.problems, [])
})

test('the audit administrator verifies the trail and sees no account administration', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLoginWithTotp(page, env.server, 'auditadmin')
  const m = await menus(page)
  assert.ok(m.includes('audit'), m.join())
  assert.ok(!m.includes('admin'), m.join())
  await page.locator('.app-aside [data-menu=audit]').getByText('日志校验').click()
  await page.waitForURL('**/audit/verify')
  await page.click('[data-test=audit-verify]')
  const result = page.locator('[data-test=verify-result]')
  await result.waitFor()
  await result.filter({ hasText: /通过|完整/ }).waitFor()
  assert.match(await result.innerText(), /\d+/)
  await shot(page, 'audit-verify-zh-CN')
  await page.goto('/audit')
  await page.locator('[data-test=audit-table] tbody tr').first().waitFor()
  await shot(page, 'audit-log-zh-CN')
  assert.deepEqual(page.problems, [])
})

test('an employee sees neither administration nor audit menus', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'liuyang')
  const m = await menus(page)
  for (const g of ['admin', 'security', 'audit']) assert.ok(!m.includes(g), m.join())
  assert.ok(m.includes('work'))
  assert.deepEqual(page.problems, [])
})

test('the security administrator sees and revokes an employee\'s API token, and cannot make an administrator a business role holder', async () => {
  // The employee makes a token for a script.
  const emp = await newPage(env.browser, env.server, { locale: 'en' })
  await firstLogin(emp, env.server, 'sunli')
  await emp.goto('/account')
  await emp.click('[data-test=token-create]')
  await emp.fill('[data-test=token-name]', 'report-script')
  await emp.click('[data-test=token-create-submit]')
  await emp.locator('[data-test=token-secret]').waitFor()
  await emp.click('[data-test=token-secret-close]')
  // The security administrator finds it on the accounts screen and revokes it.
  const sec = await newPage(env.browser, env.server, { locale: 'en' })
  await firstLoginWithTotp(sec, env.server, 'secadmin')
  await sec.goto('/security/accounts')
  await sec.locator('[data-test=users-table] [data-user-id]').first().waitFor()
  const row = sec.locator('[data-test=users-table] tr', { hasText: 'sunli' })
  await row.locator('[data-test=user-tokens]').click()
  const dlg = sec.locator('[data-test=tokens-dialog]')
  await dlg.getByText('report-script').waitFor()
  await shot(sec, 'admin-user-tokens-en')
  await dlg.locator('[data-test=token-revoke]').click()
  await sec.locator('.el-message-box .el-button--danger').click()
  await dlg.getByText(/Revoked/).waitFor()
  // An administrator role beside a business role: the dialog warns before and explains after.
  await sec.keyboard.press('Escape')
  const aud = sec.locator('[data-test=users-table] tr', { hasText: 'auditadmin' })
  await aud.locator('[data-test=user-roles]').click()
  await sec.locator('[data-test=roles-checkboxes] [data-role=it_staff]').click()
  await sec.locator('[data-test=roles-admin-mix]').waitFor()
  await sec.click('[data-test=roles-save]')
  await sec.locator('[data-test=roles-error]').filter({ hasText: /not combined|no other role/ }).waitFor()
  await shot(sec, 'admin-roles-admin-exclusive-en')
  // The revoked token shows so on the employee's own screen.
  await emp.reload()
  await emp.locator('[data-test=tokens-table]').getByText('Revoked').waitFor()
  assert.deepEqual(emp.problems, [])
  assert.deepEqual(sec.problems.filter((p) => !/^http 409 POST \/api\/v1\/users\/\d+\/roles$/.test(p)), [])
})

test('who can do what: the assessor reads each role\'s permissions and holders, and an employee cannot open it', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'wujun')
  await page.locator('.app-aside [data-menu=security]').getByText('权限矩阵').click()
  await page.waitForURL('**/security/permissions')
  await page.locator('[data-test="grant-audit_admin-audit.verify"]').waitFor()
  assert.equal(await page.locator('[data-test="grant-sys_admin-audit.verify"]').count(), 0)
  assert.match(await page.locator('[data-test=access-holders]').innerText(), /李娜 \(lina\)/)
  await page.fill('[data-test=access-filter]', 'vault.reveal')
  await page.locator('[data-test=access-matrix] tbody tr').first().waitFor()
  assert.equal(await page.locator('[data-test=access-matrix] .el-table__body-wrapper tbody tr').count(), 2)
  await shot(page, 'access-matrix-zh-CN')
  // liuyang made his password at his first login, in the test above.
  const emp = await newPage(env.browser, env.server)
  await submitLogin(emp, 'liuyang', NEW_PASSWORD)
  await emp.locator('.app-aside').waitFor()
  await emp.goto('/security/permissions')
  await emp.waitForURL('**/forbidden')
  assert.deepEqual(page.problems, [])
  assert.deepEqual(emp.problems, [])
})
