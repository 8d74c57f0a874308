#!/bin/sh
# Charts as SVG: the age-bands table and the pyramid's text alternative
# against python over the generated age-band file; a bar chart of a table
# column against python over the raw registrations; a line chart of a
# metric; every SVG well-formed; each rendered to PNG with headless
# Chromium (when installed) into tests/out/ to look at.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
scripts/gen-reg-age --out "$T/gen" --only quin
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" "$T/gen/gp-reg-pat-prac-quin-age.csv"
check_eq "load" "$status" 0

# Age bands of 16C: python sums the practices of 16C in the band file.
python3 - "$T/gen/gp-reg-pat-prac-quin-age.csv" >"$T/want" <<'PY'
import csv, sys
m, f = {}, {}
for r in csv.DictReader(open(sys.argv[1], newline='')):
    if r['CCG_CODE'] != '16C' or r['AGE_GROUP_5'] == 'ALL':
        continue
    b = r['AGE_GROUP_5'].replace('_', '-')
    d = m if r['SEX'] == 'MALE' else f
    d[b] = d.get(b, 0) + int(r['NUMBER_OF_PATIENTS'])
order = [f"{a}-{a + 4}" for a in range(0, 95, 5)] + ['95+']
tot = sum(m.values()) + sum(f.values())
for b in order:
    print(f"{b},{m.get(b, 0)},{f.get(b, 0)},{m.get(b, 0) / tot * 100:.1f}%, {f.get(b, 0) / tot * 100:.1f}%")
PY
run_pccs --store "$S" table age-bands --level sub_icb --in 16C --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    printf "%s,%d,%d,%.1f%%, %.1f%%\n", $4, $5, $6, $8, $9 }' >"$T/got"
check_eq "age-bands for 16C (python)" "$(cat "$T/got")" "$(cat "$T/want")"
run_pccs --store "$S" chart pyramid --org 16C --out "$T/pyramid.svg"
check_eq "pyramid: exit 0" "$status" 0
for b in 0-4 40-44 95+; do
    want=$(awk -F, -v b="$b" '$1 == b { print b " " $4 "," $5 }' "$T/want" | sed 's/+/[+]/')
    check_match "pyramid text alternative: $b" "$(cat "$T/pyramid.svg")" "$want"
done

# A bar per CCG of QHM: registered, as python sums the raw file.
python3 - "$DATA" >"$T/want" <<'PY'
import csv, sys
d = sys.argv[1]
ccgs = {r['CCG_CODE'] for r in csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv', newline='')) if r['STP_CODE'] == 'QHM'}
n = {}
for r in csv.DictReader(open(d + '/gp-reg-pat-prac-all_2021-01.csv', newline='')):
    if r['CCG_CODE'] in ccgs:
        n[r['CCG_CODE']] = n.get(r['CCG_CODE'], 0) + int(r['NUMBER_OF_PATIENTS'])
print('; '.join(f"{c}:{v:,}" for c, v in sorted(n.items())))
PY
run_pccs --store "$S" chart bar populations --column registered --level sub_icb --in QHM --out "$T/bar.svg"
check_eq "bar: exit 0" "$status" 0
got=$(python3 - "$T/bar.svg" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
desc = ET.parse(sys.argv[1]).getroot().find('{http://www.w3.org/2000/svg}desc').text
print('; '.join(f"{m.group(1)}:{m.group(2)}" for m in re.finditer(r'(\w+) [^:;]*: ([\d,]+)', desc)))
PY
)
check_eq "bar chart values = python's registered per CCG" "$got" "$(cat "$T/want")"

run_pccs --store "$S" synth appointments --in 16C --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
run_pccs --store "$S" chart line --metric dna_pct --org A81001,A81002 --out "$T/line.svg"
check_eq "line: exit 0" "$status" 0
check_eq "line: 13 months per practice in the text alternative" \
    "$(grep -o '20[0-9][0-9]-[0-9][0-9]-01 [0-9.]*' "$T/line.svg" | wc -l | tr -d ' ')" 26
run_pccs --store "$S" chart line --metric dna_pct --org , --out "$T/none.svg"
check_eq "line with no organisation in --org: exit 1 (was a crash, found by cppcheck)" "$status" 1
check_match "... saying what was expected" "$errout" "--org: expected one or more organisation codes"
run_pccs --store "$S" chart bar populations --column name
check_eq "bar of a text column: exit 1" "$status" 1
run_pccs --store "$S" chart pie --org 16C
check_eq "unknown chart: exit 2" "$status" 2

for f in pyramid bar line; do
    check_eq "$f.svg is well-formed XML with a title and a desc" "$(python3 - "$T/$f.svg" <<'PY'
import sys
import xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
print(bool(r.find(ns + 'title').text) and bool(r.find(ns + 'desc').text))
PY
)" True
done

# Look at them: PNGs from headless Chromium, kept in tests/out/.
if command -v chromium >/dev/null 2>&1; then
    mkdir -p "$ROOT/tests/out"
    for f in pyramid bar line; do
        rm -f "$ROOT/tests/out/chart-$f.png"
        chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
            --window-size=780,480 --screenshot="$ROOT/tests/out/chart-$f.png" \
            "file://$T/$f.svg" >/dev/null 2>&1
        check_eq "chromium renders $f.svg to a PNG" \
            "$(head -c 8 "$ROOT/tests/out/chart-$f.png" | od -An -c | tr -d ' \n')" \
            '211PNG\r\n032\n'
    done
else
    ok "# SKIP chromium not installed: no PNGs"
fi

done_testing
