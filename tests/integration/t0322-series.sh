#!/bin/sh
# Series over every loaded period as SPC metrics (issue 15, item 3):
# payments per weighted patient of an ICB over every payments year, PCN
# workforce FTE (all staff, and pharmacists) over every quarterly census,
# and list size over every registrations snapshot: `pccs spc --metric`
# equals python's series over the raw files fed through `pccs spc
# --input`; the metrics are listed by `pccs spc --list` and GET /api/spc,
# and the API serves the same run.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/nhs-payments-to-general-practice_*.csv \
    "$DATA"/pcn-workforce-individual-level_*.csv \
    "$DATA"/gp-reg-pat-prac-all_2021-01.csv "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2020-09.csv "$DATA"/gp-reg-pat-prac-map_2025-10.csv
check_eq "loaded: 7 payments years, 10 censuses, 2 snapshots, 2 maps" "$status" 0

# python: a practice is in the ICB of a year when the CCG (sub-ICB) its
# file names sits in that ICB in a practice map (as the tree places it).
cat >"$T/series.py" <<'PY'
import calendar, csv, glob, re, sys
what, code, data = sys.argv[1:4]
def rows(p, enc='utf-8-sig'):
    return list(csv.DictReader(open(p, newline='', encoding=enc)))
area = {}
for p in sorted(glob.glob(f'{data}/gp-reg-pat-prac-map_*.csv')):
    for r in rows(p):
        area[r.get('SUB_ICB_LOCATION_CODE') or r.get('CCG_CODE')] = \
            r.get('ICB_CODE') or r.get('STP_CODE')
pts = {}
if what == 'payments':
    for p in sorted(glob.glob(f'{data}/nhs-payments-to-general-practice_*.csv')):
        y = re.search(r'_(\d{4})-\d\d\.csv$', p).group(1)
        tot = w = 0.0
        for r in rows(p):
            if area.get(r['CCG Code']) == code:
                tot += float(r['Total NHS Payments to General Practice'])
                w += float(r['Number of Weighted Patients (Last Known Figure)'])
        pts[f'{y}-04-01'] = tot / w
elif what == 'list':
    for p in sorted(glob.glob(f'{data}/gp-reg-pat-prac-all_*.csv')):
        rs = rows(p)
        d = rs[0]['EXTRACT_DATE']
        if '-' not in d:
            d = {'01JAN2021': '2021-01-01'}[d]
        pts[d] = sum(int(r['NUMBER_OF_PATIENTS']) for r in rs
                     if area.get(r.get('SUB_ICB_LOCATION_CODE') or r.get('CCG_CODE')) == code)
else:
    col, role = what.split(':')
    for p in sorted(glob.glob(f'{data}/pcn-workforce-individual-level_*.csv')):
        tot, seen = 0.0, False
        for r in rows(p, 'cp1252'):
            y, m = int(r['CENSUS_YEAR']), int(r['CENSUS_MONTH'])
            if r[col] == code and role in ('', r['STAFF_ROLE']):
                tot += float(r['FTE'] or 0)
                seen = True
        if seen:
            pts[f'{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}'] = tot
print('date,value')
for d in sorted(pts):
    print(f'{d},{pts[d]!r}')
PY
# Rounded to 6 decimals: python's sums and pccs's may differ in the last
# binary digits.
r6() { awk -F, 'NR > 1 { printf "%s,%.6f,%.6f,%.6f,%.6f,%s\n", $1, $2, $3, $4, $5, $6 }'; }
same() { # NAME METRIC CODE PYTHON-WHAT IMPROVEMENT POINTS
    python3 "$T/series.py" "$4" "$3" "$DATA" >"$T/py.csv"
    run_pccs spc --input "$T/py.csv" --improvement "$5" --format csv
    want=$(printf '%s\n' "$out" | r6)
    run_pccs --store "$S" spc --metric "$2" --in "$3" --format csv
    check_eq "$1: exit 0" "$status" 0
    check_eq "$1 = python's series through spc --input" \
        "$(printf '%s\n' "$out" | r6)" "$want"
    check_eq "... $6 points" "$(printf '%s\n' "$want" | wc -l | tr -d ' ')" "$6"
}
same "payments per weighted patient, QHM, every year" \
    payments_per_weighted_patient QHM payments neutral 7
same "payments per weighted patient, QE1, every year" \
    payments_per_weighted_patient QE1 payments neutral 7
same "PCN workforce FTE, U89141, every census" \
    pcn_workforce_fte U89141 PCN_CODE: increase 9
same "PCN workforce FTE, ICB QHM, every census" \
    pcn_workforce_fte QHM ICB_CODE: increase 10
same "PCN pharmacists FTE, U89141, every census" \
    pcn_fte_pharmacists U89141 PCN_CODE:Pharmacists increase 9
same "list size, QHM, every snapshot" list_size QHM list neutral 2

run_pccs --store "$S" spc --metric pcn_workforce_fte --in U89141
check_match "the sources of every census under the chart" "$out" \
    "PCN workforce.*2020-06-30.*"
run_pccs spc --list
check_match "pccs spc --list names the new metrics" "$(printf '%s\n' "$out" | tr '\n' ' ')" \
    "payments_per_weighted_patient .*list_size .*pcn_workforce_fte .*pcn_fte_pharmacists"
run_pccs --store "$S" spc --metric pcn_workforce_fte --in NOPE
check_eq "unknown organisation: exit 1" "$status" 1

# The API: the metrics listed, the same run served.
printf 'an admin passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/srv" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q listening "$T/srv"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/srv")
HTTP=$ROOT/tests/integration/client.py
/usr/bin/python3 "$HTTP" "$URL" --login root 'an admin passphrase' --jar "$T/jar" >/dev/null 2>&1
got=$(/usr/bin/python3 "$HTTP" "$URL" /api/spc --jar "$T/jar" 2>/dev/null | python3 -c '
import json, sys
print(" ".join(m["name"] + "/" + m["points"] for m in json.load(sys.stdin)))')
check_match "GET /api/spc lists the metrics and their points" "$got" \
    "payments_per_weighted_patient/financial year list_size/snapshot pcn_workforce_fte/snapshot"
api=$(/usr/bin/python3 "$HTTP" "$URL" "/api/spc/payments_per_weighted_patient/QHM?format=csv" --jar "$T/jar" 2>/dev/null)
cli=$("$PCCS" --store "$S" spc --metric payments_per_weighted_patient --in QHM --format csv 2>/dev/null)
check_eq "GET /api/spc/payments_per_weighted_patient/QHM = the CLI's" "$api" "$cli"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

done_testing
