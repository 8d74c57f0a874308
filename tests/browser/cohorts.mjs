// The population health cohorts table on the organisation page, in a real
// browser (Playwright + Debian's chromium, headless). Usage:
//   node tests/browser/cohorts.mjs URL EXPECTED.json OUTDIR
// EXPECTED.json: the user and password, the PCN, the practices' counts
// after disclosure control (computed by python from the NDJSON files)
// and the as-at day. Prints "PASS name" / "FAIL name: detail" lines;
// screenshots go to OUTDIR.
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

const browser = await chromium.launch({
  executablePath: process.env.PCCS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url + '/login.html');
  await page.fill('#user', want.user);
  await page.fill('#password', want.password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(url + '/org.html?code=' + want.pcn);
  await page.waitForSelector('#org[data-ready=yes]', { timeout: 120000 });
  const sec = page.locator('section.pccs-cohorts');
  check('the PCN page has a cohorts section', await sec.count() === 1);
  check('... with a SYNTHETIC badge',
    (await sec.locator('h2 .pccs-synthetic-badge').textContent()) === 'SYNTHETIC');
  check('... and the synthetic warning', await sec.locator('.pccs-provenance-banner[data-provenance=synthetic]').count() === 1);
  check('... says the as-at day', (await sec.locator('p.nhsuk-body').first().textContent()).includes(want.at));
  const cols = await sec.locator('thead th button').evaluateAll((bs) => bs.map((b) => b.dataset.col));
  const rows = await sec.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const got = {};
  for (const r of rows) got[r[0]] = Object.fromEntries(cols.map((c, i) => [c, r[i]]));
  for (const [code, counts] of Object.entries(want.practices))
    for (const [c, v] of Object.entries(counts))
      check(`${code} ${c} is ${v}`, got[code] && got[code][c] === v, JSON.stringify(got[code] && got[code][c]));
  const stars = await sec.locator('td .pccs-suppressed').count();
  check('suppressed cells shown as the API marks them (*)', stars === want.stars, `${stars} vs ${want.stars}`);
  // At 1280 px the table fits its box (no sideways scroll); abbreviated
  // headings carry the full label as title and accessible name.
  const box = sec.locator('.pccs-scroll');
  const fit = await box.evaluate((d) => [d.scrollWidth, d.clientWidth]);
  check('at 1280 px the table fits (no sideways scroll)', fit[0] <= fit[1], `${fit[0]} > ${fit[1]}`);
  const heads = await sec.locator('thead th button').evaluateAll((bs) =>
    bs.map((b) => [b.dataset.col, b.textContent, b.title, b.getAttribute('aria-label')]));
  const full = { efi_moderate: 'moderate', anticipatory_care: 'nticipatory', ld_health_check_due: 'health check' };
  for (const [c, frag] of Object.entries(full)) {
    const hd = heads.find((x) => x[0] === c);
    check(`heading ${c}: full label in title and name`, hd && hd[2].includes(frag) && hd[3] && hd[3].includes(frag),
      JSON.stringify(hd));
  }
  await sec.scrollIntoViewIfNeeded();
  await sec.screenshot({ path: join(outdir, 'browser-cohorts.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await sec.scrollIntoViewIfNeeded();
  await sec.screenshot({ path: join(outdir, 'browser-cohorts-390.png') });
  check('no script errors', errors.length === 0, errors.join('; '));
} catch (e) {
  check('the run completes', false, String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
