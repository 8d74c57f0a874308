#!/bin/sh
# The patient's practice from the patient records (issue 19): with no
# patient-level data loaded a booking uses the practice the request names
# and says so (an OperationOutcome issue of severity information, asked
# for with Prefer: return=OperationOutcome); once patients and their
# registrations are loaded (issue 18's tables), the practice is the one
# the patient is registered with on the slot's day, whatever the request
# claims. The scope matrix: each user x slot kind x patient, every
# request claiming the booking user's own practice (a practice user) or a
# wrong one (the others), expected 201 or 403 by the rule written out
# below against the published map and the registration file (python);
# refusals are OperationOutcomes and audited, and the store keeps the
# registered practice. The patient records are synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
cat >"$T/sessions.csv" <<'CSV'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:00,22:00,GP,5,111
U89141,Stockton hub,Enhanced access,2026-12-12,09:00,13:00,nurse,5,pcn
A81001,The Densham Surgery,General practice,2026-12-07,08:00,12:00,GP,5,practice
U25520,Other ICB hub,Enhanced access,2026-12-07,18:00,22:00,GP,5,111
CSV
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
for u in "root admin ENG" "hub hub U89141" "one nhs111 QHM" \
    "far nhs111 QE1" "prue practice A81001" "mo practice A81017" \
    "pat practice A81002" "cara commissioner 16C"; do
    set -- $u
    printf 'a long enough passphrase\n' |
        "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
# The patients (synthetic): identifiers are NHS numbers; P4 moves from
# A81001 to A81017 on 10 December 2026; A81005 has no records at all.
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY'
import sys
import booking as B
t = sys.argv[1]
regs = [(1, "A81001", "2019-04-01", ""), (2, "A81017", "2020-01-01", ""),
        (3, "A81002", "2021-06-01", ""), (4, "A81001", "2018-01-01", "2026-12-09"),
        (4, "A81017", "2026-12-10", ""), (5, "A82003", "2022-02-02", "")]
with open(f"{t}/patients.csv", "w") as f:
    f.write("patient_id,date_of_birth,sex,date_of_death,pccs_provenance\n")
    for i in range(1, 6):
        f.write(f"{B.nhs_number(700 + 10 * i)},1970-01-0{i},F,,synthetic\n")
with open(f"{t}/registrations.csv", "w") as f:
    f.write("patient_id,practice_code,start_date,end_date,pccs_provenance\n")
    for p, prac, a, b in regs:
        f.write(f"{B.nhs_number(700 + 10 * p)},{prac},{a},{b},synthetic\n")
PY

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

# --- No patient records: today's behaviour, and the answer says so.
serve
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" <<'PY' >"$T/res1"
import json, sys
import booking as B
url = sys.argv[1]
out = []
def check(name, ok, detail=""):
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t" + str(detail).replace("\n", " ")[:300])
prue = B.Session(url, "prue")
st, body, _ = prue.call("GET", "/fhir/Slot?schedule.actor=A81001&status=free")
slot = json.loads(body)["entry"][0]["resource"]["id"]
st, body, _ = prue.call("POST", "/fhir/Appointment", B.appointment(slot, B.nhs_number(1), "A81001"),
                        {"Idempotency-Key": "n-1", "Prefer": "return=OperationOutcome"})
o = json.loads(body)
errs = []
B.check_outcome(o, errs)
info = [i for i in o.get("issue", []) if i["severity"] == "information"]
check("no patient records: 201, an OperationOutcome (Prefer: return=OperationOutcome), valid R4",
      st == 201 and not errs, (st, errs, body[:200]))
check("... with an information issue saying no patient-level data is loaded",
      any("no patient-level data" in i["diagnostics"] for i in info), body[:300])
st, body = B.book(prue, slot, B.nhs_number(1), "A81001", "n-1")
a = json.loads(body)
check("the same key without Prefer: the appointment (today's answer)",
      st == 201 and a["resourceType"] == "Appointment" and
      a["contained"][0]["generalPractitioner"][0]["identifier"]["value"] == "A81001", body[:200])
print("\n".join(out))
PY
stop

run_pccs --store "$S" load "$T/patients.csv" "$T/registrations.csv"
check_eq "load the synthetic patient records" "$status" 0
serve
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" "$MAP" "$S" >"$T/res2" <<'PY'
import csv, json, sys
import storedb
import booking as B
url, t, mapfile, store = sys.argv[1:5]
out = []
def check(name, ok, detail=""):
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t" + str(detail).replace("\n", " ")[:300])
pcn_of, icb_of = {}, {}
for r in csv.DictReader(open(mapfile)):
    pcn_of[r["PRACTICE_CODE"]] = r["PCN_CODE"]
    icb_of[r["PRACTICE_CODE"]] = icb_of[r["PCN_CODE"]] = r["ICB_CODE"]
