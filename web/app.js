// The pccs dashboard: search, an organisation page, login. Every figure
// comes from the JSON API (docs/API.md), which computes it through the same
// code as `pccs table`; each table shows the sources the API names.

const $ = (sel, el = document) => el.querySelector(sel);

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat())
    if (k !== null && k !== undefined) el.append(k instanceof Node ? k : String(k));
  return el;
}

let session = null;

async function api(path, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.method && opts.method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrf;
  const r = await fetch(path, {
    method: opts.method || 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: 'same-origin',
  });
  let data = null;
  try { data = await r.json(); } catch { data = null; }
  if (r.status === 401 && !opts.allow401) {
    location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search);
    throw new Error('not signed in');
  }
  return { status: r.status, data, headers: r.headers };
}

const LEVEL_NAMES = {
  practice: 'Practice', pcn: 'PCN', place: 'Place', sub_icb: 'Sub-ICB location',
  icb: 'ICB', region: 'Region', england: 'England',
};

function fmtNumber(v) {
  if (typeof v !== 'number') return v === null || v === undefined ? '' : String(v);
  return v.toLocaleString('en-GB', { maximumFractionDigits: Number.isInteger(v) ? 0 : 2 });
}

function errorSummary(title, message) {
  return h('div', { class: 'nhsuk-error-summary', role: 'alert', tabindex: '-1' },
    h('h2', { class: 'nhsuk-error-summary__title', text: title }),
    h('div', { class: 'nhsuk-error-summary__body' }, h('p', { text: message })));
}

function warning(title, message) {
  return h('div', { class: 'nhsuk-warning-callout' },
    h('h3', { class: 'nhsuk-warning-callout__label' }, h('span', { role: 'text', text: title })),
    h('p', { text: message }));
}

async function showWho() {
  const r = await api('/api/session');
  session = r.data;
  const who = $('#who');
  const out = h('button', { type: 'button', id: 'logout', text: 'Log out' });
  out.addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST', body: {} });
    location.href = '/login.html';
  });
  who.replaceChildren(
    h('span', { text: `${session.user} (${session.role}, ${session.scope})` }), out);
  return session;
}

// ---- tables: sortable, with sources and downloads

function sortTable(table, col, numeric) {
  const th = table.tHead.rows[0].cells[col];
  const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  for (const c of table.tHead.rows[0].cells) c.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', dir);
  const body = table.tBodies[0];
  const rows = [...body.rows];
  const key = (tr) => tr.cells[col].dataset.v;
  rows.sort((a, b) => {
    let x = key(a), y = key(b);
    if (numeric) { x = x === '' ? -Infinity : Number(x); y = y === '' ? -Infinity : Number(y); }
    const c = x < y ? -1 : x > y ? 1 : 0;
    return dir === 'ascending' ? c : -c;
  });
  body.replaceChildren(...rows);
}

