// The dashboard: the borrower sees the overdue document loan of the demo organization, the
// general manager the organization's compliance charts, and the time until the dashboard
// is interactive is measured (kept as test-artifacts/dashboard-timing.json).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { ARTIFACTS, dashboardReady, demoSuite, firstLogin, newPage, shot } from './lib.mjs'

const env = demoSuite()

test('the overdue document loan is on the borrower’s dashboard', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'liuyang')
  await dashboardReady(page)
  const card = page.locator('[data-test=dashboard-overdue]')
  const loan = card.locator('li', { hasText: '借阅资料 8 个工作小时内归还' })
  await loan.waitFor()
  assert.match(await loan.innerText(), /技术文件借阅登记 #\d+/)
  assert.match(await loan.innerText(), /超时 \d+ (天|小时)/)
  assert.equal(await page.locator('[data-test=tile-overdue] .el-statistic__number').innerText(), String(await card.locator('li').count()))
  await shot(page, 'dashboard-employee-zh-CN')
  // It leads to the record.
  await loan.locator('a').click()
  await page.waitForURL(/\/registers\/document_loan\/\d+$/)
  assert.deepEqual(page.problems, [])
})

test('the general manager sees the compliance charts and every overdue item', async () => {
  const page = await newPage(env.browser, env.server)
  await firstLogin(page, env.server, 'zhouqiang')
  await dashboardReady(page)
  const charts = page.locator('[data-test=dashboard-charts]')
  await charts.locator('canvas').first().waitFor()
  const overdue = page.locator('[data-test=dashboard-overdue]')
  await overdue.locator('li', { hasText: '借阅资料' }).waitFor()
  await overdue.locator('li', { hasText: '投诉' }).first().waitFor()
  await shot(page, 'dashboard-leadership-zh-CN')

  // Interactive time: a reload with the session, from navigation start to every panel loaded.
  const times = []
  for (let i = 0; i < 5; i++) {
    await page.goto('/')
    await dashboardReady(page)
    times.push(await page.evaluate(() => window.__ismsDashboardReady))
  }
  times.sort((a, b) => a - b)
  mkdirSync(ARTIFACTS, { recursive: true })
  writeFileSync(join(ARTIFACTS, 'dashboard-timing.json'), JSON.stringify({ runs_ms: times, median_ms: times[2] }, null, 1))
  // Under the sanitizers the server is several times slower than the release build that
  // bench/web.mjs measures against the 1 s target; this bound catches a gross regression.
  assert.ok(times[2] < 3000, `dashboard took ${times[2]} ms`)
  assert.deepEqual(page.problems, [])
})
