#!/bin/sh
# SPC lower limits floored at zero (issues 17-19 follow-up): enhanced
# access minutes cannot be negative, so the metric says so
# (metrics.c floor_zero, with the reason) and its lower process limit is
# shown at 0 where the XmR limit would fall below it, in `pccs spc
# --metric` (CSV and the note giving the reason) and GET /api/spc; the
# upper limit, the mean and the point types are unchanged. Python
# computes the XmR chart (mean, moving ranges screened at 3.267 x their
# mean, limits at 2.66 x) of the weekly offered minutes from the sessions
# file itself (a point per week from the PCN's first week with a hub
# session to its last, 0 for a week without, as the enhanced-access
# table gives them); weeks of 1 to 4 hours put the
# unfloored limit below zero. `spc --input --floor 0` floors a file's series
# alike; without --floor a file's limits are as computed. Sessions are
# synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv"
check_eq "load the map" "$status" 0
/usr/bin/python3 - "$T" <<'PY'
import sys
from datetime import date, timedelta
t = sys.argv[1]
# Sixteen weeks of Stockton PCN (U89141) hub Saturdays, 1 to 4 hours of
# 15-minute slots; weeks 5, 9 and 13 have none (a point at 0).
hours = [3, 2, 4, 1, 0, 3, 2, 4, 0, 1, 3, 2, 0, 4, 2, 3]
with open(f"{t}/sessions.csv", "w") as f:
    f.write("session_org_code,site,service,session_date,start_time,end_time,"
            "staff_role,slot_minutes,bookable_by\n")
    monday = date(2026, 9, 7)
    for w, h in enumerate(hours):
        day = (monday + timedelta(weeks=w, days=5)).isoformat()
        if h:
            f.write(f"U89141,Stockton hub,Enhanced access,{day},09:00,"
                    f"{9 + h:02d}:00,GP,15,pcn\n")
        elif w == 4:
            # Another PCN's hub that week: not Stockton's minutes.
            f.write(f"U25520,Other hub,Enhanced access,{day},09:00,11:00,GP,"
                    f"15,pcn\n")
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0

# Python's chart from the sessions file (spc.py): weekly minutes
# (Monday weeks, a week without a session 0), XmR limits, the lower
# floored at 0 ("floor") or as computed ("raw").
cat >"$T/xmr.py" <<'PY'
import sys
import spc
t, floor = sys.argv[1], sys.argv[2] == "floor"
pts = spc.weekly_minutes(f"{t}/sessions.csv", "U89141")
if sys.argv[3] == "raw":
    print(f"{spc.xmr(list(pts.values()))[1]:.6f}")
    sys.exit()
print("\n".join(spc.chart_rows(pts, floor=0 if floor else None)))
PY
export PYTHONPATH=$ROOT/tests/integration
r5() { awk -F, 'NR > 1 { printf "%s,%.6f,%.6f,%.6f,%.6f\n", $1, $2, $3, $4, $5 }'; }
raw=$(python3 "$T/xmr.py" "$T" raw raw)
check_match "python: the unfloored lower limit is below zero ($raw)" "$raw" "^-"
want=$(python3 "$T/xmr.py" "$T" floor rows)
run_pccs --store "$S" spc --metric enhanced_access_offered_minutes --in U89141 --format csv
check_eq "spc --metric: exit 0" "$status" 0
check_eq "... = python's chart, lower limit floored at 0" "$(printf '%s\n' "$out" | r5)" "$want"
check_eq "... every point common cause (the floor changes no rule)" \
    "$(printf '%s\n' "$out" | tr -d '\r' | awk -F, 'NR > 1 { print $6 }' | sort -u)" common_cause
run_pccs --store "$S" spc --metric enhanced_access_offered_minutes --in U89141
check_match "... the text names the floor and why" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
    "lower limits floored at 0: minutes of slots or appointments cannot be negative"

# A file's series: as computed, or floored with --floor 0.
python3 "$T/xmr.py" "$T" raw rows | awk -F, 'BEGIN { print "date,value" } { print $1 "," $2 }' >"$T/file.csv"
run_pccs spc --input "$T/file.csv" --format csv
check_eq "spc --input without --floor: python's unfloored limits" "$(printf '%s\n' "$out" | r5)" \
    "$(python3 "$T/xmr.py" "$T" raw rows)"
run_pccs spc --input "$T/file.csv" --floor 0 --format csv
check_eq "spc --input --floor 0: python's floored limits" "$(printf '%s\n' "$out" | r5)" "$want"
run_pccs spc --input "$T/file.csv" --floor none
check_eq "--floor takes a number (exit 2)" "$status" 2

# The API gives the floored run, as the PCN page and the paper show it.
printf 'a long enough passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
/usr/bin/python3 - "$PCCS" "$S" "$T" <<'PY' >"$T/res"
import json, sys
import booking as B
import spc
pccs, store, t = sys.argv[1:4]
p, url = spc.serve(pccs, store, f"{t}/log")
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/api/spc/enhanced_access_offered_minutes/U89141")
spc.stop(p)
rows = json.loads(body)["rows"] if st == 200 else []
want = [l.split(",") for l in spc.chart_rows(
    spc.weekly_minutes(f"{t}/sessions.csv", "U89141"), floor=0)]
same = len(rows) == len(want) == 16 and all(
    r["date"] == w[0] and abs(r["value"] - float(w[1])) < 1e-6 and abs(r["mean"] - float(w[2])) < 1e-6
    and abs(r["lpl"] - float(w[3])) < 1e-6 and abs(r["upl"] - float(w[4])) < 1e-6
    for r, w in zip(rows, want))
spc.check("GET /api/spc: python's chart, lower limit 0, 16 weekly points", same, len(rows))
PY
while IFS='	' read -r res name; do
    case $res in
    ok) ok "$name" ;;
    *) not_ok "$name" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