function buildTable(t, caption, opts = {}) {
  const cols = opts.columns ? opts.columns.filter((c) => t.columns.includes(c)) : t.columns;
  const numeric = cols.map((c) => t.rows.some((r) => typeof r[c] === 'number'));
  const table = h('table', { class: 'nhsuk-table' });
  table.append(h('caption', { class: 'nhsuk-table__caption nhsuk-u-visually-hidden', text: caption }));
  const hr = h('tr', { class: 'nhsuk-table__row' });
  cols.forEach((c, i) => {
    const label = (t.labels && t.labels[c]) || (opts.labels && opts.labels[c]) || c.replaceAll('_', ' ');
    // opts.short: an abbreviated heading, the full one in its title and
    // accessible name, so a wide table fits its page.
    const short = opts.short && opts.short[c];
    const b = h('button', short
      ? { type: 'button', class: 'pccs-sort', title: `${label} (${c})`, 'aria-label': label, 'data-col': c, text: short }
      : { type: 'button', class: 'pccs-sort', title: c, 'data-col': c, text: label });
    b.addEventListener('click', () => sortTable(table, i, numeric[i]));
    hr.append(h('th', { scope: 'col', class: 'nhsuk-table__header' + (numeric[i] ? ' pccs-num' : '') }, b));
  });
  table.append(h('thead', { class: 'nhsuk-table__head' }, hr));
  const body = h('tbody', { class: 'nhsuk-table__body' });
  for (const r of t.rows) {
    const tr = h('tr', { class: 'nhsuk-table__row' });
    cols.forEach((c, i) => {
      const v = r[c];
      const td = h('td', { class: 'nhsuk-table__cell' + (numeric[i] ? ' pccs-num' : '') });
      td.dataset.v = v === null || v === undefined ? '' : String(v);
      if (c === 'code' && opts.link && typeof v === 'string')
        td.append(h('a', { href: '/org.html?code=' + encodeURIComponent(v), text: v }));
      else if (/^rag$|_rag$|^overall$/.test(c) && ['red', 'amber', 'green'].includes(v))
        td.append(h('span', { class: 'pccs-rag-' + v, text: v }));
      else if (v === '*' && numeric[i])
        td.append(h('span', { class: 'pccs-suppressed', title: 'suppressed: a count of 1 to 7 (disclosure control)', text: '*' }));
      else td.textContent = fmtNumber(v);
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(body);
  return table;
}

// Notes naming a generated file or a template's example rows (the API
// writes them as "SYNTHETIC: ..." and "EXAMPLE: ...").
const PROVENANCE = /^(SYNTHETIC|EXAMPLE): /;

function sourcesList(t) {
  const notes = (t.sources || []).filter((s) => !/^Contains public sector/.test(s));
  if (!notes.length) return null;
  return h('details', { class: 'nhsuk-details', open: notes.some((s) => PROVENANCE.test(s)) ? '' : null },
    h('summary', { class: 'nhsuk-details__summary' },
      h('span', { class: 'nhsuk-details__summary-text', text: 'Sources and notes' })),
    h('div', { class: 'nhsuk-details__text' },
      h('ul', { class: 'pccs-sources' }, notes.map((s) => h('li', {
        class: PROVENANCE.test(s) ? 'pccs-provenance' : null, text: s })))));
}

// A warning above anything resting on generated or example data, so it is
// never read as published figures.
function provenanceBanner(t) {
  const marked = (t.sources || []).filter((s) => PROVENANCE.test(s));
  if (!marked.length) return null;
  const kinds = [...new Set(marked.map((s) => s.split(':')[0]))];
  return h('div', { class: 'nhsuk-warning-callout pccs-provenance-banner', 'data-provenance': kinds.join(' ').toLowerCase() },
    h('h3', { class: 'nhsuk-warning-callout__label', text: `${kinds.join(' and ')} data` }),
    h('ul', {}, marked.map((s) => h('li', { text: s }))));
}

// CSV and xlsx download buttons for a table the API answers at path.
function downloads(path, title) {
  const sep = path.includes('?') ? '&' : '?';
  return h('div', { class: 'pccs-downloads' },
    h('a', { class: 'nhsuk-button nhsuk-button--secondary', href: path + sep + 'format=csv', download: '', text: `Download ${title} (CSV)` }),
    h('a', { class: 'nhsuk-button nhsuk-button--secondary', href: path + sep + 'format=xlsx', download: '', text: `Download ${title} (xlsx)` }));
}

// One table from the API, with its sources and CSV / xlsx downloads.
async function tableSection(parent, title, path, opts = {}) {
  const sec = h('section', { class: 'pccs-table-section', 'data-table': path.split('?')[0].split('/').pop() });
  sec.append(h('h2', { text: title }));
  parent.append(sec);
  const r = await api(path);
  if (r.status !== 200) {
    sec.append(h('p', { class: 'nhsuk-body', text: r.status === 403
      ? 'Not shown outside your scope: this table rests partly on local registers, which only their own area sees.'
      : (r.data && r.data.error) || `not available (${r.status})` }));
    return null;
  }
  const banner = provenanceBanner(r.data);
  if (banner) sec.append(banner);
  sec.append(h('div', { class: 'pccs-scroll', tabindex: '0', role: 'region', 'aria-label': title },
    buildTable(r.data, title, opts)));
  sec.append(downloads(path, title));
  const src = sourcesList(r.data);
  if (src) sec.append(src);
  return r.data;
}

// ---- SPC charts (Making Data Count colours) with a text alternative

const SPC_COLOURS = {
  common_cause: '#a6a6a6', special_cause_improvement: '#41b6e6', special_cause_concern: '#ed8b00',
  special_cause_neutral_high: '#330072', special_cause_neutral_low: '#330072',
};

const POINT_TYPES = {
  common_cause: 'common cause', special_cause_improvement: 'special cause: improvement',
  special_cause_concern: 'special cause: concern', special_cause_neutral_high: 'special cause: neither (high)',
  special_cause_neutral_low: 'special cause: neither (low)',
};
const SPC_LABELS = { date: 'Date', value: 'Value', mean: 'Mean', lpl: 'Lower process limit', upl: 'Upper process limit', point_type: 'Point' };

async function spcSection(parent, metric, title, code, orgName, points = 'month') {
  const sec = h('section', { class: 'pccs-spc', 'data-metric': metric });
  sec.append(h('h3', { text: title }));
  parent.append(sec);
  const r = await api(`/api/spc/${metric}/${encodeURIComponent(code)}`);
  if (r.status !== 200) {
    sec.append(h('p', { class: 'nhsuk-body', text: (r.data && r.data.error) || 'no series' }));
    return;
  }
  const rows = r.data.rows;
  // A metric's own target (enhanced access: the minutes required), drawn as a line.
  const tgt = (r.data.sources || []).map((x) => /^target: (-?[0-9.]+)/.exec(x)).find(Boolean);
  const target = tgt ? Number(tgt[1]) : null;
  const banner = provenanceBanner(r.data);
  if (banner) sec.append(banner);
  // Making Data Count: limits from so few points are not to be read as
  // signals; the API says so in a note, the page says so above the chart.
  const few = (r.data.sources || []).find((s) => /^warning: fewer than/.test(s));
  if (few)
    sec.append(warning(`Only ${rows.length} ${rows.length === 1 ? 'point' : 'points'}`,
      few.replace(/^warning: /, '').replace(/^./, (c) => c.toUpperCase()) +
      ': read the chart as a run of values, not as special or common cause.'));
  const xs = rows.map((p) => Date.parse(p.date) / 1000);
  const only = (re) => rows.map((p) => (re.test(p.point_type) ? p.value : null));
  const data = [xs, rows.map((p) => p.value), rows.map((p) => p.mean), rows.map((p) => p.lpl),
    rows.map((p) => p.upl), only(/improvement/), only(/concern/), only(/neutral/)];
  if (target !== null) data.push(rows.map(() => target));
  const box = h('div', { class: 'pccs-chart', 'aria-hidden': 'true' });
  const n = rows.length, last = rows[n - 1];
  const counts = {};
  rows.forEach((p) => { counts[p.point_type] = (counts[p.point_type] || 0) + 1; });
  const unit = points === 'month' ? 'months' : points === 'week' ? 'weeks' : points === 'financial year' ? 'financial years' : 'snapshots';
  const alt = `${title} for ${orgName || code}, ${n} ${n === 1 ? unit.replace(/s$/, '') : unit} from ${rows[0].date} to ${last.date}. ` +
    `Latest ${fmtNumber(last.value)}; mean ${fmtNumber(last.mean)}, process limits ` +
    `${fmtNumber(last.lpl)} to ${fmtNumber(last.upl)}. ` +
    (target !== null ? `Target ${fmtNumber(target)}. ` : '') +
    Object.entries(counts).map(([k, v]) => `${v} ${POINT_TYPES[k] || k.replaceAll('_', ' ')}`).join(', ') + '.';
  const fig = h('figure', { role: 'group', 'aria-label': title },
    box, h('figcaption', { class: 'nhsuk-body-s pccs-alt', text: alt }));
  sec.append(fig);
  const dt = buildTable({ labels: SPC_LABELS, columns: ['date', 'value', 'mean', 'lpl', 'upl', 'point_type'],
    rows: rows.map((p) => ({ ...p, point_type: POINT_TYPES[p.point_type] || p.point_type })) }, `${title}: the data`);
  sec.append(h('details', { class: 'nhsuk-details' },
    h('summary', { class: 'nhsuk-details__summary' },
      h('span', { class: 'nhsuk-details__summary-text', text: 'The chart as a table' })),
    h('div', { class: 'nhsuk-details__text pccs-scroll' }, dt)));
  sec.append(downloads(`/api/spc/${metric}/${encodeURIComponent(code)}`, title));
  const src = sourcesList(r.data);
  if (src) sec.append(src);
  const width = () => Math.max(240, Math.min(900, box.clientWidth - 16));
  /* global uPlot */
  const plot = new uPlot({
    width: width(), height: 260,
    series: [
      {},
      { label: orgName || title, stroke: '#005eb8', width: 2, points: { show: true, size: 6, fill: '#a6a6a6', stroke: '#a6a6a6' } },
      { label: 'mean', stroke: '#212b32', width: 1, points: { show: false } },
      { label: 'lower limit', stroke: '#768692', width: 1, dash: [6, 4], points: { show: false } },
      { label: 'upper limit', stroke: '#768692', width: 1, dash: [6, 4], points: { show: false } },
      ...[['improvement', SPC_COLOURS.special_cause_improvement],
        ['concern', SPC_COLOURS.special_cause_concern],
        ['neutral', SPC_COLOURS.special_cause_neutral_high]].map(([k, c]) => ({
        label: 'special cause: ' + k, stroke: c, paths: () => null,
        points: { show: true, size: 10, fill: c, stroke: c } })),
      ...(target !== null ? [{ label: 'target', stroke: '#ffb81c', width: 2, dash: [2, 3], points: { show: false } }] : []),
    ],
    // Weekly points: days written en-GB ("7 Sep"), not uPlot's US "9/7".
    axes: [points === 'week' ? { values: (u, ticks) => ticks.map((v) => new Date(v * 1000)
      .toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })) } : {}, { size: 76 }],
    legend: { show: false },
  }, data, box);
  addEventListener('resize', () => plot.setSize({ width: width(), height: 260 }));
  const key = [['#005eb8', `${title}: ${orgName || code}`], ['#212b32', 'mean'], ['#768692', 'process limits'],
    [SPC_COLOURS.special_cause_improvement, 'special cause: improvement'],
    [SPC_COLOURS.special_cause_concern, 'special cause: concern'],
    [SPC_COLOURS.special_cause_neutral_high, 'special cause: neither'],
    ...(target !== null ? [['#ffb81c', `target (${fmtNumber(target)})`]] : [])];
  box.append(h('div', { class: 'pccs-legend' }, key.map(([c, t]) => {
    const dot = h('i');
    dot.style.background = c;
    return h('span', {}, dot, t);
  })));
  box.dataset.points = String(plot.data[0].length);
  sec.dataset.drawn = 'yes';
}

// Enhanced access (issue 19): the PCN hub's weekly minutes against the
// minutes required, when booking sessions are loaded.
async function enhancedAccess(main, o) {
  const sec = h('section', { class: 'pccs-access' }, h('h2', { text: 'Enhanced access minutes (SPC)' }));
  main.append(sec);
  const enc = encodeURIComponent(o.code);
  // The table answers 200 with no rows when no sessions are loaded (the
  // series would be a 404, which the browser logs as an error).
  const probe = await api(`/api/tables/enhanced-access?in=${enc}`);
  if (probe.status !== 200 || !(probe.data.rows || []).length) {
    sec.append(h('p', { class: 'nhsuk-body', text: `No enhanced access sessions loaded for ${o.name || o.code}.` }));
    return;
  }
  for (const [metric, title] of [
    ['enhanced_access_delivered_minutes', 'Enhanced access minutes delivered a week (attended)'],
    ['enhanced_access_offered_minutes', 'Enhanced access minutes offered a week'],
  ]) await spcSection(sec, metric, title, o.code, o.name, 'week');
}

// ---- pages

// Where to go after logging in: next only when it is a path of this site
// (decoded already by URLSearchParams): one '/' followed by neither '/'
// nor '\\' (browsers read '/\\host' as '//host'), no control characters
// (a tab or newline is dropped by the URL parser: '/\t/host'), and
// resolving to this origin; else the home page.
function sameOriginPath(next) {
  if (!next || next[0] !== '/' || next[1] === '/' || next[1] === '\\' ||
      /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  try {
    const u = new URL(next, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '/';
  } catch {
    return '/';
  }
}

async function loginPage() {
  $('#who').textContent = '';
  $('#login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await api('/api/login', {
      method: 'POST', allow401: true,
      body: { user: $('#user').value, password: $('#password').value },
    });
    if (r.status === 200) {
      location.href = sameOriginPath(new URLSearchParams(location.search).get('next'));
      return;
    }
    const msg = r.status === 429 ? r.data.error
      : r.status === 401 ? 'The user name or password is wrong.' : (r.data && r.data.error) || 'Could not log in.';
    const box = errorSummary('There is a problem', msg);
    $('#errors').replaceChildren(box);
    box.focus();
  });
}

