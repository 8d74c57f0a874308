#!/bin/sh
# Removed and shortened sessions (issue 19): when a new version of the
# access_sessions register (a file loaded again, or an edit over the
# register API) drops or shortens a session, its free slots are withdrawn
# (FHIR Slot status entered-in-error, no longer offered as free, refused
# with 409 when booked), its booked slots keep their appointments, which
# are flagged for the hub to rebook (GET /fhir/Appointment?rebook=true,
# Appointment.comment); slots still offered keep their ids and bookings,
# and the enhanced-access table no longer counts the withdrawn minutes.
# Every expectation is computed by python from the two register files.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
# Version 1 (synthetic, made here): three hub sessions of Stockton PCN.
cat >"$T/v1.csv" <<'CSV'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
U89141,Stockton hub,Enhanced access,2026-12-12,09:00,11:00,nurse,20,pcn
U89141,Stockton hub,Enhanced access,2026-12-14,18:00,19:00,GP,30,pcn
CSV
# Version 2: the first unchanged, the second shortened to 10:00, the third
# removed, and a new one.
cat >"$T/v2.csv" <<'CSV'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
U89141,Stockton hub,Enhanced access,2026-12-12,09:00,10:00,nurse,20,pcn
U89141,Stockton hub,Enhanced access,2026-12-15,18:00,19:00,GP,30,pcn
CSV
run_pccs --store "$S" load "$T/v1.csv"
check_eq "load version 1 of the sessions" "$status" 0
for u in "root admin ENG" "hub hub U89141"; do
    set -- $u
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done

serve() {
    : >"$T/out" # truncated here: the loop below must not see the last server's line
    "$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
    URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
}
stop() {
    kill "$pid"
    wait "$pid" 2>/dev/null
    : >"$T/out"
}

# Phase 1: book one slot in each session (python keeps their ids).
serve
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" <<'PY' >"$T/res1"
import json, sys
import booking as B
url, t = sys.argv[1:3]
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141")
slots = {s["start"][:16]: s["id"] for s in (e["resource"] for e in json.loads(body)["entry"])}
want = {"2026-12-07T18:45": "k1", "2026-12-12T10:40": "k2", "2026-12-14T18:00": "k3"}
booked = {}
for i, (start, key) in enumerate(sorted(want.items())):
    st, body = B.book(root, slots[start], B.nhs_number(10 + i), "A81001", key)
    booked[start] = json.loads(body)["id"] if st == 201 else None
json.dump({"slots": slots, "booked": booked}, open(f"{t}/phase1.json", "w"))
print("ok\tthree bookings made\t" if all(booked.values()) else f"FAIL\tthree bookings made\t{booked}")
PY
stop
run_pccs --store "$S" load "$T/v2.csv"
check_eq "load version 2 of the sessions" "$status" 0

serve
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" "$S" <<'PY' >"$T/res2"
import csv, json, sys
import storedb
import booking as B
url, t, store = sys.argv[1:4]
out = []
def check(name, ok, detail=""):
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t" + str(detail).replace("\n", " ")[:300])
def starts(path):
    r = set()
    for s in csv.DictReader(open(path)):
        h, m = map(int, s["start_time"].split(":")); a = h * 60 + m
        h, m = map(int, s["end_time"].split(":")); b = h * 60 + m
        n = int(s["slot_minutes"])
        while a + n <= b:
            r.add(f"{s['session_date']}T{a // 60:02d}:{a % 60:02d}")
            a += n
    return r
v1, v2 = starts(f"{t}/v1.csv"), starts(f"{t}/v2.csv")
p1 = json.load(open(f"{t}/phase1.json"))
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141")
bundle = json.loads(body)
errs = []
B.check_bundle(bundle, errs, B.check_slot)
check("GET /fhir/Slot after version 2: a valid R4 Bundle", st == 200 and not errs, errs[:3])
slots = [e["resource"] for e in bundle["entry"]]
live = {s["start"][:16] for s in slots if s["status"] != "entered-in-error"}
gone = {s["start"][:16] for s in slots if s["status"] == "entered-in-error"}
check("the slots offered are version 2's sessions cut by slot length (python)", live == v2,
      sorted(live ^ v2))
check("the slots of version 1 that version 2 no longer has are withdrawn (entered-in-error)",
      gone == v1 - v2, sorted(gone ^ (v1 - v2)))
ids = {s["start"][:16]: s["id"] for s in slots}
kept = {k: v for k, v in p1["slots"].items() if k in v2}
check("a slot still offered keeps its id", all(ids[k] == v for k, v in kept.items()),
      [k for k, v in kept.items() if ids.get(k) != v])
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141&status=free")
free = {e["resource"]["start"][:16] for e in json.loads(body)["entry"]}
check("status=free lists no withdrawn slot", not (free & gone) and free == v2 - {"2026-12-07T18:45"},
      sorted(free & gone))
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141&status=entered-in-error")
check("status=entered-in-error lists the withdrawn", {e["resource"]["start"][:16] for e in json.loads(body)["entry"]} == gone)

