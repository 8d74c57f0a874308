#!/bin/sh
# Enhanced access follow-ups: a week with no hub session between a PCN's
# first week and its last (of a financial year) is a point at 0 minutes
# in `pccs spc --metric` (the enhanced-access table has its row of 0), as
# the committee paper counts it, so the chart and the paper agree; and
# `pccs spc --metric` keeps the metric's own target (the required minutes
# of the last week) unless --target is given. Python computes the weekly
# minutes (zero weeks included), the XmR chart and the assurance
# (spc.py); sessions are synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load the map and payments (adjusted populations)" "$status" 0
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY'
import sys
from datetime import date, timedelta
import spc
# Ten weeks of Stockton PCN (U89141) Tuesday evenings; weeks 2, 5 and 6
# have none (points at 0, not left out).
rows = []
for w, end in enumerate(["19:00", "20:00", None, "19:30", "20:00", None, None,
                         "19:00", "20:00", "19:30"]):
    if end:
        d = (date(2026, 10, 6) + timedelta(weeks=w)).isoformat()
        rows.append(("U89141", "Hub", d, "18:30", end, "GP", 15, "pcn"))
spc.write_sessions(f"{sys.argv[1]}/sessions.csv", rows)
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0

r5() { awk -F, 'NR > 1 { printf "%s,%.6f,%.6f,%.6f,%.6f\n", $1, $2, $3, $4, $5 }'; }
want=$(PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 -c '
import sys, spc
pts = spc.weekly_minutes(sys.argv[1] + "/sessions.csv", "U89141")
print("\n".join(spc.chart_rows(pts, floor=0)))' "$T")
run_pccs --store "$S" spc --metric enhanced_access_offered_minutes --in U89141 --format csv
check_eq "spc --metric: ten weekly points, the three empty weeks at 0 (= python)" \
    "$(printf '%s\n' "$out" | r5)" "$want"
run_pccs --store "$S" table enhanced-access --level pcn --in U89141 --format csv
printf '%s\n' "$out" >"$T/ea.csv"
check_eq "the enhanced-access table: a row of 0 minutes for each empty week" \
    "$(awk -F, '$6 == 0 { print $4 }' "$T/ea.csv" | tr '\n' ' ')" \
    "2026-10-19 2026-11-09 2026-11-16 "
run_pccs --store "$S" table enhanced-access --level pcn --in U89141
check_match "... its notes say what a week of 0 is" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
    "week with no session between a PCN's first week and its last of a financial year is a row of 0"

# The metric's own target: the last week's required minutes.
run_pccs --store "$S" spc --metric enhanced_access_offered_minutes --in U89141
printf '%s\n' "$out" >"$T/spc.txt"
got=$(PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY'
import csv, re, sys
import spc
t = sys.argv[1]
rows = list(csv.DictReader(open(f"{t}/ea.csv")))
req = float(rows[-1]["required_minutes"])
pts = spc.weekly_minutes(f"{t}/sessions.csv", "U89141")
mean, lpl, upl = spc.xmr(list(pts.values()), floor=0)
text = open(f"{t}/spc.txt").read()
tg = re.search(r"^target: (\S+)", text, re.M)
asr = re.search(r"^assurance: (\S+)", text, re.M)
print("target=" + ("ok" if tg and tg.group(1) == f"{req:.0f}" else str(tg and tg.group(1))),
      "assurance=" + ("ok" if asr and asr.group(1) == spc.assurance(req, lpl, upl)
                      else str(asr and asr.group(1))))
# --target 40 in place of it
print(spc.assurance(40, lpl, upl))
PY
)
check_eq "spc --metric keeps the metric's target (required minutes) and its assurance (= python)" \
    "$(printf '%s\n' "$got" | head -1)" "target=ok assurance=ok"
run_pccs --store "$S" spc --metric enhanced_access_offered_minutes --in U89141 --target 40
check_match "... --target 40 in its place (= python's assurance)" \
    "$(printf '%s\n' "$out" | grep '^assurance:')" "^assurance: $(printf '%s\n' "$got" | tail -1)\$"
check_match "... and the note says it was given" "$(printf '%s\n' "$out" | grep '^target:')" \
    '^target: 40 [(]given[)]$'
done_testing
