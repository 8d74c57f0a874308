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

# Every census quarter and both payments years: the census priced is the
# one within the year asked (nearest 1 October), named in the table; the
# ARRS sum is the entitlements table's arrs line, from the same DES
# weighted population (2021-22: the 2020-21 payments year; a national sum
# shared by weighted population, derived).
A=$T/a.db
run_pccs --store "$A" load --quiet "$DATA"/pcn-workforce-individual-level_*.csv \
    "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load every census quarter" "$status" 0
for year in 2020-21 2021-22 2022-23 2023-24; do
    want=$(python3 - "$DATA" "$year" <<'PY'
import csv, glob, os, sys, datetime
d, year = sys.argv[1], sys.argv[2]
fy = int(year[:4])
mid = datetime.date(fy, 10, 1)
best = None
for f in glob.glob(d + '/pcn-workforce-individual-level_*.csv'):
    y, m = map(int, os.path.basename(f)[31:38].split('-'))
    end = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(1))
    if datetime.date(fy, 4, 1) <= end <= datetime.date(fy + 1, 3, 31):
        if best is None or abs((end - mid).days) < abs((best - mid).days):
            best = end
if best is None:                    # none within: the latest before it
    for f in glob.glob(d + '/pcn-workforce-individual-level_*.csv'):
        y, m = map(int, os.path.basename(f)[31:38].split('-'))
        end = (datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(1))
        if end < datetime.date(fy, 4, 1) and (best is None or end > best):
            best = end
print(best)
PY
)
    run_pccs --store "$A" table arrs --year "$year" --in U02671 --format csv
    got=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR == 2 { print $11 }')
    check_eq "arrs $year prices the census within the year ($want)" "$got" "$want"
    csv_out=$out
    run_pccs --store "$A" table arrs --year "$year" --in U02671 --format json
    check_match "arrs $year names its census" "$out" \
        "PCN workforce census $want, the census within $year"
    [ "$year" = 2020-21 ] && continue # no list on or before 1 January 2020
    out=$csv_out
    arrs_sum=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$4 == "all ARRS roles" { print $9 }')
    run_pccs --store "$A" table entitlements --year "$year" --in U02671 --format csv
    ent=$(printf '%s\n' "$out" | python3 -c 'import csv,sys
print([r["arrs"] for r in csv.DictReader(sys.stdin)][0])')
    check_eq "arrs $year: the arrs table's sum = the entitlements ARRS" \
        "$arrs_sum" "$ent"
done
# The sums themselves, against python: 2021-22 from the national sum.
want=$(python3 - "$DATA" <<'PY'
import csv, sys
d = sys.argv[1]
def rate(year, item):
    for r in csv.DictReader(open('data/rates/pcn.csv')):
        if r['financial_year'] == year and r['item'] == item and r['value']:
            return float(r['value'])
rows = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2020-21.csv',
                            newline='', encoding='utf-8-sig')))
w = {r[6]: float(r[18]) for r in rows[1:]}
reg = {r['CODE'] for r in csv.DictReader(open(d + '/gp-reg-pat-prac-all_2021-01.csv'))}
pcn = {r['PRACTICE_CODE']: r['PCN_CODE'] for r in
       csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv'))}
nat = sum(w.get(p, 0) for p in reg)
mine = sum(w.get(p, 0) for p in reg if pcn.get(p) == 'U02671')
print("%.2f" % (rate('2021-22', 'arrs_national_sum') * mine / nat))
PY
)
run_pccs --store "$A" table arrs --year 2021-22 --in U02671 --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$4 == "all ARRS roles" { printf "%.2f", $9 }')
check_eq "arrs 2021-22 U02671: national sum x weighted share (python)" "$got" "$want"

done_testing