# The bookings: kept; those in withdrawn slots flagged to rebook.
rebook_want = {p1["booked"][k] for k in p1["booked"] if k not in v2}
st, body, _ = root.call("GET", "/fhir/Appointment?rebook=true")
b = json.loads(body)
errs = []
B.check_bundle(b, errs, B.check_appointment)
got = {e["resource"]["id"] for e in b["entry"]}
check("GET /fhir/Appointment?rebook=true: the bookings of withdrawn slots, valid R4",
      st == 200 and not errs and got == rebook_want, (errs[:2], sorted(got), sorted(rebook_want)))
check("... still booked, each with a comment saying to rebook",
      all(e["resource"]["status"] == "booked" and "rebook" in e["resource"].get("comment", "") for e in b["entry"]))
stay = p1["booked"]["2026-12-07T18:45"]
st, body, _ = root.call("GET", f"/fhir/Appointment/{stay}")
a = json.loads(body)
check("a booking in a slot still offered is untouched (booked, no comment, same slot)",
      a["status"] == "booked" and "comment" not in a and a["slot"][0]["reference"] == f"Slot/{p1['slots']['2026-12-07T18:45']}", body[:200])
moved = sorted(rebook_want)[0]
st, body, _ = root.call("GET", f"/fhir/Appointment/{moved}")
check("reading one flagged appointment shows the comment too", "rebook" in json.loads(body).get("comment", ""), body[:200])

# Booking a withdrawn free slot: 409 naming the withdrawal.
wfree = [s["id"] for s in slots if s["status"] == "entered-in-error"
         and s["start"][:16] not in p1["booked"]][0]
st, body = B.book(root, wfree, B.nhs_number(40), "A81001", "w-1")
o = json.loads(body)
errs = []
B.check_outcome(o, errs)
check("booking a withdrawn slot: 409 OperationOutcome saying it was withdrawn",
      st == 409 and not errs and "withdrawn" in o["issue"][0]["diagnostics"], (st, body[:200]))
# Cancelling a flagged appointment does not bring its slot back.
st, body, _ = root.call("PATCH", f"/fhir/Appointment/{moved}",
                        [{"op": "replace", "path": "/status", "value": "cancelled"}])
check("the hub cancels a flagged appointment: 200", st == 200, (st, body[:200]))
db = storedb.connect(store)
sid = db.execute("SELECT slot_id FROM appointments WHERE id = ?", (int(moved),)).fetchone()[0]
s_st = db.execute("SELECT status FROM slots WHERE id = ?", (sid,)).fetchone()[0]
check("... and its slot stays withdrawn, not free", s_st == "entered-in-error", s_st)
st, body, _ = root.call("GET", "/fhir/Appointment?rebook=true")
check("... and it leaves the rebook list", len(json.loads(body)["entry"]) == len(rebook_want) - 1, body[:200])

# The hub deletes a session over the register API: withdrawn at once.
hub = B.Session(url, "hub")
st, body, _ = hub.call("GET", "/api/registers/access_sessions")
reg = json.loads(body)
row = [r for r in reg["rows"] if r["values"]["session_date"] == "2026-12-15"][0]
st, body, _ = hub.call("DELETE", f"/api/registers/access_sessions/{row['key']}", {"version": reg["version"]})
check("the hub deletes its 15 December session: 200", st == 200, (st, body[:200]))
st, body, _ = root.call("GET", "/fhir/Slot?schedule.actor=U89141&start=ge2026-12-15&start=le2026-12-15")
ss = [e["resource"]["status"] for e in json.loads(body)["entry"]]
check("... and its two slots are withdrawn at once", ss == ["entered-in-error"] * 2, ss)

# The store: nothing is ever deleted; busy only with a live appointment.
n1 = db.execute("SELECT count(*) FROM slots").fetchone()[0]
check("store: every slot ever made is kept (version 1's and the new ones)",
      n1 == len(v1 | v2), (n1, len(v1 | v2)))
two = db.execute("SELECT slot_id FROM appointments WHERE status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1").fetchall()
check("store: no slot holds two appointments", not two, two)
print("\n".join(out))
PY
stop

# The enhanced-access table counts only the slots still offered, by week
# (python from the second version, less the session deleted over the API).
"$PCCS" --store "$S" table enhanced-access --in U89141 --format csv >"$T/ea.csv"
check_eq "table enhanced-access" "$?" 0
/usr/bin/python3 - "$T" <<'PY' >>"$T/res2"
import csv, sys
from datetime import date, timedelta
t = sys.argv[1]
want = {}
for s in csv.DictReader(open(f"{t}/v2.csv")):
    if s["session_date"] == "2026-12-15":
        continue
    h, m = map(int, s["start_time"].split(":")); a = h * 60 + m
    h, m = map(int, s["end_time"].split(":")); b = h * 60 + m
    n = int(s["slot_minutes"])
    d = date.fromisoformat(s["session_date"])
    w = (d - timedelta(days=d.weekday())).isoformat()
    want[w] = want.get(w, 0) + (b - a) // n * n
got = {r["week"]: float(r["offered_minutes"]) for r in csv.DictReader(open(f"{t}/ea.csv"))}
got = {k: v for k, v in got.items() if v}
ok = got == {k: float(v) for k, v in want.items()}
print(f"{'ok' if ok else 'FAIL'}\tenhanced-access offered minutes leave out withdrawn slots (python)\t{got} vs {want}")
PY
cat "$T/res1" "$T/res2" >"$T/res"
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '# %s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res2" ] || not_ok "the python checks ran"
done_testing
