#!/bin/sh
# pccs table qof-prevalence against python over the raw QOF files: regional
# prevalence from summed registers and lists (regions from the QOF
# geographies file), national prevalence, and one practice's APDF, CPI and
# point value with the rates read from data/rates/qof.csv here; the CPI of
# every practice for every group (the whole list, list type TOTAL, over the
# national average list, never the group's age-restricted list); then a
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
# A81001's AF list is its whole (TOTAL) list.
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
    printf "A81001,%.6f,%.6f,%.4f\n", $9, $12, $14 }' >>"$T/got"
check_eq "AF by region, national, and A81001's APDF, CPI, point value" \
    "$(cat "$T/got")" "$(cat "$T/want")"
# CPI for every practice and every group in England: the whole list (the
# list of a TOTAL group) over the national average list, the same for each
# of a practice's groups; the point value from it.
python3 - "$DATA/qof2021_PREVALENCE_2021_v2.csv" data/rates/qof.csv \
    >"$T/want" <<'PY'
import csv, sys
rates = {r['item']: float(r['value']) for r in csv.DictReader(open(sys.argv[2]))
         if r['financial_year'] == '2020-21' and r['value']}
avg, ppp = rates['qof_average_list_size'], rates['qof_pounds_per_point']
rows = list(csv.DictReader(open(sys.argv[1])))
whole = {}
for r in rows:
    if r['PATIENT_LIST_TYPE'] == 'TOTAL':
        whole[r['PRACTICE_CODE']] = int(r['PRACTICE_LIST_SIZE'])
nat = {}
for r in rows:
    n = nat.setdefault(r['GROUP_CODE'], [0, 0])
    n[0] += int(r['REGISTER']); n[1] += int(r['PRACTICE_LIST_SIZE'])
restricted = 0
for r in sorted(rows, key=lambda r: (r['PRACTICE_CODE'], r['GROUP_CODE'])):
    c, g = r['PRACTICE_CODE'], r['GROUP_CODE']
    cpi = whole[c] / avg
    ls = int(r['PRACTICE_LIST_SIZE'])
    restricted += ls != whole[c]
    apdf = (int(r['REGISTER']) / ls) / (nat[g][0] / nat[g][1]) if ls else None
    pv = f"{ppp * cpi * apdf:.4f}" if apdf is not None else ''
    print(f"{c},{g},{whole[c]},{cpi:.6f},{pv}")
assert len(whole) > 6000 and restricted > 10000, (len(whole), restricted)
PY
run_pccs --store "$S" table qof-prevalence --level practice --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    pv = $14 == "" ? "" : sprintf("%.4f", $14)
    printf "%s,%s,%s,%.6f,%s\n", $1, $4, $10, $12, pv }' >"$T/got"
check_eq "CPI = whole list / national average for every practice and group" \
    "$(cat "$T/got")" "$(cat "$T/want")"
check_eq "every practice-group row of England compared" \
    "$(wc -l <"$T/got")" "$(python3 -c 'import sys; print(sum(1 for _ in open(sys.argv[1])) - 1)' \
        "$DATA/qof2021_PREVALENCE_2021_v2.csv")"
# The audit's case: A81004 OST, a 50OV list of 4,151 and a whole list of
# 11,029, from the raw file here.
want=$(python3 - "$DATA/qof2021_PREVALENCE_2021_v2.csv" data/rates/qof.csv <<'PY'
import csv, sys
rates = {r['item']: float(r['value']) for r in csv.DictReader(open(sys.argv[2]))
         if r['financial_year'] == '2020-21' and r['value']}
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['PRACTICE_CODE'] == 'A81004']
w = [int(r['PRACTICE_LIST_SIZE']) for r in rows if r['PATIENT_LIST_TYPE'] == 'TOTAL'][0]
ost = [r for r in rows if r['GROUP_CODE'] == 'OST'][0]
print(f"{ost['PRACTICE_LIST_SIZE']} {w} {w / rates['qof_average_list_size']:.4f}")
PY
)
run_pccs --store "$S" table qof-prevalence --group OST --level practice \
    --in A81004 --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81004" {
    printf "%s %s %.4f", $6, $10, $12 }')
check_eq "A81004 OST: CPI from the whole list, not the 50OV list" "$got" "$want"
run_pccs --store "$S" table qof-prevalence --group OST --level practice \
    --in A81004 --explain
check_match "--explain names the list and the national average" "$out" \
    "explain A81004 OST: cpi = practice_list \(11029\) / average_list_size \(8799\)"
check_match "--explain: the average's source" "$out" \
    "national average list size \(CPI\) 2020-21: 8799 patients; source: Ardens"

run_pccs --store "$S" table qof-prevalence --group AF --level icb --format json
check_match "rates named with their source" "$out" \
    "pounds per point 2020-21: 194.83 GBP per point; source: Ardens"

# A local file overrides a rate, with its own source, without a rebuild.
mkdir "$T/local"
printf 'financial_year,item,value,unit,source,confidence\n2020-21,qof_pounds_per_point,200,GBP per point,our finance team,local\n' \
    >"$T/local/qof.csv"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --level practice --in 16C --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81001" { print $13 }')
check_eq "local override used" "$got" 200
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --format json
check_match "local source shown" "$out" "source: our finance team \[local\]"
# An empty value is a rate known to be unknown: no value is invented.
printf 'financial_year,item,value,unit,source,confidence\n2020-21,qof_pounds_per_point,,GBP per point,withdrawn,\n' \
    >"$T/local/qof.csv"
PCCS_RATES_LOCAL=$T/local run_pccs --store "$S" table qof-prevalence \
    --group AF --level practice --in 16C --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$1 == "A81001" { print $13 "|" $14 }')
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