async function searchPage() {
  const s = await showWho();
  $('#scope').replaceChildren('Your area: ',
    h('a', { href: '/org.html?code=' + encodeURIComponent(s.scope), text: `${s.scope_name || s.scope} (${s.scope})` }));
  const q = new URLSearchParams(location.search).get('q');
  const run = async (text) => {
    const out = $('#results');
    if (text.trim().length < 2) { out.replaceChildren(); return; }
    const r = await api('/api/orgs?q=' + encodeURIComponent(text.trim()));
    if (r.status !== 200) { out.replaceChildren(errorSummary('There is a problem', r.data.error)); return; }
    const res = r.data.results;
    out.replaceChildren(
      h('h2', { text: `${res.length} result${res.length === 1 ? '' : 's'} for "${text.trim()}"` }),
      h('ul', { class: 'nhsuk-list pccs-results' }, res.map((o) => h('li', {},
        h('a', { href: '/org.html?code=' + encodeURIComponent(o.code), text: `${o.name || o.code}` }),
        ` ${o.code}, ${LEVEL_NAMES[o.level] || o.level}`))));
  };
  $('#search').addEventListener('submit', (e) => {
    e.preventDefault();
    history.replaceState(null, '', '/?q=' + encodeURIComponent($('#q').value));
    run($('#q').value);
  });
  if (q) { $('#q').value = q; run(q); }
}

