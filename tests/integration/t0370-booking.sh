#!/bin/sh
# Direct booking (issue 19): sessions of the access_sessions register
# become slots (counted by python from the register file); FHIR R4 Slot
# and Appointment checked against the R4 structure (booking.py, written
# from the specification); idempotency; cancel, attended and did not
# attend; the scope matrix of who may book whom where (the rule written
# out below against the published practice -> PCN -> ICB map); every
# booking, refusal and denial in the audit log.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
# Sessions (synthetic, made here): a Stockton PCN hub session open to 111
# and one open to the PCN, a practice's own session, a summer session
# (British Summer Time) and a hub session in another ICB (QE1).
cat >"$T/sessions.csv" <<'EOF'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
U89141,Stockton hub,Enhanced access,2026-12-12,09:00,17:00,nurse,20,pcn
A81001,The Densham Surgery,General practice,2026-12-07,08:00,09:05,GP,10,practice
U89141,Stockton hub,Enhanced access,2026-06-06,09:00,10:00,GP,30,111
U25520,Other ICB hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
EOF
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
for u in "root admin ENG" "hub hub U89141" "one nhs111 QHM" \
    "far nhs111 QE1" "prue practice A81001" "mo practice A81017" \
    "pat practice A81002" "cara commissioner 16C"; do
    set -- $u
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
printf 'a long enough passphrase\n' |
    "$PCCS" --store "$S" user add bad --role nhs111 --scope U89141 2>"$T/err"
check_match "an nhs111 user's scope is an ICB" "$(cat "$T/err")" "scope is an ICB"

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" "$MAP" "$S" >"$T/res" <<'PY'
import csv, json, sqlite3, sys
import storedb
from datetime import datetime
from zoneinfo import ZoneInfo
import booking as B
url, t, mapfile, store = sys.argv[1:5]
out = []
def check(name, ok, detail=""):
    detail = str(detail).replace("\n", " ")[:300]
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t{detail}")

# --- the tree from the published map
pcn_of, icb_of = {}, {}
for r in csv.DictReader(open(mapfile)):
    pcn_of[r["PRACTICE_CODE"]] = r["PCN_CODE"]
    icb_of[r["PRACTICE_CODE"]] = icb_of[r["PCN_CODE"]] = r["ICB_CODE"]

# --- slots expected from the register file
sessions = list(csv.DictReader(open(f"{t}/sessions.csv")))
def mins(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)
want = []
for s in sessions:
    a, b, n = mins(s["start_time"]), mins(s["end_time"]), int(s["slot_minutes"])
    k = a
    while k + n <= b:
        want.append((s["session_org_code"], f"{s['session_date']}T{k//60:02d}:{k%60:02d}:00", s["bookable_by"]))
        k += n

root = B.Session(url, "root")
st, body, hdrs = root.call("GET", "/fhir/Slot")
bundle = json.loads(body)
errs = []
B.check_bundle(bundle, errs, B.check_slot)
check("GET /fhir/Slot: 200, a valid R4 searchset Bundle of Slots", st == 200 and not errs, errs[:3])
check("Content-Type application/fhir+json", hdrs.get("Content-Type", "").startswith("application/fhir+json"))
slots = [e["resource"] for e in bundle["entry"]]
def local(inst):
    return inst[:19]
got = sorted((s["schedule"]["display"], local(s["start"])) for s in slots)
check("the slots are the register's sessions cut by slot length (python)",
      got == sorted((o, st_) for o, st_, _ in want), f"{len(got)} vs {len(want)}")
# UK offsets, from the time zone database
bad = [s["start"] for s in slots
       if datetime.fromisoformat(s["start"]).utcoffset() !=
       datetime.fromisoformat(local(s["start"])).replace(tzinfo=ZoneInfo("Europe/London")).utcoffset()]
check("slot instants carry the Europe/London offset (BST in June)", not bad, bad[:2])
by = {}
for s in slots:
    by.setdefault((s["schedule"]["display"], s["start"][:10]), []).append(s)
hub111 = by[("U89141", "2026-12-07")]
hubpcn = by[("U89141", "2026-12-12")]
own = by[("A81001", "2026-12-07")]
far = by[("U25520", "2026-12-07")]

# search parameters
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=Organization/U89141&start=ge2026-12-07&start=le2026-12-07&status=free")
ids = sorted(int(e["resource"]["id"]) for e in json.loads(body)["entry"])
check("schedule.actor, start=ge/le and status=free select", ids == sorted(int(s["id"]) for s in hub111), ids)
st, body, _ = root.call("GET", "/fhir/Slot?start=xx2026")
errs = []
B.check_outcome(json.loads(body), errs)
check("a bad search: 400 and a valid OperationOutcome", st == 400 and not errs, (st, errs))

# what each user is offered: the slots they may book into or hold
def offered(user):
    s = B.Session(url, user)
    st, body, _ = s.call("GET", "/fhir/Slot")
    return s, sorted(int(e["resource"]["id"]) for e in json.loads(body)["entry"])
