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

// An instant of the API (local wall time with its Europe/London offset)
// as people read it: "Mon 7 Dec 2026, 18:30"; time only with short set.
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function when(iso, short) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(iso || '');
  if (!m) return iso || '';
  if (short) return m[4];
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return DAYS[d.getUTCDay()] + ' ' + (+m[3]) + ' ' + MONTHS[+m[2] - 1] + ' ' + m[1] + ', ' + m[4];
}

function button(label, fn) {
  const b = el('button', label);
  b.className = 'nhsuk-button nhsuk-button--secondary';
  b.addEventListener('click', fn);
  return b;
}

async function findSlots() {
  const actor = document.getElementById('actor').value.trim();
  const day = document.getElementById('day').value;
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
  else say(b.entry.length + ' free slot' + (b.entry.length === 1 ? '' : 's') + (actor ? ' of ' + actor : '') + '.');
}

// No free slot: either all are taken or none there is open to this user
// (the API offers only the slots the user may book into or holds).
async function sayWhyNone(actor, day) {
  if (!actor) { say('No free slots that you may book.'); return; }
  let q = '/fhir/Slot?schedule.actor=' + encodeURIComponent('Organization/' + actor);
  if (day) q += '&start=ge' + day + '&start=le' + day;
  const any = await call('GET', q);
  const on = day ? ' on ' + day : '';
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
