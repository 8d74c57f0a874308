#!/bin/sh
# pccs spc through the command line: every reference series of the NHS-R
# implementation (tests/data/spc-reference) gives the same mean, limits
# (to 1e-6) and point types; the SVG chart is valid XML with one point per
# value coloured by its type and a text alternative. A PNG of one chart is
# saved in tests/out/ when rsvg-convert is installed.
. "$(dirname "$0")/lib.sh"

REF=$ROOT/tests/data/spc-reference
for csv in "$REF"/*.csv; do
    name=$(basename "$csv" .csv)
    dir=$(sed -n 's/^improvement_direction=//p' "$REF/$name.meta")
    run_pccs spc --input "$csv" --improvement "$dir" --format csv
    printf '%s\n' "$out" >"$T/$name.csv"
    got=$(python3 - "$csv" "$T/$name.csv" <<'PY'
import csv, sys
ref = list(csv.DictReader(open(sys.argv[1])))
got = list(csv.DictReader(open(sys.argv[2])))
bad = len(ref) != len(got)
for r, g in zip(ref, got):
    for k in ('mean', 'lpl', 'upl'):
        bad += abs(float(r[k]) - float(g[k])) > 1e-6
    bad += r['point_type'] != g['point_type'] or r['date'] != g['date']
print(bad)
PY
)
    check_eq "spc $name: limits and point types as the reference" "$got" 0
done

run_pccs spc --input "$REF/spike_increase.csv" --target 60 --format svg
printf '%s\n' "$out" >"$T/spc.svg"
got=$(python3 - "$T/spc.svg" "$REF/spike_increase.csv" <<'PY'
import csv, sys
import xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
circles = [c for c in root.iter(ns + 'circle') if c.get('class', '').startswith(('common', 'special'))]
ref = list(csv.DictReader(open(sys.argv[2])))
same = all(c.get('class') == r['point_type'] for c, r in zip(circles, ref))
desc = root.find(ns + 'desc').text
print(len(circles) == len(ref), same, 'Assurance: consistent_fail' in desc,
      root.get('role'))
PY
)
check_eq "svg: a point per value, typed, described, role img" "$got" \
    "True True True img"
if command -v rsvg-convert >/dev/null 2>&1; then
    mkdir -p "$ROOT/tests/out"
    rsvg-convert "$T/spc.svg" -o "$ROOT/tests/out/spc-spike.png" &&
        ok "rendered tests/out/spc-spike.png"
fi
run_pccs spc --input "$REF/spike_increase.csv" --rebase 2099-01-01
check_eq "rebase outside the series: exit 2" "$status" 2

done_testing