one, got = offered("one")
w = sorted(int(s["id"]) for s in slots if s["comment"].endswith("by 111") and icb_of[s["schedule"]["display"]] == "QHM")
check("111 (QHM) is offered the QHM slots open to 111 only", got == w, (len(got), len(w)))

# --- booking
nhs = B.nhs_number
st, body = B.book(one, hub111[0]["id"], nhs(1), "A81001", "k-1")
a = json.loads(body)
errs = []
B.check_appointment(a, errs)
check("111 books a QHM hub slot: 201, a valid R4 Appointment", st == 201 and not errs, (st, errs, body[:200]))
check("the appointment is in the slot, at its time",
      a.get("slot") == [{"reference": f"Slot/{hub111[0]['id']}"}] and a.get("start") == hub111[0]["start"])
st2, body2 = B.book(one, hub111[0]["id"], nhs(1), "A81001", "k-1")
check("idempotency: the same key again returns the same appointment", st2 == 201 and json.loads(body2)["id"] == a["id"], (st2, body2[:100]))
st3, body3 = B.book(one, hub111[1]["id"], nhs(1), "A81001", "k-1")
check("the same key with another request: 400", st3 == 400, st3)
st4, body4 = B.book(one, hub111[0]["id"], nhs(2), "A81002", "k-2")
o = json.loads(body4)
errs = []
B.check_outcome(o, errs)
check("the slot taken: 409 with an OperationOutcome 'conflict'",
      st4 == 409 and not errs and o["issue"][0]["code"] == "conflict", (st4, body4[:200]))
st5, body5 = B.book(one, hub111[0]["id"], nhs(2), "A81002", "k-2")
check("a retried refused request gets the first answer (409)", st5 == 409, st5)
st, body = B.book(one, hub111[2]["id"], "9000000001", "A81001", "k-bad")
check("a wrong NHS number check digit: 400", st == 400 and "NHS number" in body, (st, body[:150]))

# --- the scope matrix: each user x slot kind x patient's practice
users = {"root": ("admin", "ENG"), "hub": ("hub", "U89141"), "one": ("nhs111", "QHM"),
         "far": ("nhs111", "QE1"), "prue": ("practice", "A81001"), "mo": ("practice", "A81017"),
         "pat": ("practice", "A81002"), "cara": ("commissioner", "16C")}
def within(org, scope):
    return org == scope or pcn_of.get(org) == scope or icb_of.get(org) == scope or scope == "ENG"
def may(user, org, bookable, practice):
    role, scope = users[user]
    wide = bookable in ("pcn", "111")
    if role == "admin":
        return True
    if role == "nhs111":
        return bookable == "111" and within(org, scope)
    if role == "practice":
        return practice == scope and (org == scope or (wide and pcn_of[practice] == org))
    if role == "hub":
        return within(org, scope) and within(practice, scope)
    return False
kinds = {"hub-111": hub111, "hub-pcn": hubpcn, "practice": own, "other-icb": far}
free = {k: [s["id"] for s in v[3:]] for k, v in kinds.items()}
sessions_by = {u: B.Session(url, u) for u in users}
n = bad = 0
for u in users:
    for kind in kinds:
        for practice in ("A81001", "A81017", "A81002", "A82003"):
            slot = free[kind][0]  # given back after each booking
            org = {"hub-111": "U89141", "hub-pcn": "U89141", "practice": "A81001", "other-icb": "U25520"}[kind]
            bookable = {"hub-111": "111", "hub-pcn": "pcn", "practice": "practice", "other-icb": "111"}[kind]
            st, body = B.book(sessions_by[u], slot, nhs(100 + n), practice, f"m-{n}")
            w = 201 if may(u, org, bookable, practice) else 403
            if u == "cara":
                w = 403
            n += 1
            if st != w:
                bad += 1
                out.append(f"#   {u} {kind} {practice}: got {st}, want {w}: {body[:120]}")
            if st == 201:  # give the slot back for the next
                aid = json.loads(body)["id"]
                sessions_by["root"].call("PATCH", f"/fhir/Appointment/{aid}",
                                         [{"op": "replace", "path": "/status", "value": "cancelled"}])
check(f"scope matrix: {n} bookings each 201 or 403 as the rule says", bad == 0, bad)

# --- cancel, attended, did not attend
prue = sessions_by["prue"]
st, body = B.book(prue, own[0]["id"], nhs(500), "A81001", "p-1")
pa = json.loads(body)["id"]
patch = lambda s, i, v: s.call("PATCH", f"/fhir/Appointment/{i}", [{"op": "replace", "path": "/status", "value": v}])
st, body, _ = patch(sessions_by["one"], pa, "cancelled")
check("111 cannot cancel an appointment it did not book: 403", st == 403, st)
st, body, _ = patch(prue, pa, "cancelled")
check("the practice cancels its patient's appointment: 200, cancelled",
      st == 200 and json.loads(body)["status"] == "cancelled", (st, body[:100]))
