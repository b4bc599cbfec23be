// An account application (账号申请) through its whole chain in the browser: an employee files
// it from its form, the department head approves it from the inbox, IT executes it and sees
// the new account's one-time password once, and the new person can log in with it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dashboardReady, demoSuite, firstLogin, newPage, shot, submitLogin } from './lib.mjs'

const env = demoSuite()

/** Picks an option of the Element Plus select inside the form item of a field. */
async function choose(page, field, option) {
  await page.locator(`[data-field=${field}] .el-select`).click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: option }).first().click()
}

async function decide(page, id, comment) {
  await page.goto('/inbox')
  const row = page.locator(`[data-request-id="${id}"]`).first()
  await row.waitFor()
  await row.locator('[data-test=approve]').click()
  await page.locator('[data-test=decision-comment]').fill(comment)
  await page.click('[data-test=decision-confirm]')
}

test('an account application is filed, approved by the head and executed by IT', async () => {
  const applicant = await newPage(env.browser, env.server)
  await firstLogin(applicant, env.server, 'liuyang')
  await dashboardReady(applicant)
  await applicant.goto('/requests/new')
  await applicant.click('[data-test=request-type-account]')
  await applicant.waitForURL('**/requests/new/account')
  // Submitting the empty form shows the server's validation on the first missing field.
  await applicant.click('[data-test=request-submit]')
  await applicant.locator('.el-form-item.is-error').first().waitFor()
  await applicant.fill('[data-field=username] input', 'zhou.min')
  await applicant.fill('[data-field=display_name] input', '周敏')
  await choose(applicant, 'department', '医保办')
  await choose(applicant, 'systems', 'OA 办公系统')
  await applicant.keyboard.press('Escape')
  await applicant.fill('[data-field=reason] textarea', '新入职医保结算岗位，需开通 OA 账号')
  await shot(applicant, 'request-form-zh-CN')
  await applicant.click('[data-test=request-submit]')
  await applicant.waitForURL(/\/requests\/\d+$/)
  const id = applicant.url().match(/\/requests\/(\d+)$/)[1]
  await applicant.locator('[data-test=request-steps]').waitFor()
  assert.match(await applicant.locator('[data-test=request-status]').first().innerText(), /审批中/)
  await shot(applicant, 'request-detail-zh-CN')

  const head = await newPage(env.browser, env.server)
  await firstLogin(head, env.server, 'wangfang')
  await decide(head, id, '同意开通')
  await head.locator(`[data-request-id="${id}"]`).first().waitFor({ state: 'detached' })

  const it = await newPage(env.browser, env.server)
  await firstLogin(it, env.server, 'zhangwei')
  await decide(it, id, '已开通 OA 账号')
  const secret = it.locator('[data-test=secret]')
  await secret.waitFor()
  const initial = (await it.locator('[data-test=secret-password]').innerText()).trim()
  assert.match(initial, /^\S{12,}$/)
  // It can be copied to hand over (and the page says so).
  await it.click('[data-test=secret-copy]')
  await it.locator('.el-message--success').filter({ hasText: '已复制' }).waitFor()
  await shot(it, 'request-executed-secret-zh-CN')

  await applicant.goto(`/requests/${id}`)
  await applicant.locator('[data-test=request-status]').filter({ hasText: '已办结' }).first().waitFor()

  // The new colleague logs in with the one-time password and is asked for their own.
  const newcomer = await newPage(env.browser, env.server)
  await submitLogin(newcomer, 'zhou.min', initial)
  await newcomer.waitForURL('**/password')
  for (const p of [applicant, head, it, newcomer]) assert.deepEqual(p.problems, [])
})