// The level a page lists below each level of the tree.
const BELOW = { england: 'region', region: 'icb', icb: 'sub_icb', sub_icb: 'pcn', place: 'pcn', pcn: 'practice' };
const LEVEL_PLURAL = { region: 'Regions', icb: 'ICBs', sub_icb: 'Sub-ICB locations', pcn: 'PCNs', practice: 'Practices' };

function fmtFigure(v, unit) {
  if (typeof v !== 'number') return '';
  if (unit === 'GBP') return '£' + v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (unit === '%') return v.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 }) + '%';
  return v.toLocaleString('en-GB', { maximumFractionDigits: 0 });
}

// A practice's or PCN's figures beside its ICB, region and England, with
// its rank and decile among its peers (the API computes every number).
async function compareSection(main, o) {
  const sec = h('section', { class: 'pccs-compare', 'data-table': 'comparison' },
    h('h2', { text: 'Compared with its ICB, region and England' }));
  main.append(sec);
  const r = await api(`/api/orgs/${encodeURIComponent(o.code)}?compare=1`);
  const c = r.status === 200 && r.data.comparison;
  if (!c) { sec.append(h('p', { class: 'nhsuk-body', text: 'No comparison available.' })); return; }
  const up = Object.fromEntries(o.parents.map((p) => [p.level, p]));
  const head = ['Figure', o.level === 'pcn' ? 'This PCN' : 'This practice', 'ICB', 'Region', 'England',
    'Rank', 'Decile'];
  const named = (p) => (p ? `${p.name || p.code} (${p.code})` : 'none');
  sec.append(h('p', { class: 'nhsuk-body-s pccs-compare-note',
    text: `ICB: ${named(up.icb)}. Region: ${named(up.region)}. Rank and decile among every ${o.level === 'pcn' ? 'PCN' : 'practice'} ` +
      `in England with the figure: rank 1 is the highest, decile 1 the lowest tenth.` }));
  const table = h('table', { class: 'nhsuk-table' },
    h('caption', { class: 'nhsuk-table__caption nhsuk-u-visually-hidden', text: 'Comparison' }),
    h('thead', { class: 'nhsuk-table__head' }, h('tr', { class: 'nhsuk-table__row' },
      head.map((x, i) => h('th', { scope: 'col', class: 'nhsuk-table__header' + (i ? ' pccs-num' : ''), text: x })))));
  const body = h('tbody', { class: 'nhsuk-table__body' });
  for (const row of c.rows) {
    const unit = ''; // the values carry their unit (£, %)
    const td = (k) => h('td', { class: 'nhsuk-table__cell pccs-num', 'data-col': k,
      'data-v': row[k] === null || row[k] === undefined ? '' : String(row[k]), text: fmtFigure(row[k], row.unit) });
    body.append(h('tr', { class: 'nhsuk-table__row', 'data-figure': row.figure },
      h('th', { scope: 'row', class: 'nhsuk-table__cell', title: row.figure }, row.label + unit,
        row.period ? h('span', { class: 'pccs-source', text: row.period }) : null),
      td('value'), td('icb'), td('region'), td('england'),
      h('td', { class: 'nhsuk-table__cell pccs-num', 'data-col': 'rank', 'data-v': String(row.rank ?? '') },
        row.rank ? `${row.rank.toLocaleString('en-GB')} of ${row.peers.toLocaleString('en-GB')}` : ''),
      h('td', { class: 'nhsuk-table__cell pccs-num', 'data-col': 'decile', 'data-v': String(row.decile ?? ''), text: row.decile ?? '' })));
  }
  table.append(body);
  sec.append(h('div', { class: 'pccs-scroll', tabindex: '0', role: 'region', 'aria-label': 'Comparison' }, table));
  const src = sourcesList(c);
  if (src) sec.append(src);
}