regs = list(csv.DictReader(open(f"{t}/registrations.csv")))
def registered(nhs, day):
    for r in regs:
        if r["patient_id"] == nhs and r["start_date"] <= day and (not r["end_date"] or day <= r["end_date"]):
            return r["practice_code"]
    return None
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
ss = {u: B.Session(url, u) for u in users}
root = ss["root"]
st, body, _ = root.call("GET", "/fhir/Slot?status=free")
free = {}
for e in json.loads(body)["entry"]:
    s = e["resource"]
    free.setdefault((s["schedule"]["display"], s["start"][:10]), []).append(s["id"])
kinds = {"hub-111": ("U89141", "2026-12-07", "111"), "hub-pcn": ("U89141", "2026-12-12", "pcn"),
         "practice": ("A81001", "2026-12-07", "practice"), "other-icb": ("U25520", "2026-12-07", "111")}
patients = {p: B.nhs_number(700 + 10 * p) for p in range(1, 6)}
n = bad = 0
audit_want = 0
db = storedb.connect(store)
for u in users:
    for kind, (org, day, bookable) in kinds.items():
        for p, nhs in patients.items():
            slot = free[(org, day)].pop()
            true = registered(nhs, day)
            claim = users[u][1] if users[u][0] == "practice" else ("A81002" if true != "A81002" else "A81001")
            st, body = B.book(ss[u], slot, nhs, claim, f"m-{n}")
            w = 201 if may(u, org, bookable, true) and u != "cara" else 403
            n += 1
            if st != w:
                bad += 1
                out.append(f"#   {u} {kind} P{p} (registered {true}, claims {claim}): got {st}, want {w}: {body[:160]}")
            elif st == 201:
                aid = json.loads(body)["id"]
                kept = db.execute("SELECT practice FROM appointments WHERE id = ?", (int(aid),)).fetchone()[0]
                if kept != true:
                    bad += 1
                    out.append(f"#   {u} {kind} P{p}: stored practice {kept}, registered {true}")
            else:
                errs = []
                B.check_outcome(json.loads(body), errs)
                if errs:
                    bad += 1
                    out.append(f"#   {u} {kind} P{p}: 403 not an OperationOutcome: {errs}")
check(f"scope matrix with patient records: {n} bookings, each 201 or 403 by the registered practice (python)",
      bad == 0, bad)
# The lie that matters: a practice books another practice's patient
# claiming its own practice.
mo = ss["mo"]
slot = free[("U89141", "2026-12-12")].pop()
st, body = B.book(mo, slot, patients[1], "A81017", "lie-1")
o = json.loads(body)
check("mo (A81017) booking A81001's patient while claiming A81017: 403 OperationOutcome forbidden",
      st == 403 and o["resourceType"] == "OperationOutcome" and o["issue"][0]["code"] == "forbidden", body[:200])
# P4 is A81017's on 12 December (moved on the 10th): mo may book him then.
slot = free[("U89141", "2026-12-12")].pop()
st, body = B.book(mo, slot, patients[4], "A81017", "move-1")
check("a patient who moved practice: registered practice of the slot's day (A81017 on 12 Dec)", st == 201, body[:200])
# A patient not in the records: the request's practice, and said so.
slot = free[("U89141", "2026-12-12")].pop()
st, body, _ = root.call("POST", "/fhir/Appointment", B.appointment(slot, B.nhs_number(998), "A81005"),
                        {"Idempotency-Key": "unknown-2", "Prefer": "return=OperationOutcome"})
check("a patient the records do not hold: 201, information naming the practice used",
      st == 201 and "no registration" in body and "A81005" in body, body[:300])
slot = free[("U89141", "2026-12-12")].pop()
st, body, _ = root.call("POST", "/fhir/Appointment", B.appointment(slot, patients[3], "A81001"),
                        {"Idempotency-Key": "fix-1", "Prefer": "return=OperationOutcome"})
check("a wrong claim corrected from the records: information naming both practices",
      st == 201 and "registered with A81002" in body and "not A81001" in body, body[:300])
print("\n".join(out))
PY
stop
cat "$T/res1" "$T/res2" >"$T/res"
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '%s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res2" ] || not_ok "the python checks ran"
run_pccs --store "$S" audit --format csv
check_match "audit: a practice booking another practice's patient is denied" "$out" ',mo,booking denied,booking a patient of A81001'
done_testing
