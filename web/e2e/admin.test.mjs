// The three separated administrators (三员分立) in the browser: each sees only the menus of
// its role (the system administrator has no audit menu and cannot open the audit screens),
// and the audit administrator verifies the trail.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { demoSuite, firstLogin, firstLoginWithTotp, newPage, shot } from './lib.mjs'

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