// Population health (issue 18): the Network Contract DES cohorts of the
// organisation's practices (a practice: its own row; a PCN: its practices;
// above: its PCNs), counts suppressed by the API as for any reader but
// the owning practice ("*"), SYNTHETIC when they rest on generated
// patients. Nothing but a line when no patient-level records are loaded.
const COHORT_COLUMNS = ['code', 'name', 'registered', 'efi_moderate', 'efi_severe', 'care_home',
  'smr_priority', 'anticipatory_care', 'ld_health_check_due', 'dementia_review_due'];
// Their headings, abbreviated to fit 1280 px (the full label is the title).
const COHORT_SHORT = { registered: 'Registered', efi_moderate: 'eFI mod.', efi_severe: 'eFI severe',
  care_home: 'Care home', smr_priority: 'SMR priority', anticipatory_care: 'Antic. care',
  ld_health_check_due: 'LD check due', dementia_review_due: 'Dementia review due' };

async function cohortsSection(main, o, enc) {
  if (!['practice', 'pcn', 'place', 'sub_icb', 'icb', 'region'].includes(o.level)) return;
  const level = ['practice', 'pcn'].includes(o.level) ? 'practice' : 'pcn';
  const path = `/api/tables/cohorts?in=${enc}&level=${level}`;
  const title = 'Population health: Network Contract DES cohorts';
  const head = h('h2', { text: title });
  const sec = h('section', { class: 'pccs-table-section pccs-cohorts', 'data-table': 'cohorts' }, head);
  main.append(sec);
  // Ask for the table only when patient records are loaded (no 404 to log).
  const loaded = (await api('/api/sources')).data || [];
  if (!loaded.some((s) => s.kind === 'fhir_patient' || /^phm_/.test(s.kind || ''))) {
    sec.append(h('p', { class: 'nhsuk-body', text: 'No patient-level records loaded.' }));
    return;
  }
  const r = await api(path);
  if (r.status !== 200) {
    sec.append(h('p', { class: 'nhsuk-body', text: r.status === 404
      ? 'No patient-level records loaded.' : (r.data && r.data.error) || `not available (${r.status})` }));
    return;
  }
  const t = r.data;
  const synthetic = (t.sources || []).some((s) => s.startsWith('SYNTHETIC: '));
  if (synthetic)
    head.append(' ', h('strong', { class: 'nhsuk-tag nhsuk-tag--red pccs-synthetic-badge', text: 'SYNTHETIC' }));
  const at = t.rows.length ? t.rows[0].at : null;
  sec.append(h('p', { class: 'nhsuk-body', text: `Patients in each group${at ? ` as at ${at}` : ''}, from the ` +
    'patient-level records loaded; eFI: the electronic Frailty Index of the patients aged 65 and over. ' +
    'A * is a count of 1 to 7, withheld (disclosure control).' }));
  const banner = provenanceBanner(t);
  if (banner) sec.append(banner);
  sec.append(h('div', { class: 'pccs-scroll', tabindex: '0', role: 'region', 'aria-label': title },
    buildTable(t, title, { link: true, columns: COHORT_COLUMNS, short: COHORT_SHORT })));
  sec.append(downloads(path, 'cohorts'));
  const src = sourcesList(t);
  if (src) sec.append(src);
}

