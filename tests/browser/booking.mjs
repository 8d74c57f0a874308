// The booking page in a real browser: Playwright (playwright-core) driving
// Debian's chromium, headless. Usage:
//   node tests/browser/booking.mjs URL EXPECTED.json OUTDIR STORE
// EXPECTED.json holds the users, the hub, the day and the slot starts the
// register file gives (python). The store is read with sqlite3, read only
// (psql under make check-pg).
// Prints one "PASS name" or "FAIL name: detail" line per check.
import { readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const [url, expectedFile, outdir, store] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedFile, 'utf8'));
mkdirSync(outdir, { recursive: true });
let failed = 0;
function check(name, ok, detail = '') {
  console.log(ok ? `PASS ${name}` : `FAIL ${name}: ${detail}`);
  if (!ok) failed++;
}
// Live appointments in the store for the hub's slot starting at start
// (YYYY-MM-DDTHH:MM): "nhs_number|status" lines.
function held(start) {
  const q = 'SELECT a.nhs_number, a.status FROM appointments a JOIN slots s ON s.id = a.slot_id ' +
    `WHERE s.org = '${want.hub}' AND substr(s.start, 1, 16) = '${start}' AND a.status <> 'cancelled'`;
  if (!process.env.PCCS_PG_SCRATCH)
    return execFileSync('sqlite3', ['-readonly', store, q], { encoding: 'utf8' }).trim();
  // make check-pg: the store path names a database (tests/pg-wrap --pg-url)
  const db = execFileSync(process.env.PCCS || join(root, 'tests', 'pg-wrap'), ['--pg-url', store], { encoding: 'utf8' }).trim();
  return execFileSync('psql', ['-X', '-At', '-F', '|', '-d', db, '-c', q], { encoding: 'utf8' }).trim();
}

const browser = await chromium.launch({
  executablePath: process.env.PCCS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
async function login(ctx, user) {
  const page = await ctx.newPage();
  await page.goto(url + '/login.html?next=' + encodeURIComponent('/booking.html'));
  await page.waitForSelector('#login');
  await page.fill('#user', user);
  await page.fill('#password', want.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/booking\.html/);
  return page;
}
// Free slot starts shown, as YYYY-MM-DDTHH:MM (the page's first column).
const shown = (page) => page.$$eval('#slots tr', (tr) => tr.map((x) => x.dataset.start));
// 2026-12-07 as typed by a British user: 07/12/2026.
const gbDay = (d) => d.split('-').reverse().join('/');
const hhmm = (s) => s.replace(' ', 'T').slice(0, 16);
async function find(page) {
  await page.fill('#actor', want.hub);
  await page.fill('#day', gbDay(want.day));
  await Promise.all([page.waitForResponse((r) => r.url().includes('/fhir/Slot')),
    page.click('#find button[type=submit]')]);
  await page.waitForTimeout(200);
}

try {
  // An American browser (headless chromium's own default, issue 19):
  // the page must still write dates the British way.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US',
    timezoneId: 'America/New_York' });
  const page = await login(ctx, want.user);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.waitForSelector('#who:not(:empty)');
  check('signed in: the page names the user', (await page.textContent('#who')).includes(want.user),
    await page.textContent('#who'));
  await find(page);
  const starts = want.starts.map(hhmm);
  let free = (await shown(page)).map(hhmm);
  check(`free slots of ${want.hub} on ${want.day} = the register's session cut by slot length (python)`,
    JSON.stringify(free) === JSON.stringify(starts), `${free} vs ${starts}`);

  const said = (await page.textContent('#msg')) || '';
  check('the day is written en-GB in an en-US browser (on Mon 7 Dec 2026, not 12/7/2026)',
    said.includes('on Mon 7 Dec 2026') && !/\d+\/\d+\/\d{4}/.test(said), said);
  const first = await page.textContent('#slots tr td:first-child');
  check('a start reads as a day and a time (Mon 7 Dec 2026, 18:30)', first === 'Mon 7 Dec 2026, 18:30', first);
  // Book the second slot for a patient.
  const slot = starts[1];
  await page.fill('#nhs', want.nhs);
  await page.fill('#gp', want.practice);
  const row = page.locator('#slots tr').nth(1);
  await row.locator('button').click();
  await page.waitForFunction(() => /Booked/.test(document.getElementById('msg').textContent));
  check('booking says so', /Booked/.test(await page.textContent('#msg')), await page.textContent('#msg'));
  free = (await shown(page)).map(hhmm);
  check('the booked slot is no longer offered as free',
    !free.includes(slot) && free.length === starts.length - 1, free.join(' '));
  const appts = await page.$$eval('#appts tr', (tr) => tr.map((x) => x.textContent));
  check('the appointment is listed with the patient', appts.some((t) => t.includes(want.nhs)), appts.join(' | '));
  const h = held(slot);
  check('the store holds exactly one live appointment in the slot, for the patient',
    h === `${want.nhs}|booked`, JSON.stringify(h));
  await page.screenshot({ path: join(outdir, 'browser-booking.png'), fullPage: true });

  // Cancel it: the slot is free again and the store holds none.
  const arow = page.locator('#appts tr', { hasText: want.nhs }).first();
  await arow.locator('button').click();
  await page.waitForFunction(() => /Cancelled/.test(document.getElementById('msg').textContent));
  free = (await shown(page)).map(hhmm);
  check('after cancelling, the slot is offered as free again', JSON.stringify(free) === JSON.stringify(starts),
    free.join(' '));
  check('... and the store holds no live appointment in it', held(slot) === '', held(slot));
  check('no script errors', errors.length === 0, errors.join(' | '));
  await ctx.close();

  // A user who may not book that hub is told so.
  const c2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const p2 = await login(c2, want.other);
  await p2.waitForSelector('#who:not(:empty)');
  await find(p2);
  const msg = (await p2.textContent('#msg')) || '';
  check(`${want.other} is offered no slot of ${want.hub}`, (await shown(p2)).length === 0, (await shown(p2)).join(' '));
  check(`${want.other} sees a clear refusal naming ${want.hub}`,
    /may not book/i.test(msg) && msg.includes(want.hub), msg);
  check('the refusal names the day en-GB', msg.includes('on Mon 7 Dec 2026'), msg);
  await p2.fill('#day', '12/31/2026');
  await p2.click('#find button[type=submit]');
  await p2.waitForFunction(() => /DD\/MM\/YYYY/.test(document.getElementById('msg').textContent));
  check('an American date (12/31/2026) is refused with the format asked for',
    /DD\/MM\/YYYY/.test(await p2.textContent('#msg')), await p2.textContent('#msg'));
  await p2.screenshot({ path: join(outdir, 'browser-booking-refused.png'), fullPage: true });
  await c2.close();
} catch (e) {
  check('browser run', false, e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
