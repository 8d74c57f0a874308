// The dashboard in a real browser: Playwright (playwright-core) driving
// Debian's chromium, headless. Usage:
//   node tests/browser/dashboard.mjs URL EXPECTED.json OUTDIR
// EXPECTED.json holds what the CLI prints for the same questions. Prints
// one "PASS name" or "FAIL name: detail" line per check; screenshots go to
// OUTDIR.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const [url, expectedFile, outdir] = process.argv.slice(2);
const want = JSON.parse(readFileSync(expectedFile, 'utf8'));
mkdirSync(outdir, { recursive: true });
let failed = 0;
function check(name, ok, detail = '') {
  console.log(ok ? `PASS ${name}` : `FAIL ${name}: ${detail}`);
  if (!ok) failed++;
}
const num = (s) => Number(String(s).replace(/,/g, ''));

const browser = await chromium.launch({
  executablePath: process.env.PCCS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const shot = (page, name, full = true) => page.screenshot({ path: join(outdir, `browser-${name}.png`), fullPage: full });
const external = [];
async function login(page, user, password) {
  page.on('request', (r) => { if (!r.url().startsWith(url)) external.push(r.url()); });
  await page.goto(url + '/');
  await page.waitForURL(/\/login\.html/);
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

try {
  // 1. A commissioner logs in, searches for a PCN and opens it.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url + '/org.html?code=U89141');
  await page.waitForURL(/\/login\.html/);
  await page.waitForSelector('#login');
  check('not signed in: sent to the login page', /\/login\.html\?next=/.test(page.url()), page.url());
  await shot(page, 'login', false);
  await page.fill('#user', want.user);
  await page.fill('#password', 'wrong password here');
  await page.click('button[type=submit]');
  await page.waitForSelector('.nhsuk-error-summary');
  check('a wrong password shows an error summary',
    /wrong/.test(await page.textContent('.nhsuk-error-summary')), await page.textContent('.nhsuk-error-summary'));
  await page.fill('#password', want.password);
  await page.click('button[type=submit]');
  await page.waitForURL(/org\.html\?code=U89141/);
  check('after login, back to the page asked for', true);
  errors.length = 0; // the 401s before login were expected
  await page.goto(url + '/');
  // keyboard: from the top of the page, Tab reaches the search box
  let focused = '';
  for (let i = 0; i < 12 && focused !== 'q'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  check('keyboard: Tab reaches the search box', focused === 'q', focused);
  await page.keyboard.type('stockton');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#results li');
  const hits = await page.$$eval('#results li', (li) => li.map((x) => x.textContent));
  check('search "stockton" finds STOCKTON PCN (U89141)', hits.some((t) => /U89141/.test(t)), hits.join(' | '));
  await shot(page, 'search');
  await page.click('#results a[href="/org.html?code=U89141"]');
  await page.waitForSelector('#org[data-ready=yes]', { timeout: 60000 });
  check('breadcrumbs up the tree', (await page.$$eval('#crumbs a', (a) => a.map((x) => x.textContent))).length >= 3);
  const reg = await page.textContent('[data-figure="Registered patients"]');
  check('headline registered = pccs table populations', num(reg) === want.pcn_registered, `${reg} vs ${want.pcn_registered}`);
  const src = await page.textContent('.pccs-figure .pccs-source');
  check('... with its source and period', src.includes(`Patients Registered at a GP Practice, ${want.reg_period}`), `${src} vs ${want.reg_period}`);
  check('... named, not as a file path', !/\/|sha256/.test(src), src);
  const srcs = await page.$$eval('.pccs-figure .pccs-source', (s) => s.map((x) => x.textContent));
  check('the practice count says as at which day', /organisations as at \d{4}-\d{2}-\d{2}/.test(srcs[2] || ''), srcs.join(' | '));
  // the child table: every practice's registered list as the CLI prints it
  const rows = await page.$$eval('section[data-table=populations] tbody tr', (trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.dataset.v)));
  const cli = new Map(want.practices.map((r) => [r.code, r.registered]));
  const same = rows.length === cli.size && rows.every((r) => cli.get(r[0]) === Number(r[3]));
  check(`practices table: ${rows.length} rows, registered = CLI`, same, JSON.stringify(rows));
  // sortable: sort by registered, descending
  const th = 'section[data-table=populations] th:nth-child(4) button';
  await page.click(th);
  await page.click(th);
  const sorted = await page.$$eval('section[data-table=populations] tbody tr td:nth-child(4)', (td) => td.map((c) => Number(c.dataset.v)));
  check('sorting by registered (descending)', sorted.every((v, i) => i === 0 || sorted[i - 1] >= v) && sorted.length > 1, sorted.join(','));
  // the SPC chart is drawn, with a text alternative
  const drawn = await page.$('section[data-metric=appointments_per_1000][data-drawn=yes] canvas');
  check('SPC chart drawn (a canvas)', !!drawn);
  const charts = await page.$$eval(['appointments_per_1000', 'attended_per_1000', 'dna_pct', 'face_to_face_pct', 'gp_pct']
    .map((m) => `section.pccs-spc[data-metric=${m}][data-drawn=yes] figcaption`).join(','), (f) => f.length);
  check('... and one for each of the five capacity series', charts === 5, String(charts));
  const alt = await page.textContent('section[data-metric=appointments_per_1000] figcaption');
  check('... with a text alternative', /13 months from 2021-04-01/.test(alt), alt);
  const spcCsv = await page.evaluate(async () => {
    const a = document.querySelector('section[data-metric=appointments_per_1000] .pccs-downloads a');
    const r = await fetch(a.getAttribute('href'));
    return `${r.status} ${(await r.text()).split(/\r?\n/)[0]}`;
  });
  check('the SPC chart downloads as CSV', spcCsv === '200 date,value,mean,lpl,upl,point_type', spcCsv);
  // issue 12: the appointments are generated (pccs synth): each SPC chart
  // says so in a warning; the published populations do not have one
  const banners = await page.$$eval('section.pccs-spc .pccs-provenance-banner[data-provenance=synthetic]', (b) => b.length);
  check('generated appointments: a SYNTHETIC warning on each SPC chart', banners === 5, String(banners));
  check('... none on the populations (published)', !(await page.$('section[data-table=populations] .pccs-provenance-banner')));
  check('entitlements and workforce shown for a PCN',
    !!(await page.$('section[data-table=entitlements] table')) && !!(await page.$('section[data-table=workforce] table')));
  // QOF groups by name, the code beside them (issue 12: readable labels)
  await page.waitForSelector('section[data-table=qof-prevalence] tbody tr');
  const qof = await page.$$eval('section[data-table=qof-prevalence] tbody tr', (trs) =>
    trs.map((tr) => `${tr.cells[0].textContent}=${tr.cells[1].textContent}`));
  check('QOF groups shown by name on the dashboard',
    qof.includes('Atrial fibrillation=AF') && qof.includes('Hypertension=HYP'), qof.join(','));
  await shot(page, 'pcn');
  // download the CSV: the same bytes the CLI writes
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.click('section[data-table=populations] a:has-text("(CSV)")'),
  ]);
  const file = join(outdir, 'browser-download.csv');
  await dl.saveAs(file);
  const got = readFileSync(file, 'utf8');
  check('downloaded CSV = pccs table populations --format csv', got.trim() === want.practices_csv.trim(),
    got.slice(0, 200));
  check('no script errors on the page', errors.length === 0, errors.join(' | '));
  // a local register: add a row through the form, see it, be refused a
  // bad one with the column named, delete it again
  await page.goto(url + '/registers.html?name=risks');
  await page.waitForSelector('table[data-register=risks]');
  const n0 = (await page.$$('table[data-register=risks] tbody tr')).length;
  await page.click('#add-row');
  const fill = async (v) => {
    for (const [k, x] of Object.entries(v)) {
      const el = await page.$(`#f-${k}`);
      if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(x);
      else await el.fill(x);
    }
  };
  const row = { risk_id: 'R900', title: 'Browser test risk', owner: 'PCN manager', org_code: 'U89141',
    likelihood: '9', impact: '4', review_date: '2023-03-31' };
  await fill(row);
  await page.click('#row-form button[type=submit]');
  await page.waitForSelector('.nhsuk-error-summary');
  const bad = await page.textContent('.nhsuk-error-summary');
  check('a bad row is refused, naming the column', /likelihood: expected a whole number from 1 to 5/.test(bad), bad);
  await fill({ likelihood: '3' });
  await page.click('#row-form button[type=submit]');
  await page.waitForSelector('#reg .nhsuk-inset-text');
  const rowsNow = await page.$$eval('table[data-register=risks] tbody tr', (t) => t.map((r) => r.textContent));
  check('a row added through the form is in the register', rowsNow.length === n0 + 1 &&
    rowsNow.some((t) => /Browser test risk/.test(t)), rowsNow.join(' | '));
  const score = await page.evaluate(async () => {
    const r = await (await fetch('/api/tables/risks?at=2022-06-01')).json();
    const x = r.rows.find((q) => q.risk_id === 'R900');
    return x ? `${x.score} ${x.rag}` : 'missing';
  });
  check('... and in the risks table, scored 3 x 4 = 12 (amber)', score === '12 amber', score);
  await page.waitForSelector('section[data-table=risks] tbody tr');
  const shown = await page.$$eval('section[data-table=risks] tbody tr', (trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  const r900 = shown.find((c) => c[0] === 'R900') || [];
  check('... shown under the register, scored, with CSV and xlsx downloads',
    r900.includes('12') && r900.includes('amber') &&
    (await page.$$('section[data-table=risks] .pccs-downloads a')).length === 2, JSON.stringify(r900));
  await shot(page, 'register');
  page.once('dialog', (d) => d.accept());
  await page.click('button[aria-label="Delete R900"]');
  await page.waitForFunction((n) => document.querySelectorAll('table[data-register=risks] tbody tr').length === n, n0);
  check('... and deleted again', true);
  // issue 16: a wide table scrolls inside its own box, the first column
  // kept in view, the page itself not wider than the window
  await page.goto(url + '/org.html?code=U89141');
  await page.waitForSelector('#org[data-ready=yes]', { timeout: 120000 });
  const wide = await page.evaluate(() => {
    const box = document.querySelector('section[data-table=entitlements] .pccs-scroll');
    const before = box.scrollWidth - box.clientWidth;
    const first = box.querySelector('tbody td:first-child');
    const x0 = first.getBoundingClientRect().left;
    box.scrollLeft = box.scrollWidth;
    const last = box.querySelector('thead th:last-child').getBoundingClientRect();
    const r = box.getBoundingClientRect();
    return { overflow: before, scrolled: box.scrollLeft, lastInside: last.right <= r.right + 1 && last.left >= r.left - 1,
      firstStays: Math.abs(first.getBoundingClientRect().left - x0) < 2,
      page: document.documentElement.scrollWidth - window.innerWidth,
      lastLabel: box.querySelector('thead th:last-child').textContent };
  });
  check('a wide table (entitlements) is wider than its box and scrolls within it',
    wide.overflow > 0 && wide.scrolled > 0 && wide.lastInside, JSON.stringify(wide));
  check('... its first column stays in view (sticky), the page does not scroll sideways',
    wide.firstStays && wide.page <= 0, JSON.stringify(wide));
  const heads = await page.$$eval('th button.pccs-sort', (b) => b.map((x) => x.textContent));
  check('column labels are readable, with units (no raw names)',
    heads.includes('Registered patients') && heads.some((x) => /\(£\)/.test(x)) &&
    !heads.some((x) => /_/.test(x)), heads.slice(0, 12).join(' | '));
  await shot(page, 'pcn-wide');
  // the 16C page lists its PCNs (not its practices), whatever the order
  // of its children
  await page.goto(url + '/org.html?code=16C');
  await page.waitForSelector('#org[data-ready=yes]', { timeout: 120000 });
  const kids = await page.$$eval('section[data-table=populations] tbody tr', (trs) => trs.map((tr) => tr.cells[0].dataset.v));
  check(`the 16C page lists its ${want.pcns_16c.length} PCNs`,
    JSON.stringify([...kids].sort()) === JSON.stringify(want.pcns_16c), kids.join(','));
  check('... under a heading naming PCNs', /^PCNs in /.test(await page.textContent('section[data-table=populations] h2')));
  await shot(page, 'sub-icb');
  // phone width
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(url + '/org.html?code=U89141');
  await page.waitForSelector('#org[data-ready=yes]', { timeout: 60000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('phone width (375 px): the page does not scroll sideways', overflow <= 0, `overflow ${overflow}px`);
  await shot(page, 'pcn-phone');
  await ctx.close();

  // 2. A practice user is refused another PCN's practice.
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p2 = await ctx2.newPage();
  await login(p2, want.practice_user, want.password);
  // Published figures are open to every signed-in user (issue 16): a
  // practice user sees another PCN's practice, but not its resilience
  // (partly local) nor its register rows.
  await p2.goto(url + '/org.html?code=A81002');
  await p2.waitForSelector('#org[data-ready=yes]', { timeout: 60000 });
  check('a practice user sees another PCN\'s practice: its published figures',
    !!(await p2.$('[data-figure="Registered patients"]')), await p2.textContent('h1'));
  const refused = await p2.textContent('section[data-table=resilience]');
  check('... but not its resilience (resting on a local register)', /outside your scope/.test(refused), refused);
  await shot(p2, 'refused', false);
  await p2.goto(url + '/org.html?code=A81001');
  await p2.waitForSelector('#org[data-ready=yes]', { timeout: 60000 });
  check('... but sees their own practice with its resilience', !!(await p2.$('section[data-table=resilience] table')));
  await p2.goto(url + '/registers.html?name=risks');
  await p2.waitForSelector('table[data-register=risks]');
  const prueRows = await p2.$$eval('table[data-register=risks] tbody tr td:first-child', (t) => t.map((x) => x.textContent));
  check('a practice user reads only their own practice\'s register rows, and cannot change them',
    prueRows.join(',') === want.practice_risks && !(await p2.$('#add-row')) && !(await p2.$('button[aria-label^=Delete]')),
    prueRows.join(','));
  await p2.click('#logout');
  await p2.waitForURL(/login\.html/);
  const after = await p2.evaluate(async () => (await fetch('/api/session')).status);
  check('log out ends the session', after === 401, String(after));
  await ctx2.close();

  // 2b. issue 16: a commissioner scoped to 16C opens a practice in another
  // ICB: its published figures and its benchmarks, not its ICB's registers
  const ctx5 = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const p5 = await ctx5.newPage();
  await login(p5, want.user, want.password);
  await p5.goto(url + '/org.html?code=' + want.other.code);
  await p5.waitForSelector('#org[data-ready=yes]', { timeout: 120000 });
  const oreg = await p5.textContent('[data-figure="Registered patients"]');
  check(`16C commissioner: ${want.other.code} (ICB ${want.other.icb}) shows its published list size`,
    num(oreg) === want.other.registered, `${oreg} vs ${want.other.registered}`);
  const refusals = await p5.evaluate(async (icb) => {
    const out = [];
    for (const p of [`/api/tables/risks?in=${icb}`, `/api/tables/programme-status?in=${icb}`,
      `/api/tables/register?group=risks&in=${icb}`, `/api/report/committee?in=${icb}`])
      out.push((await fetch(p)).status);
    return out;
  }, want.other.icb);
  check(`... but 403 for ${want.other.icb}'s registers and paper`, refusals.every((c) => c === 403), refusals.join(','));
  // the comparison columns: the API's figures for the ICB, region and
  // England (the tables at those levels), and the practice's own
  await p5.waitForSelector('section[data-table=comparison] tbody tr');
  const cmp = await p5.$$eval('section[data-table=comparison] tbody tr', (trs) => trs.map((tr) => ({
    figure: tr.dataset.figure,
    ...Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.dataset.v])) })));
  const apiFig = await p5.evaluate(async (o) => {
    const t = async (path) => (await (await fetch(path)).json()).rows[0];
    const year = document.querySelector('tr[data-figure="payments.total_per_weighted"] .pccs-source').textContent;
    const get = async (lv, code) => ({
      registered: (await t(`/api/tables/populations?level=${lv}&in=${code}`)).registered,
      per_weighted: (await t(`/api/tables/payments?level=${lv}&in=${code}&year=${year}`)).total_per_weighted,
      hyp: (await t(`/api/tables/qof-prevalence?level=${lv}&in=${code}&group=HYP`)).prevalence_pct,
    });
    return { value: await get('practice', o.code), icb: await get('icb', o.icb), region: await get('region', o.region),
      england: await get('england', 'ENG') };
  }, want.other);
  const sameFig = (fig, key) => {
    const row = cmp.find((r) => r.figure === fig) || {};
    return ['value', 'icb', 'region', 'england'].every((c) => Math.abs(Number(row[c]) - apiFig[c][key]) < 1e-6);
  };
  check('comparison columns (practice, ICB, region, England) = the API\'s tables at those levels',
    sameFig('populations.registered', 'registered') && sameFig('payments.total_per_weighted', 'per_weighted') &&
    sameFig('qof-prevalence.prevalence_pct.HYP', 'hyp'), JSON.stringify({ cmp, apiFig }));
  check('... with a rank and decile among practices in England',
    cmp.every((r) => !r.value || (Number(r.rank) >= 1 && Number(r.decile) >= 1 && Number(r.decile) <= 10)), JSON.stringify(cmp));
  await shot(p5, 'other-icb');
  // the committee paper page: details in, HTML and PDF out
  await p5.goto(url + '/paper.html?in=16C');
  await p5.waitForSelector('body[data-ready=yes]');
  await p5.fill('#date', '2026-12-10');
  await p5.fill('#agenda_item', '7.2');
  await p5.fill('#author', 'Primary care contracts manager');
  await shot(p5, 'paper', true);
  const [dlHtml] = await Promise.all([p5.waitForEvent('download', { timeout: 120000 }), p5.click('#paper-html')]);
  const html = readFileSync(await dlHtml.path(), 'utf8');
  check('the paper page downloads the HTML paper with the cover\'s details',
    /<html/i.test(html) && html.includes('Primary Care Commissioning Committee') && html.includes('7.2'), html.slice(0, 200));
  check('... named for the organisation', dlHtml.suggestedFilename() === 'committee-paper-16C.html', dlHtml.suggestedFilename());
  const [dlPdf] = await Promise.all([p5.waitForEvent('download', { timeout: 180000 }), p5.click('#paper-pdf')]);
  const pdf = readFileSync(await dlPdf.path());
  check('... and the PDF', pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10000,
    `${pdf.subarray(0, 5)} ${pdf.length} bytes`);
  await shot(p5, 'paper-done', false);
  await ctx5.close();

  // 3. After login, next= leads only to a path of this site: each of
  // these (decoded: '/\\host', '//host', '/<tab>/host', a full URL) ends
  // on the server's own origin. Requests elsewhere are refused here.
  for (const next of ['/%5Cevil.example/phish', '//evil.example/phish', '/%09/evil.example/phish',
    'http://evil.example/phish', '/%5C%5Cevil.example/phish', '%2F%2Fevil.example']) {
    const c3 = await browser.newContext();
    await c3.route((u) => !u.href.startsWith(url), (r) => r.abort());
    const p3 = await c3.newPage();
    await p3.goto(url + '/login.html?next=' + next);
    await p3.waitForSelector('#login');
    await p3.fill('#user', want.user);
    await p3.fill('#password', want.password);
    await p3.click('button[type=submit]');
    await p3.waitForURL((u) => !u.pathname.startsWith('/login'));
    check(`login with next=${next} stays on the site`, p3.url().startsWith(url + '/'), p3.url());
    await c3.close();
  }
  const c4 = await browser.newContext();
  const p4 = await c4.newPage();
  await p4.goto(url + '/login.html?next=' + encodeURIComponent('/org.html?code=U89141'));
  await p4.waitForSelector('#login');
  await p4.fill('#user', want.user);
  await p4.fill('#password', want.password);
  await p4.click('button[type=submit]');
  await p4.waitForURL(/org\.html\?code=U89141/);
  check('... and a path of the site is still followed', true);
  await c4.close();
  check('nothing loaded from outside the server', external.length === 0, external.join(' '));
} catch (e) {
  check('browser run', false, e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