async function orgPage() {
  await showWho();
  const code = new URLSearchParams(location.search).get('code') || session.scope;
  const main = $('#org');
  const r = await api('/api/orgs/' + encodeURIComponent(code));
  if (r.status !== 200) {
    document.title = 'Not available - pccs';
    main.replaceChildren(h('h1', { text: r.status === 403 ? 'You cannot see this organisation' : 'Not found' }),
      warning(r.status === 403 ? 'Outside your scope' : 'Unknown', r.data.error));
    return;
  }
  const o = r.data;
  document.title = `${o.name || o.code} - pccs`;
  const crumbs = [...o.parents].reverse();
  $('#crumbs').replaceChildren(h('ol', { class: 'nhsuk-breadcrumb__list' },
    crumbs.map((p) => h('li', { class: 'nhsuk-breadcrumb__list-item' },
      h('a', { class: 'nhsuk-breadcrumb__link', href: '/org.html?code=' + encodeURIComponent(p.code), text: p.name || p.code }))),
    h('li', { class: 'nhsuk-breadcrumb__list-item' }, h('span', { 'aria-current': 'page', text: o.name || o.code }))));
  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l', text: `${LEVEL_NAMES[o.level] || o.level} ${o.code}` }),
    h('h1', { text: o.name || o.code }));
  // Headline figures, each with its source and period.
  const pop = o.populations && o.populations.rows[0];
  if (pop) {
    const src = (col) => (o.populations.sources || []).find((s) => s.startsWith(col + ':')) || '';
    const fig = (label, v, s) => h('div', { class: 'pccs-figure' },
      h('span', { class: 'nhsuk-body-s', text: label }),
      h('span', { class: 'pccs-value', 'data-figure': label, text: fmtNumber(v) }),
      h('span', { class: 'pccs-source', text: s.replace(/^[a-z_]+: /, '').replace(/ \([^()]*sha256[^()]*\)$/, '') }));
    const asAt = (o.populations.sources || []).find((s) => s.startsWith('organisations as at')) || '';
    main.append(h('div', { class: 'pccs-figures' },
      fig('Registered patients', pop.registered, src('registered')),
      fig('Weighted patients', pop.weighted, src('weighted')),
      fig('Practices', pop.practices, asAt ? `practices in the tree, ${asAt}` : 'practices in the tree')));
  }
  const enc = encodeURIComponent(o.code);
  // Benchmarks of a practice or PCN: computed by the API (model/profile.c).
  if (o.level === 'practice' || o.level === 'pcn') await compareSection(main, o);
  // The level below in the tree as at the day, whatever order the
  // children come in: a sub-ICB lists its PCNs (those under its places
  // too), not the practices in no PCN that happen to sort first.
  const below = BELOW[o.level];
  if (below && o.children.length) {
    await tableSection(main, `${LEVEL_PLURAL[below]} in ${o.name || o.code}`,
      `/api/tables/populations?in=${enc}&level=${below}`, { link: true,
        // Every row rests on the same publications, which the sources
        // list under the table names in full: no per-row source column.
        columns: ['code', 'name', 'practices', 'registered', 'weighted'] });
    const places = o.children.filter((c) => c.level === 'place');
    if (places.length)
      main.append(h('section', { class: 'pccs-places' }, h('h2', { text: 'Places (local groupings)' }),
        h('ul', { class: 'nhsuk-list' }, places.map((c) => h('li', {},
          h('a', { href: '/org.html?code=' + encodeURIComponent(c.code), text: c.name || c.code }), ` ${c.code}`)))));
    const loose = below === 'pcn' ? o.children.filter((c) => c.level === 'practice') : [];
    if (loose.length)
      main.append(h('section', { class: 'pccs-loose' }, h('h2', { text: 'Practices in no PCN' }),
        h('ul', { class: 'nhsuk-list' }, loose.map((c) => h('li', {},
          h('a', { href: '/org.html?code=' + encodeURIComponent(c.code), text: c.name || c.code }), ` ${c.code}`)))));
  }
  // Series over time (SPC, Making Data Count): what the API offers for
  // this level, list size first.
  const metrics = (await api('/api/spc')).data || [];
  const offered = new Map(metrics.map((m) => [m.name, m]));
  const series = [
    ['list_size', 'List size (registered patients)'],
    ['payments_per_weighted_patient', 'Payments per weighted patient (£)'],
    ...(o.level !== 'practice' ? [['pcn_workforce_fte', 'PCN workforce (FTE)'],
      ['pcn_fte_direct_patient_care', 'PCN direct patient care staff (FTE)']] : []),
  ].filter(([m]) => offered.has(m));
  if (series.length) {
    const sec = h('section', { class: 'pccs-series' }, h('h2', { text: 'Over time (SPC)' }));
    main.append(sec);
    for (const [metric, title] of series)
      await spcSection(sec, metric, title, o.code, o.name, offered.get(metric).points);
  }
  const spc = h('section', { class: 'pccs-capacity' }, h('h2', { text: 'Capacity: appointments (SPC)' }));
  main.append(spc);
  // One line, not five, when no appointments are loaded for it.
  const probe = await api(`/api/spc/appointments_per_1000/${enc}`);
  if (probe.status === 404)
    spc.append(h('p', { class: 'nhsuk-body', text: `No appointments data loaded for ${o.name || o.code}.` }));
  else for (const [metric, title] of [
    ['appointments_per_1000', 'Appointments per 1,000 registered patients'],
    ['attended_per_1000', 'Attended appointments per 1,000 registered patients'],
    ['dna_pct', 'Did not attend (% of appointments)'],
    ['face_to_face_pct', 'Face to face (% of appointments)'],
    ['gp_pct', 'With a GP (% of appointments)'],
  ]) await spcSection(spc, metric, title, o.code, o.name);
  if (o.level === 'pcn') await enhancedAccess(main, o);
  if (o.level === 'pcn') {
    await tableSection(main, 'PCN entitlements', `/api/tables/entitlements?in=${enc}&level=pcn`);
    await tableSection(main, 'Workforce per 10,000 weighted patients', `/api/tables/workforce?in=${enc}&level=pcn`);
  }
  // QOF disease groups by name (group_label), the code beside it.
  if (['practice', 'pcn', 'sub_icb', 'icb', 'region'].includes(o.level))
    await tableSection(main, 'QOF prevalence', `/api/tables/qof-prevalence?in=${enc}&level=${o.level}`, {
      columns: ['group_label', 'group', 'register', 'list_size', 'prevalence_pct', 'national_prevalence_pct'] });
  if (o.level === 'practice')
    await tableSection(main, 'Resilience', `/api/tables/resilience?in=${enc}`);
  else if (['pcn', 'place', 'sub_icb', 'icb'].includes(o.level))
    await tableSection(main, 'Practice resilience', `/api/tables/resilience?in=${enc}`, {
      link: true, columns: ['code', 'name', 'list_size', 'overall', 'reds', 'ambers', 'reasons'] });
  await cohortsSection(main, o, enc);
  if (o.access === 'within scope' && o.level !== 'practice')
    main.append(h('p', { class: 'nhsuk-body' }, h('a', {
      class: 'nhsuk-button', href: '/paper.html?in=' + enc, text: 'Make the committee paper' })));
  main.dataset.ready = 'yes';
}