st, body, _ = root.call("GET", f"/fhir/Slot?schedule.actor=A81001&status=free")
check("a cancelled appointment frees its slot", own[0]["id"] in [e["resource"]["id"] for e in json.loads(body)["entry"]])
st, body, _ = patch(prue, pa, "fulfilled")
check("a cancelled appointment cannot be attended: 409", st == 409, st)
st, body = B.book(prue, own[0]["id"], nhs(501), "A81001", "p-2")
check("the freed slot can be booked again", st == 201, st)
pb = json.loads(body)["id"]
hub = sessions_by["hub"]
st, body = B.book(hub, hubpcn[0]["id"], nhs(502), "A81017", "h-1")
hb = json.loads(body)["id"]
st, body, _ = patch(hub, hb, "fulfilled")
check("the hub marks an appointment attended (fulfilled)", st == 200 and json.loads(body)["status"] == "fulfilled", (st, body[:80]))
st, body = B.book(hub, hubpcn[1]["id"], nhs(503), "A81001", "h-2")
hc = json.loads(body)["id"]
st, body, _ = patch(hub, hc, "noshow")
check("the hub marks one did not attend (noshow)", st == 200 and json.loads(body)["status"] == "noshow", st)
st, body, _ = patch(hub, hc, "sideways")
errs = []
B.check_outcome(json.loads(body), errs)
check("a status not allowed: 400 OperationOutcome", st == 400 and not errs, st)

# --- reading appointments: patient-level, scoped and audited
st, body, _ = prue.call("GET", "/fhir/Appointment")
b = json.loads(body)
errs = []
B.check_bundle(b, errs, B.check_appointment)
def seen_ok(r):
    gp = r["contained"][0]["generalPractitioner"][0]["identifier"]["value"]
    return gp == "A81001" or r["participant"][1]["actor"]["reference"] == "Organization/A81001"
mine = [e for e in b["entry"] if seen_ok(e["resource"])]
db0 = storedb.connect(store)
want_n = db0.execute("SELECT count(*) FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.practice = 'A81001' OR s.org = 'A81001'").fetchone()[0]
check("GET /fhir/Appointment: valid Bundle; the practice sees its patients' and its own slots' only",
      st == 200 and not errs and len(mine) == len(b["entry"]) == want_n, (errs[:2], len(mine), len(b["entry"]), want_n))
st, body, _ = sessions_by["pat"].call("GET", f"/fhir/Appointment/{pb}")
check("another practice cannot read the appointment: 403", st == 403, st)
st, body, _ = sessions_by["cara"].call("GET", "/fhir/Appointment")
check("a commissioner sees no appointments (patient-level)", json.loads(body)["total"] == 0, body[:80])

# --- a hub administrator manages its sessions (the register API)
st, body, _ = hub.call("GET", "/api/registers/access_sessions")
v = json.loads(body)["version"]
row = {"session_org_code": "U89141", "site": "Stockton hub", "service": "Enhanced access",
       "session_date": "2026-12-19", "start_time": "09:00", "end_time": "10:00",
       "staff_role": "nurse", "slot_minutes": 20, "bookable_by": "pcn"}
st, body, _ = hub.call("POST", "/api/registers/access_sessions", {"values": row, "version": v})
check("the hub adds a session to its register: 201", st == 201, (st, body[:200]))
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141&start=ge2026-12-19&start=le2026-12-19")
check("... and its 3 slots are there at once", json.loads(body)["total"] == 3, body[:200])
row["session_org_code"] = "U07032"
st, body, _ = hub.call("POST", "/api/registers/access_sessions", {"values": row, "version": v + 1})
check("the hub cannot add a session of another PCN: 403", st == 403, (st, body[:200]))
st, body, _ = hub.call("GET", "/api/registers/risks")
check("the hub reads no other register: 403", st == 403, (st, body[:100]))

# --- the store: no slot with two live appointments; busy = booked
db = storedb.connect(store)
two = db.execute("SELECT slot_id FROM appointments WHERE status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1").fetchall()
check("store: no slot holds two appointments", not two, two)
mism = db.execute("SELECT count(*) FROM slots s WHERE (s.status = 'busy') <> EXISTS (SELECT 1 FROM appointments a WHERE a.slot_id = s.id AND a.status <> 'cancelled')").fetchone()[0]
check("store: a slot is busy exactly when it holds an appointment", mism == 0, mism)
print("\n".join(out))
PY
kill "$pid"
wait "$pid" 2>/dev/null
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '%s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"

# The audit log: bookings, refusals (taken slots) and denials (scope).
run_pccs --store "$S" audit --format csv
check_match "audit: bookings" "$out" ',one,booked,slot '
check_match "audit: a refused booking (slot taken)" "$out" ',one,booking refused,slot '
check_match "audit: a denied booking (outside the scope)" "$out" 'booking denied,booking a patient of A82003'
check_match "audit: cancellations" "$out" ',prue,appointment,appointment [0-9]+ to cancelled'
check_match "audit: reads of appointments" "$out" ',prue,appointments read,'
done_testing
