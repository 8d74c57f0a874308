#!/bin/sh
# The arrs table against python: FTE by ARRS role for a PCN from the raw
# workforce file through data/maps/arrs_roles.csv, priced with
# data/rates/arrs.csv; the ARRS sum from the 2022-23 payments file's weighted
# population and data/rates/pcn.csv; the share in post.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/pcn-workforce-individual-level_2022-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load" "$status" 0

for pcn in U02671 U94460; do
    python3 - "$DATA" "$pcn" >"$T/want" <<'PY'
import csv, sys
d, pcn = sys.argv[1], sys.argv[2]
roles = {r['staff_role']: r['arrs_role'] for r in csv.DictReader(open('data/maps/arrs_roles.csv'))}
def rate(f, item):
    for r in csv.DictReader(open(f)):
        if r['financial_year'] == '2023-24' and r['item'] == item and r['value']:
            return float(r['value'])
fte = {}
for r in csv.DictReader(open(d + '/pcn-workforce-individual-level_2022-09.csv', encoding='cp1252')):
    if r['PCN_CODE'] == pcn and r['STAFF_ROLE'] in roles:
        k = roles[r['STAFF_ROLE']]
        fte[k] = fte.get(k, 0) + float(r['FTE'])
rows = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2022-23.csv', newline='', encoding='utf-8-sig')))
w = sum(float(x[18]) for x in rows[1:] if x[4].strip() == pcn)
cost = unpriced = 0
for k in sorted(fte):
    m = rate('data/rates/arrs.csv', 'arrs_max_' + k)
    if m is None:
        unpriced += fte[k]; print(f"{k},{fte[k]:.4f},-")
    else:
        cost += fte[k] * m; print(f"{k},{fte[k]:.4f},{fte[k] * m:.2f}")
s = w * rate('data/rates/pcn.csv', 'arrs_per_weighted')
print(f"total,{sum(fte.values()):.4f},{cost:.2f},{unpriced:.4f},{s:.2f},{cost / s * 100:.4f}")
PY
    run_pccs --store "$S" table arrs --year 2023-24 --in "$pcn" --format csv
    printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
        if ($4 == "all ARRS roles")
            printf "total,%.4f,%.2f,%.4f,%.2f,%.4f\n", $5, $7, $8, $9, $10
        else
            printf "%s,%.4f,%s\n", $4, $5, $7 == "" ? "-" : sprintf("%.2f", $7) }' \
        >"$T/got"
    check_eq "ARRS 2023-24 for $pcn (python)" "$(cat "$T/got")" "$(cat "$T/want")"
done
run_pccs --store "$S" table arrs
check_eq "no --year: exit 1" "$status" 1

done_testing