// ---- local registers: read in scope, changed by commissioners

function fieldFor(col, value) {
  const id = 'f-' + col.name;
  const label = h('label', { class: 'nhsuk-label', for: id, text: col.name.replaceAll('_', ' ') + (col.required ? '' : ' (optional)') });
  let input;
  if (col.kind === 'one of') {
    input = h('select', { class: 'nhsuk-select', id, name: col.name });
    if (!col.required) input.append(h('option', { value: '', text: '' }));
    for (const v of col.values.split('|')) input.append(h('option', { value: v, text: v, selected: v === value }));
  } else {
    input = h('input', {
      class: 'nhsuk-input' + (col.kind === 'text' ? '' : ' nhsuk-input--width-10'), id, name: col.name,
      type: col.kind === 'date' ? 'date' : 'text',
      inputmode: /number/.test(col.kind) ? 'decimal' : null, value: value || '',
    });
  }
  const hint = col.kind === 'organisation' ? 'An organisation code within your scope, e.g. a practice, PCN or sub-ICB'
    : col.kind === 'practice' ? 'A practice code within your scope'
      : col.kind === 'place' ? 'A place code from the places register, or leave empty'
      : col.kind === 'whole number' && col.values ? `A whole number from ${col.values.replace('|', ' to ')}` : null;
  return h('div', { class: 'nhsuk-form-group' }, label,
    hint ? h('div', { class: 'nhsuk-hint', text: hint }) : null, input);
}

async function showRegister(name, notice) {
  const out = $('#reg');
  $('#reg-form').replaceChildren();
  $('#reg-errors').replaceChildren();
  const r = await api('/api/registers/' + name);
  if (r.status !== 200) {
    out.replaceChildren(warning(r.status === 403 ? 'Not available to you' : 'Not available', r.data.error));
    return;
  }
  const reg = r.data;
  const cols = reg.columns.map((c) => c.name);
  const table = h('table', { class: 'nhsuk-table', 'data-register': name });
  table.append(h('caption', { class: 'nhsuk-table__caption', text: `${name.replaceAll('_', ' ')}: ${reg.rows.length} rows (version ${reg.version})` }));
  table.append(h('thead', { class: 'nhsuk-table__head' }, h('tr', { class: 'nhsuk-table__row' },
    cols.map((c) => h('th', { scope: 'col', class: 'nhsuk-table__header', text: c.replaceAll('_', ' ') })),
    reg.can_edit ? h('th', { scope: 'col', class: 'nhsuk-table__header', text: 'Change' }) : null)));
  const body = h('tbody', { class: 'nhsuk-table__body' });
  for (const row of reg.rows) {
    const tr = h('tr', { class: 'nhsuk-table__row', 'data-key': row.key },
      cols.map((c) => h('td', { class: 'nhsuk-table__cell', text: row.values[c] })));
    if (reg.can_edit) {
      const label = row.values[cols[0]] || row.key;
      const edit = h('button', { type: 'button', class: 'pccs-sort', 'aria-label': `Edit ${label}`, text: 'Edit' });
      edit.addEventListener('click', () => rowForm(reg, row));
      const del = h('button', { type: 'button', class: 'pccs-sort', 'aria-label': `Delete ${label}`, text: 'Delete' });
      del.addEventListener('click', async () => {
        if (!confirm(`Delete ${label} from ${name}?`)) return;
        const d = await api(`/api/registers/${name}/${row.key}`, { method: 'DELETE', body: { version: reg.version } });
        if (d.status === 200) showRegister(name, `Deleted ${label}: version ${d.data.version}.`);
        else $('#reg-errors').replaceChildren(errorSummary('There is a problem', d.data.error));
      });
      tr.append(h('td', { class: 'nhsuk-table__cell' }, edit, ' ', del));
    }
    body.append(tr);
  }
  table.append(body);
  out.replaceChildren(
    notice ? h('div', { class: 'nhsuk-inset-text', role: 'status' }, h('p', { text: notice })) : '',
    h('div', { class: 'pccs-scroll', tabindex: '0', role: 'region', 'aria-label': name }, table));
  if (reg.can_edit) {
    const add = h('button', { type: 'button', class: 'nhsuk-button', id: 'add-row', text: 'Add a row' });
    add.addEventListener('click', () => rowForm(reg, null));
    out.append(add);
  }
  // What pccs derives from the register (scores, overdue, variance ...),
  // within the user's scope, with its downloads.
  const derived = REGISTER_TABLES[name];
  if (derived) await tableSection(out, derived[1], `/api/tables/${derived[0]}`);
}

