#!/bin/sh
# Enhanced access as SPC (issue 19): the weekly minutes a PCN's hub
# offered (slots of its sessions) and delivered (attended appointments)
# as the metrics enhanced_access_offered_minutes and
# enhanced_access_delivered_minutes: `pccs spc --metric` equals python's
# weekly sums over the test's sessions file and appointments file fed
# through `pccs spc --input --floor 0` (the metrics cannot be negative);
# GET /api/spc lists them (weekly points) and
# serves the same run. Sessions and appointments are synthetic, made
# here: fourteen weeks of hub evenings and Saturdays of Stockton PCN
# (U89141), a practice's own session and another PCN's hub (neither
# counted), appointments booked over the API then attended, missed or
# cancelled as the appointments file says.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY'
import random, sys
from datetime import date, timedelta
import spc
t = sys.argv[1]
rnd = random.Random(19)
rows = []
monday = date(2026, 9, 7)
for w in range(14):
    d = monday + timedelta(weeks=w)
    for day, start, hours, slot in ((1, "18:30", 1.5, 15), (5, "09:00", rnd.choice([2, 3, 4]), 20)):
        h, m = map(int, start.split(":"))
        end = h * 60 + m + int(hours * 60)
        rows.append(("U89141", "Stockton hub", (d + timedelta(days=day)).isoformat(), start,
                     f"{end // 60:02d}:{end % 60:02d}", "GP", slot, "pcn"))
rows.append(("A81001", "The Densham Surgery", "2026-09-08", "08:00", "10:00", "GP", 10, "practice"))
rows.append(("U25520", "Other hub", "2026-09-08", "18:00", "20:00", "GP", 15, "111"))
spc.write_sessions(f"{t}/sessions.csv", rows)
# The appointments: which slot (org, local start) ends how.
with open(f"{t}/appointments.csv", "w") as f:
    f.write("org,start,outcome\n")
    for org, site, day, start, end, role, slot, by in rows:
        a = int(start[:2]) * 60 + int(start[3:])
        b = int(end[:2]) * 60 + int(end[3:])
        while a + slot <= b:
            o = rnd.choice(["free", "fulfilled", "fulfilled", "fulfilled", "noshow", "cancelled", "booked"])
            if o != "free":
                f.write(f"{org},{day}T{a // 60:02d}:{a % 60:02d}:00,{o}\n")
            a += slot
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
printf 'a long enough passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" <<'PY' >"$T/booked"
import csv, json, sys
import booking as B
url, t = sys.argv[1:3]
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/fhir/Slot")
slot = {(s["schedule"]["display"], s["start"][:19]): s["id"] for s in (e["resource"] for e in json.loads(body)["entry"])}
bad = 0
for i, r in enumerate(csv.DictReader(open(f"{t}/appointments.csv"))):
    st, body = B.book(root, slot[(r["org"], r["start"])], B.nhs_number(i), "A81001", f"k{i}")
    if st != 201:
        bad += 1
        continue
    if r["outcome"] != "booked":
        st, body, _ = root.call("PATCH", f"/fhir/Appointment/{json.loads(body)['id']}",
                                [{"op": "replace", "path": "/status", "value": r["outcome"]}])
        bad += st != 200
print(bad)
PY
check_eq "the appointments file booked and closed over the API" "$(cat "$T/booked")" 0

# Python's weekly minutes (weeks from Monday) of U89141's hub (spc.py).
cat >"$T/weekly.py" <<'PY'
import sys
import spc
t, what = sys.argv[1:3]
pts = spc.weekly_minutes(f"{t}/sessions.csv", "U89141", what, f"{t}/appointments.csv")
print("date,value")
for d, v in pts.items():
    print(f"{d},{v}")
PY
r6() { awk -F, 'NR > 1 { printf "%s,%.6f,%.6f,%.6f,%.6f,%s\n", $1, $2, $3, $4, $5, $6 }'; }
for what in offered delivered; do
    PYTHONPATH=$ROOT/tests/integration python3 "$T/weekly.py" "$T" $what >"$T/py-$what.csv"
    run_pccs spc --input "$T/py-$what.csv" --improvement increase --floor 0 --format csv
    want=$(printf '%s\n' "$out" | r6)
    run_pccs --store "$S" spc --metric enhanced_access_${what}_minutes --in U89141 --format csv
    check_eq "spc --metric enhanced_access_${what}_minutes: exit 0" "$status" 0
    check_eq "... = python's weekly $what minutes through spc --input" \
        "$(printf '%s\n' "$out" | r6)" "$want"
    check_eq "... 14 weekly points" "$(printf '%s\n' "$want" | wc -l | tr -d ' ')" 14
done
run_pccs --store "$S" spc --metric enhanced_access_delivered_minutes --in U89141
check_match "the run names its series and sources (access_sessions)" "$(printf "%s\n" "$out" | tr "\n" " ")" "series: enhanced_access_delivered_minutes for U89141 .*access_sessions"
if printf '%s\n' "$out" | grep -q "^target:"; then
    not_ok "no target without the PCN's adjusted population"
else
    ok "no target without the PCN's adjusted population"
fi
run_pccs --store "$S" spc --metric enhanced_access_delivered_minutes --in A81001
check_eq "a practice's own sessions are no enhanced access: exit 1" "$status" 1
run_pccs spc --list
check_match "pccs spc --list names both" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
    "enhanced_access_delivered_minutes .*enhanced_access_offered_minutes"

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$PCCS" "$S" <<'PY' >"$T/res"
import json, subprocess, sys
import booking as B
url, pccs, store = sys.argv[1:4]
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/api/spc")
m = {x["name"]: x for x in json.loads(body)}
ok = all(m.get(n, {}).get("points") == "week" and m[n]["improvement"] == "increase"
         for n in ("enhanced_access_delivered_minutes", "enhanced_access_offered_minutes"))
print(f"{'ok' if ok else 'FAIL'}\tGET /api/spc lists both, weekly points, improvement increase")
for n in ("enhanced_access_delivered_minutes", "enhanced_access_offered_minutes"):
    st, body, _ = root.call("GET", f"/api/spc/{n}/U89141")
    cli = json.loads(subprocess.run([pccs, "--store", store, "spc", "--metric", n, "--in", "U89141",
                                     "--format", "json"], capture_output=True, text=True).stdout)
    same = st == 200 and json.loads(body)["rows"] == cli["rows"]
    print(f"{'ok' if same else 'FAIL'}\tGET /api/spc/{n}/U89141 = pccs spc --metric")
PY
kill "$pid"
wait "$pid" 2>/dev/null
while IFS='	' read -r res name; do
    case $res in
    ok) ok "$name" ;;
    *) not_ok "$name" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
