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
    const b = h('button', { type: 'button', class: 'pccs-sort', text: c.replaceAll('_', ' ') });
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
    sec.append(h('p', { class: 'nhsuk-body', text: (r.data && r.data.error) || `not available (${r.status})` }));
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

async function spcSection(parent, metric, title, code) {
  const sec = h('section', { class: 'pccs-spc', 'data-metric': metric });
  sec.append(h('h3', { text: title }));
  parent.append(sec);
  const r = await api(`/api/spc/${metric}/${encodeURIComponent(code)}`);
  if (r.status !== 200) {
    sec.append(h('p', { class: 'nhsuk-body', text: (r.data && r.data.error) || 'no series' }));
    return;
  }
  const rows = r.data.rows;
  const banner = provenanceBanner(r.data);
  if (banner) sec.append(banner);
  const xs = rows.map((p) => Date.parse(p.date) / 1000);
  const only = (re) => rows.map((p) => (re.test(p.point_type) ? p.value : null));
  const data = [xs, rows.map((p) => p.value), rows.map((p) => p.mean), rows.map((p) => p.lpl),
    rows.map((p) => p.upl), only(/improvement/), only(/concern/), only(/neutral/)];
  const box = h('div', { class: 'pccs-chart', 'aria-hidden': 'true' });
  const n = rows.length, last = rows[n - 1];
  const counts = {};
  rows.forEach((p) => { counts[p.point_type] = (counts[p.point_type] || 0) + 1; });
  const alt = `${title} for ${code}, ${n} months from ${rows[0].date} to ${last.date}. ` +
    `Latest ${fmtNumber(last.value)}; mean ${fmtNumber(last.mean)}, process limits ` +
    `${fmtNumber(last.lpl)} to ${fmtNumber(last.upl)}. ` +
    Object.entries(counts).map(([k, v]) => `${v} ${k.replaceAll('_', ' ')}`).join(', ') + '.';
  const fig = h('figure', { role: 'group', 'aria-label': title },
    box, h('figcaption', { class: 'nhsuk-body-s pccs-alt', text: alt }));
  sec.append(fig);
  const dt = buildTable({ columns: ['date', 'value', 'mean', 'lpl', 'upl', 'point_type'], rows }, `${title}: the data`);
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
      { label: title, stroke: '#005eb8', width: 2, points: { show: true, size: 6, fill: '#a6a6a6', stroke: '#a6a6a6' } },
      { label: 'mean', stroke: '#212b32', width: 1, points: { show: false } },
      { label: 'lower limit', stroke: '#768692', width: 1, dash: [6, 4], points: { show: false } },
      { label: 'upper limit', stroke: '#768692', width: 1, dash: [6, 4], points: { show: false } },
      ...[['improvement', SPC_COLOURS.special_cause_improvement],
        ['concern', SPC_COLOURS.special_cause_concern],
        ['neutral', SPC_COLOURS.special_cause_neutral_high]].map(([k, c]) => ({
        label: 'special cause: ' + k, stroke: c, paths: () => null,
        points: { show: true, size: 10, fill: c, stroke: c } })),
    ],
    axes: [{}, { size: 60 }],
    legend: { show: false },
  }, data, box);
  addEventListener('resize', () => plot.setSize({ width: width(), height: 260 }));
  const key = [['#005eb8', title], ['#212b32', 'mean'], ['#768692', 'process limits'],
    [SPC_COLOURS.special_cause_improvement, 'special cause: improvement'],
    [SPC_COLOURS.special_cause_concern, 'special cause: concern'],
    [SPC_COLOURS.special_cause_neutral_high, 'special cause: neither']];
  box.append(h('div', { class: 'pccs-legend' }, key.map(([c, t]) => {
    const dot = h('i');
    dot.style.background = c;
    return h('span', {}, dot, t);
  })));
  box.dataset.points = String(plot.data[0].length);
  sec.dataset.drawn = 'yes';
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
  if (o.children.length) {
    const lv = o.children[0].level;
    await tableSection(main, `${LEVEL_NAMES[lv] || lv}s in ${o.name || o.code}`,
      `/api/tables/populations?in=${enc}&level=${lv}`, { link: true,
        columns: ['code', 'name', 'practices', 'registered', 'weighted', 'source'] });
  }
  const spc = h('section', {}, h('h2', { text: 'Capacity: appointments (SPC)' }));
  main.append(spc);
  for (const [metric, title] of [
    ['appointments_per_1000', 'Appointments per 1,000 registered patients'],
    ['attended_per_1000', 'Attended appointments per 1,000 registered patients'],
    ['dna_pct', 'Did not attend (% of appointments)'],
    ['face_to_face_pct', 'Face to face (% of appointments)'],
    ['gp_pct', 'With a GP (% of appointments)'],
  ]) await spcSection(spc, metric, title, o.code);
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

const pages = { login: loginPage, search: searchPage, org: orgPage, registers: registersPage };
const page = pages[document.body.dataset.page];
if (page) page().catch((e) => { if (e.message !== 'not signed in') console.error(e); });