const REGISTER_TABLES = {
  programmes: ['programme-status', 'Programme status by workstream'],
  milestones: ['milestones', 'Milestones: target against achieved'],
  risks: ['risks', 'Risks by score'],
  estates: ['estates', 'Estates: tenure mix and void space by place'],
  budget: ['budget', 'Delegated budget: plan, forecast and variance'],
  list_closures: ['list-closures', 'List closures'],
  support_payments: ['support-payments', 'Support payments'],
  visits: ['visits', 'Practices not visited in the last 18 months'],
};

function rowForm(reg, row) {
  const form = h('form', { id: 'row-form', novalidate: true },
    h('h2', { text: row ? `Change a row of ${reg.register}` : `Add a row to ${reg.register}` }),
    reg.columns.map((c) => fieldFor(c, row ? row.values[c.name] : '')),
    h('button', { class: 'nhsuk-button', type: 'submit', text: row ? 'Save the change' : 'Add the row' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const c of reg.columns) values[c.name] = form.elements[c.name].value;
    const r = row
      ? await api(`/api/registers/${reg.register}/${row.key}`, { method: 'PUT', body: { values, version: reg.version } })
      : await api(`/api/registers/${reg.register}`, { method: 'POST', body: { values, version: reg.version } });
    if (r.status === 200 || r.status === 201) {
      showRegister(reg.register, `${row ? 'Changed' : 'Added'}: version ${r.data.version}.`);
      return;
    }
    const box = errorSummary('There is a problem', r.data.error);
    $('#reg-errors').replaceChildren(box);
    box.focus();
  });
  $('#reg-form').replaceChildren(form);
  form.elements[0].focus();
}

async function registersPage() {
  await showWho();
  const r = await api('/api/registers');
  const sel = $('#register');
  for (const g of r.data.registers)
    if (g.name !== 'places') sel.append(h('option', { value: g.name, text: g.name.replaceAll('_', ' ') }));
  const want = new URLSearchParams(location.search).get('name');
  if (want) sel.value = want;
  sel.addEventListener('change', () => {
    history.replaceState(null, '', '/registers.html?name=' + sel.value);
    showRegister(sel.value);
  });
  await showRegister(sel.value);
}

// ---- the committee paper: organisation, period and paper details, then
// HTML or PDF from GET /api/report/committee (pccs report committee)

async function paperPage() {
  const s = await showWho();
  const form = $('#paper');
  const params = new URLSearchParams(location.search);
  form.elements.in.value = params.get('in') || s.scope;
  const go = async (format) => {
    const q = new URLSearchParams();
    for (const el of form.elements)
      if (el.name && el.value.trim()) q.set(el.name, el.value.trim());
    q.set('format', format);
    const status = $('#paper-status');
    $('#paper-errors').replaceChildren();
    status.textContent = `Making the ${format.toUpperCase()} paper...`;
    const r = await fetch('/api/report/committee?' + q, { credentials: 'same-origin' });
    if (r.status === 401) { location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search); return; }
    if (r.status !== 200) {
      let msg = `could not make the paper (${r.status})`;
      try { msg = (await r.json()).error; } catch { /* not JSON */ }
      status.textContent = '';
      const box = errorSummary('There is a problem', msg);
      $('#paper-errors').replaceChildren(box);
      box.focus();
      return;
    }
    const blob = await r.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: `committee-paper-${q.get('in')}.${format}`,
      class: 'pccs-paper-file', 'data-format': format, 'data-bytes': String(blob.size), text: `Save the ${format.toUpperCase()} paper` });
    status.replaceChildren(`Ready: ${(blob.size / 1024).toFixed(0)} KB. `, a);
    a.click();
  };
  $('#paper-html').addEventListener('click', () => go('html'));
  $('#paper-pdf').addEventListener('click', () => go('pdf'));
  form.addEventListener('submit', (e) => { e.preventDefault(); go('pdf'); });
  document.body.dataset.ready = 'yes';
}

const pages = { login: loginPage, search: searchPage, org: orgPage, registers: registersPage, paper: paperPage };
const page = pages[document.body.dataset.page];
if (page) page().catch((e) => { if (e.message !== 'not signed in') console.error(e); });
