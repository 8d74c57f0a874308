#!/bin/sh
# PCN entitlements against python over the raw files: the PCN lists from
# the January 2021 registrations joined to the September 2020 map, the
# contractor weighted population from the 2020-21 payments file, and the
# rates read from data/rates/pcn.csv here.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
cd "$ROOT" || exit 1
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv"
check_eq "load" "$status" 0

cat >"$T/calc.py" <<'PY'
import csv, sys
d, year, ccg = sys.argv[1], sys.argv[2], sys.argv[3]
pcn_of = {r['PRACTICE_CODE']: r['PCN_CODE'] for r in
          csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv'))
          if r['PCN_CODE'] != 'U'}
ccg_of = {r['PRACTICE_CODE']: r['CCG_CODE'] for r in
          csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv'))}
rows = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2020-21.csv',
                            newline='', encoding='utf-8-sig')))
weighted = {r[6]: float(r[18]) for r in rows[1:]}
reg = {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in
       csv.DictReader(open(d + '/gp-reg-pat-prac-all_2021-01.csv'))}
nat_reg = sum(reg.values())
nat_w = sum(weighted.get(p, 0) for p in reg)
rate = {r['item']: float(r['value']) for r in csv.DictReader(open('data/rates/pcn.csv'))
        if r['financial_year'] == year and r['value']}
pcns = {}
for p, n in reg.items():
    if p not in pcn_of or ccg_of.get(p) != ccg:
        continue
    t = pcns.setdefault(pcn_of[p], [0, 0.0])
    t[0] += n
    t[1] += weighted.get(p, 0.0)
for k in sorted(pcns):
    r_, w = pcns[k]
    adj = w * nat_reg / nat_w
    out = [k, str(r_), f"{w:.2f}"]
    for item, pop in (('pcn_core_per_registered', r_),
                      ('clinical_director_per_registered', r_),
                      ('network_participation_per_weighted', w),
                      ('extended_hours_per_registered', r_),
                      ('arrs_per_weighted', w)):
        out.append(f"{pop * rate[item]:.2f}" if item in rate else "-")
    if 'enhanced_access_per_adjusted' in rate:
        m = rate.get('enhanced_access_months', 12)
        out.append(f"{adj * rate['enhanced_access_per_adjusted'] * m / 12:.2f}")
        out.append(f"{adj / 1000 * rate['enhanced_access_minutes_per_1000']:.1f}")
    print(','.join(out))
PY
for year in 2021-22 2023-24; do
    python3 "$T/calc.py" "$DATA" "$year" 16C >"$T/want.$year"
    run_pccs --store "$S" table entitlements --year "$year" --in 16C \
        --format csv
    printf '%s\n' "$out" | tsv | awk -F'\t' -v y="$year" 'NR > 1 {
        line = sprintf("%s,%d,%.2f", $1, $6, $7)
        if (y == "2021-22")
            line = line sprintf(",%.2f,%.2f,%.2f,%.2f,-", $9, $10, $11, $12)
        else
            line = line sprintf(",-,-,-,-,%.2f,%.2f,%.1f", $14, $13, $16)
        print line }' >"$T/got.$year"
    check_eq "entitlements $year for the PCNs of 16C (python)" \
        "$(cat "$T/got.$year")" "$(cat "$T/want.$year")"
done

# Rolled up: a region's figures are the sums of its PCNs'.
run_pccs --store "$S" table entitlements --year 2021-22 --level pcn --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { print $1 "\t" $9 "\t" $17 }' \
    >"$T/pcns"
run_pccs --store "$S" table entitlements --year 2021-22 --level region \
    --format csv
reg_total=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $17 }
    END { printf "%.2f", s }')
pcn_total=$(awk -F'\t' '{ s += $3 } END { printf "%.2f", s }' "$T/pcns")
check_num "regions sum to the PCNs" "$reg_total" "$pcn_total" 0.05

# --explain shows each line's formula with the values in the table.
run_pccs --store "$S" table entitlements --year 2021-22 --in U02671 --explain \
    --format json
printf '%s' "$out" >"$T/explain.json"
got=$(python3 - "$T/explain.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["rows"][0]
line = [n for n in d["sources"]
        if n.startswith("explain U02671: pcn_core_per_registered")][0]
want = "explain U02671: pcn_core_per_registered: registered %.2f x 1.5 = %.2f" % (
    r["registered"], r["core"])
print(line == want)
PY
)
check_eq "explain: core = registered x rate, as in the table" "$got" True

# Unknown rates are said, not invented.
run_pccs --store "$S" table entitlements --year 2021-22 --format json
check_match "ARRS 2021-22 unknown" "$out" "arrs_per_weighted: rate unknown for 2021-22"
check_match "rates named with sources" "$out" \
    "pcn_core_per_registered 2021-22: 1.5 GBP .*source: BMA"
run_pccs --store "$S" table entitlements --year 2021
check_eq "bad --year: exit 1" "$status" 1
run_pccs --store "$S" table entitlements --level practice
check_eq "practice level refused: exit 1" "$status" 1

done_testing
