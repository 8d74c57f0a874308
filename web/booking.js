/* The booking page: free slots by hub and day, book, cancel (issue 19),
 * over pccs serve's FHIR routes. */
'use strict';
let csrf = null;

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function say(text, error) {
  const m = document.getElementById('msg');
  m.textContent = text;
  m.className = error ? 'nhsuk-error-message' : 'nhsuk-body';
}

async function call(method, path, body, headers) {
  const h = Object.assign({}, headers || {});
  if (method !== 'GET') h['X-CSRF-Token'] = csrf;
  if (body !== undefined) h['Content-Type'] = 'application/fhir+json';
  const r = await fetch(path, {method, headers: h, credentials: 'same-origin',
                               body: body === undefined ? undefined : JSON.stringify(body)});
  const j = await r.json();
  if (r.status === 401) location.href = '/login.html';
  if (!r.ok) throw new Error((j.issue && j.issue[0].diagnostics) || j.error || r.status);
  return j;
}

// Dates are always written the British way (en-GB) whatever the browser's
// own locale: headless chromium runs as en-US and would write 12/7/2026.
// An instant of the API (with its Europe/London offset) reads as
// "Mon 7 Dec 2026, 18:30"; with short set, the time only.
const GB = {
  day: new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/London', weekday: 'short',
                                         day: 'numeric', month: 'short', year: 'numeric'}),
  time: new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/London', hour: '2-digit',
                                          minute: '2-digit', hourCycle: 'h23'}),
};
function parts(fmt, d) {
  const o = {};
  for (const p of fmt.formatToParts(d)) o[p.type] = p.value;
  return o;
}
function gbDay(d) {
  const p = parts(GB.day, d);
  return p.weekday + ' ' + p.day + ' ' + p.month + ' ' + p.year;
}
function when(iso, short) {
  const d = new Date(iso || '');
  if (isNaN(d)) return iso || '';
  const t = parts(GB.time, d);
  const hm = t.hour + ':' + t.minute;
  return short ? hm : gbDay(d) + ', ' + hm;
}
// The day box: DD/MM/YYYY (or YYYY-MM-DD) to YYYY-MM-DD for the API;
// '' when empty; null when it is not a date.
function isoDay(s) {
  s = s.trim();
  if (!s) return '';
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const ymd = m ? [m[3], m[2], m[1]] : (/^(\d{4})-(\d{2})-(\d{2})$/.exec(s) || []).slice(1);
  if (ymd.length !== 3) return null;
  const d = new Date(Date.UTC(+ymd[0], +ymd[1] - 1, +ymd[2]));
  if (d.getUTCMonth() !== +ymd[1] - 1 || d.getUTCDate() !== +ymd[2]) return null;
  return ymd[0] + '-' + ymd[1].padStart(2, '0') + '-' + ymd[2].padStart(2, '0');
}
// A day YYYY-MM-DD as "Mon 7 Dec 2026" (noon, so no offset moves it).
function dayText(day) {
  return gbDay(new Date(day + 'T12:00:00Z'));
}

function button(label, fn) {
  const b = el('button', label);
  b.className = 'nhsuk-button nhsuk-button--secondary';
  b.addEventListener('click', fn);
  return b;
}

async function findSlots() {
  const actor = document.getElementById('actor').value.trim();
  const day = isoDay(document.getElementById('day').value);
  if (day === null) {
    say('Day: write it as DD/MM/YYYY, for example 07/12/2026.', true);
    return;
  }
  let q = '/fhir/Slot?status=free';
  if (actor) q += '&schedule.actor=' + encodeURIComponent('Organization/' + actor);
  if (day) q += '&start=ge' + day + '&start=le' + day;
  const b = await call('GET', q);
  const tb = document.getElementById('slots');
  tb.replaceChildren();
  for (const e of b.entry) {
    const s = e.resource;
    const tr = el('tr');
    tr.dataset.start = s.start;
    tr.append(el('td', when(s.start)), el('td', when(s.end, true)), el('td', s.comment || ''));
    const td = el('td');
    td.append(button('Book', () => book(s.id).catch(x => say(x.message, true))));
    tr.append(td);
    tb.append(tr);
  }
  if (!b.entry.length) await sayWhyNone(actor, day);
  else say(b.entry.length + ' free slot' + (b.entry.length === 1 ? '' : 's') + (actor ? ' of ' + actor : '') +
           (day ? ' on ' + dayText(day) : '') + '.');
}

// No free slot: either all are taken or none there is open to this user
// (the API offers only the slots the user may book into or holds).
async function sayWhyNone(actor, day) {
  if (!actor) { say('No free slots that you may book.'); return; }
  let q = '/fhir/Slot?schedule.actor=' + encodeURIComponent('Organization/' + actor);
  if (day) q += '&start=ge' + day + '&start=le' + day;
  const any = await call('GET', q);
  const on = day ? ' on ' + dayText(day) : '';
  if (any.entry.length) say('All of ' + actor + "'s slots" + on + ' are taken.');
  else say('You may not book at ' + actor + on + ': none of its slots is open to ' +
           document.getElementById('who').textContent + '.', true);
}

async function book(slot) {
  const nhs = document.getElementById('nhs').value.replace(/\s/g, '');
  const gp = document.getElementById('gp').value.trim();
  const a = await call('POST', '/fhir/Appointment', {
    resourceType: 'Appointment', status: 'booked', slot: [{reference: 'Slot/' + slot}],
    contained: [{resourceType: 'Patient', id: 'patient',
                 identifier: [{system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs}],
                 generalPractitioner: [{identifier: {system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: gp}}]}],
    participant: [{actor: {reference: '#patient'}, status: 'accepted'}]
  }, {'Idempotency-Key': crypto.randomUUID()});
  await findSlots();
  await listAppointments();
  say('Booked: appointment ' + a.id + ', ' + when(a.start) + ', NHS number ' + nhs + '.');
}

async function cancel(id) {
  await call('PATCH', '/fhir/Appointment/' + id,
             [{op: 'replace', path: '/status', value: 'cancelled'}]);
  await findSlots();
  await listAppointments();
  say('Cancelled appointment ' + id + '.');
}

async function listAppointments() {
  const b = await call('GET', '/fhir/Appointment?status=booked');
  const tb = document.getElementById('appts');
  tb.replaceChildren();
  for (const e of b.entry) {
    const a = e.resource;
    const tr = el('tr');
    tr.dataset.start = a.start;
    tr.append(el('td', when(a.start)), el('td', a.contained[0].identifier[0].value), el('td', a.status));
    const td = el('td');
    td.append(button('Cancel', () => cancel(a.id).catch(x => say(x.message, true))));
    tr.append(td);
    tb.append(tr);
  }
}

async function start() {
  const r = await fetch('/api/session', {credentials: 'same-origin'});
  if (r.status === 401) { location.href = '/login.html'; return; }
  const s = await r.json();
  csrf = s.csrf;
  document.getElementById('who').textContent = s.user + ' (' + s.role + ', ' + s.scope + ')';
  document.getElementById('find').addEventListener('submit', ev => {
    ev.preventDefault();
    findSlots().catch(x => say(x.message, true));
  });
  await findSlots();
  await listAppointments();
}

start().catch(x => say(x.message, true));
