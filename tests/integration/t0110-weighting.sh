#!/bin/sh
# The weighting table against python: the age-sex estimate from the
# generated five-year-band file (real list sizes, 60 practices) and the
# weights in data/weights/age_sex.csv, normalised to the registered total;
# the published weighted list from the 2020-21 payments file.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
scripts/gen-reg-age --out "$T/gen" --practices 60 --only quin
run_pccs --store "$S" load --quiet "$T/gen/gp-reg-pat-prac-quin-age.csv" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv"
check_eq "load" "$status" 0

python3 - "$T/gen/gp-reg-pat-prac-quin-age.csv" data/weights/age_sex.csv \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv" >"$T/want" <<'PY'
import csv, sys
wts = [(int(r['age_from']), int(r['age_to']), float(r['male']), float(r['female']))
       for r in csv.DictReader(open(sys.argv[2]))]
def weight(sex, lo, hi):
    for a, b, m, f in wts:
        if lo >= a and hi <= b:
            return m if sex == 'MALE' else f
adj, reg = {}, {}
for r in csv.DictReader(open(sys.argv[1])):
    band = r['AGE_GROUP_5']
    if band == 'ALL':
        continue
    lo, hi = (95, 200) if band == '95+' else map(int, band.split('_'))
    n = int(r['NUMBER_OF_PATIENTS'])
    p = r['ORG_CODE']
    adj[p] = adj.get(p, 0) + weight(r['SEX'], lo, hi) * n
    reg[p] = reg.get(p, 0) + n
af = sum(reg.values()) / sum(adj.values())
rows = list(csv.reader(open(sys.argv[3], newline='', encoding='utf-8-sig')))
pub = {r[6]: float(r[18]) for r in rows[1:]}
for p in sorted(adj):
    print(f"{p},{reg[p]},{pub[p]:.2f},{adj[p] * af:.4f}")
PY
run_pccs --store "$S" table weighting --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    printf "%s,%d,%.2f,%.4f\n", $1, $5, $6, $7 }' >"$T/got"
check_eq "per practice: registered, published, estimate (python)" \
    "$(cat "$T/got")" "$(cat "$T/want")"
got=$(awk -F, '{ r += $2; e += $4 } END { printf "%.2f", e - r }' "$T/got")
check_num "estimates total the registered list" "$got" 0 0.5
PCCS_WEIGHTS=$T/none.csv run_pccs --store "$S" table weighting
check_eq "missing weights file: exit 1" "$status" 1

done_testing
