#!/bin/sh
# pccs table qof-prevalence against python over the raw QOF files: regional
# prevalence from summed registers and lists (regions from the QOF
# geographies file), national prevalence, and one practice's APDF, CPI and
# point value with the rates read from data/rates/qof.csv here; then a
# local rates override and an unknown rate.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
cd "$ROOT" || exit 1
run_pccs --store "$S" load --quiet "$DATA"/qof2021_*.csv
check_eq "load the QOF files" "$status" 0

python3 - "$DATA" data/rates/qof.csv >"$T/want" <<'PY'
import csv, sys
d = sys.argv[1]
reg = {r['PRACTICE_CODE']: r['REGION_ODS_CODE'] for r in
       csv.DictReader(open(d + '/qof2021_MAPPING_NHS_GEOGRAPHIES_2021.csv'))}
tot, nat = {}, [0, 0]
prac = {}
for r in csv.DictReader(open(d + '/qof2021_PREVALENCE_2021_v2.csv')):
    if r['GROUP_CODE'] != 'AF':
        continue
    t = tot.setdefault(reg[r['PRACTICE_CODE']], [0, 0])
    for x in (t, nat):
        x[0] += int(r['REGISTER']); x[1] += int(r['PRACTICE_LIST_SIZE'])
    prac[r['PRACTICE_CODE']] = (int(r['REGISTER']), int(r['PRACTICE_LIST_SIZE']))
for k in sorted(tot):
    print(f"{k},{tot[k][0]},{tot[k][1]},{100 * tot[k][0] / tot[k][1]:.6f}")
natp = 100 * nat[0] / nat[1]
rates = {r['item']: float(r['value']) for r in csv.DictReader(open(sys.argv[2]))
         if r['financial_year'] == '2020-21' and r['value']}
rg, ls = prac['A81001']
apdf = (100 * rg / ls) / natp
cpi = ls / rates['qof_average_list_size']
print(f"nat,{natp:.6f}")
print(f"A81001,{apdf:.6f},{cpi:.6f},{rates['qof_pounds_per_point'] * cpi * apdf:.4f}")
PY
run_pccs --store "$S" table qof-prevalence --group AF --level region --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    printf "%s,%d,%d,%.6f\n", $1, $5, $6, $7 }' >"$T/got"
awk -F'\t' 'NR == 2 { printf "nat,%.6f\n", $8 }' <<EOF2 >>"$T/got"
$(printf '%s\n' "$out" | tsv)
EOF2
run_pccs --store "$S" table qof-prevalence --group AF --level practice \
    --in 16C --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81001" {
    printf "A81001,%.6f,%.6f,%.4f\n", $9, $10, $12 }' >>"$T/got"
check_eq "AF by region, national, and A81001's APDF, CPI, point value" \
    "$(cat "$T/got")" "$(cat "$T/want")"
run_pccs --store "$S" table qof-prevalence --group AF --level icb --format json
check_match "rates named with their source" "$out" \
    "pounds per point 2020-21: 194.83 GBP per point; source: Ardens"

# A local file overrides a rate, with its own source, without a rebuild.
mkdir "$T/local"
printf 'financial_year,item,value,unit,source,confidence\n2020-21,qof_pounds_per_point,200,GBP per point,our finance team,local\n' \
    >"$T/local/qof.csv"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --level practice --in 16C --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81001" { print $11 }')
check_eq "local override used" "$got" 200
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --format json
check_match "local source shown" "$out" "source: our finance team \[local\]"
# An empty value is a rate known to be unknown: no value is invented.
printf 'financial_year,item,value,unit,source,confidence\n2020-21,qof_pounds_per_point,,GBP per point,withdrawn,\n' \
    >"$T/local/qof.csv"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --level practice --in 16C --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81001" { print $11 "|" $12 }')
check_eq "unknown rate gives no value" "$got" "|"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --format json
check_match "unknown rate is said" "$out" "rate unknown for 2020-21"
# A malformed rates file is refused with its place.
printf 'financial_year,item,value,unit,source,confidence\n2020-21,qof_pounds_per_point,lots,GBP,x,\n' \
    >"$T/local/qof.csv"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence --group AF
check_eq "bad rate: exit 1" "$status" 1
check_match "bad rate: file:line:col" "$errout" "local/qof.csv:2:3: value: expected"

done_testing
