#!/bin/sh
# PCN entitlements against python over the raw files, every Network
# Contract DES line of each year read generically from the rates
# (`<line>_per_<base>`, `<line>_months`, `<line>_national_sum`) and the
# line list of data/maps/pcn_lines.csv. The python applies the DES
# population rule itself: the registered list at 1 January before the
# year (that snapshot, else the latest earlier snapshot or payments year,
# a payments year standing for the 1 January it contains), the contractor
# weighted population of the payments year containing that 1 January
# (else the latest earlier); adjusted = weighted x national registered /
# national weighted.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
cd "$ROOT" || exit 1
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load" "$status" 0

# A test's own rates: the bundled ones, then rows that exercise two bases,
# a part year and an ARRS sum derived from a national sum.
mkdir "$T/rates"
cp data/rates/*.csv "$T/rates/"
cat >"$T/rates/zz_test.csv" <<'CSV'
financial_year,item,value,unit,source,confidence
2022-23,pcn_core_per_registered,1.5,GBP,test,unverified
2022-23,pcn_core_per_adjusted,0.5,GBP,test,unverified
2022-23,extended_hours_per_registered,1.44,GBP,test,unverified
2022-23,extended_hours_months,6,months,test,unverified
2022-23,arrs_per_weighted,,GBP,test: no per-patient figure,
2022-23,arrs_national_sum,1000000000,GBP,test,unverified
2022-23,leadership_management_per_adjusted,,GBP,test: not found,
CSV

cat >"$T/calc.py" <<'PY'
import csv, glob, os, sys
d, rates_dir, year, ccg = sys.argv[1:5]
fy = int(year[:4])
D = (fy, 1, 1)                      # 1 January before the year
pcn_of = {r['PRACTICE_CODE']: r['PCN_CODE'] for r in
          csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv'))
          if r['PCN_CODE'] != 'U'}
ccg_of = {r['PRACTICE_CODE']: r['CCG_CODE'] for r in
          csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv'))}
def payments(y):
    rows = list(csv.reader(open(d + '/nhs-payments-to-general-practice_%d-%02d.csv'
                                % (y, (y + 1) % 100), newline='',
                                encoding='utf-8-sig')))
    h = rows[0]
    p = h.index('Practice Code')
    r = h.index('Number of Registered Patients (Last Known Figure)')
    w = h.index('Number of Weighted Patients (Last Known Figure)')
    num = lambda s: float(s) if s.strip() else None
    return ({x[p]: num(x[r]) for x in rows[1:] if num(x[r]) is not None},
            {x[p]: num(x[w]) for x in rows[1:] if num(x[w]) is not None})
snapshots = {(2021, 1, 1): {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in
             csv.DictReader(open(d + '/gp-reg-pat-prac-all_2021-01.csv'))}}
pay_years = [2020, 2022]
# Registered: candidates dated; a payments year y stands for 1 Jan y+1.
cands = [(day, 0, day) for day in snapshots] + \
        [((y + 1, 1, 1), 1, y) for y in pay_years]
best = max(c for c in cands if c[0] <= D)
best = min((c for c in cands if c[0] == best[0]), key=lambda c: c[1])
reg = snapshots[best[2]] if best[1] == 0 else payments(best[2])[0]
# Weighted: the payments year containing D (fy - 1), else the latest earlier.
wy = max(y for y in pay_years if y <= fy - 1)
weighted = payments(wy)[1]
nat_reg = sum(reg.values())
nat_w = sum(weighted.get(p, 0) for p in reg)
# Rates: every CSV of the directory in name order, later rows replace.
rate = {}
for f in sorted(glob.glob(rates_dir + '/*.csv')):
    for r in csv.DictReader(open(f)):
        if r['financial_year'] == year:
            rate[r['item']] = float(r['value']) if r['value'].strip() else None
bases = ('registered', 'adjusted', 'weighted', 'bed', 'pcn')
lines = [r['line'] for r in csv.DictReader(open('data/maps/pcn_lines.csv'))]
practice_lines = {r['line'] for r in csv.DictReader(open('data/maps/pcn_lines.csv'))
                  if r['paid_to'] == 'practices'}
for f in sorted(glob.glob(rates_dir + '/*.csv')):
    for r in csv.DictReader(open(f)):
        for suf in ['_per_' + b for b in bases] + ['_national_sum']:
            it = r['item']
            if it.endswith(suf) and len(it) > len(suf) and it[:-len(suf)] not in lines:
                lines.append(it[:-len(suf)])
pcns = {}
for p, n in reg.items():
    if p not in pcn_of or ccg_of.get(p) != ccg:
        continue
    t = pcns.setdefault(pcn_of[p], [0, 0.0])
    t[0] += n
    t[1] += weighted.get(p, 0.0)
print(','.join(['code', 'registered', 'weighted'] + lines + ['total_known']))
for k in sorted(pcns):
    r_, w = pcns[k]
    pop = {'registered': r_, 'weighted': w, 'adjusted': w * nat_reg / nat_w,
           'pcn': 1}
    out = [k, f"{r_:.2f}", f"{w:.2f}"]
    total = 0.0
    for line in lines:
        per = [(b, rate[line + '_per_' + b]) for b in bases
               if line + '_per_' + b in rate]
        ns = rate.get(line + '_national_sum', 'absent')
        if not per and ns == 'absent':
            out.append('-')             # not paid this year
            continue
        if per and all(v is not None for _, v in per) and \
                all(b != 'bed' for b, _ in per):
            v = sum(pop[b] * x for b, x in per)
        elif per and any(b == 'bed' for b, _ in per):
            out.append('-')             # no care home beds loaded
            continue
        elif ns not in ('absent', None):
            v = ns * w / nat_w
        else:
            out.append('-')             # rate unknown
            continue
        m = rate.get(line + '_months', 12)
        if m is None:
            out.append('-')
            continue
        v *= m / 12
        out.append(f"{v:.2f}")
        if line not in practice_lines:
            total += v
    out.append(f"{total:.2f}")
    print(','.join(out))
PY

# pccs's table, the columns the python names, in its order.
cat >"$T/pick.py" <<'PY'
import csv, sys
want = open(sys.argv[1]).readline().strip().split(',')
rows = list(csv.DictReader(sys.stdin))
print(','.join(want))
for r in rows:
    out = [r['code']]
    for c in want[1:]:
        v = r.get(c, 'MISSING')
        out.append('-' if v == '' else f"{float(v):.2f}" if v != 'MISSING' else v)
    print(','.join(out))
PY

for rates in bundled test; do
    if [ "$rates" = test ]; then R=$T/rates; else R=$ROOT/data/rates; fi
    for year in 2021-22 2022-23 2023-24 2024-25 2025-26; do
        python3 "$T/calc.py" "$DATA" "$R" "$year" 16C >"$T/want"
        out=$(PCCS_RATES=$R "$PCCS" --store "$S" table entitlements \
            --year "$year" --in 16C --format csv)
        printf '%s\n' "$out" | python3 "$T/pick.py" "$T/want" >"$T/got"
        check_eq "entitlements $year, every line, PCNs of 16C ($rates rates)" \
            "$(cat "$T/got")" "$(cat "$T/want")"
    done
done

# The test rates: the 2022-23 ARRS sum is derived from the national sum
# and marked so.
out=$(PCCS_RATES=$T/rates "$PCCS" --store "$S" table entitlements \
    --year 2022-23 --in U02671 --format csv)
check_eq "derived column names arrs" \
    "$(printf '%s\n' "$out" | python3 -c 'import csv,sys; print([r["derived"] for r in csv.DictReader(sys.stdin)])')" \
    "['arrs']"

# Rolled up: a region's figures are the sums of its PCNs' (one map, one
# payments year: every PCN has a region on 1 January 2021).
S1=$T/s1.db
run_pccs --store "$S1" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2020-21.csv"
run_pccs --store "$S1" table entitlements --year 2021-22 --level pcn --format csv
pcn_total=$(printf '%s\n' "$out" | python3 -c 'import csv,sys
print("%.2f" % sum(float(r["total_known"]) for r in csv.DictReader(sys.stdin)))')
run_pccs --store "$S1" table entitlements --year 2021-22 --level region \
    --format csv
reg_total=$(printf '%s\n' "$out" | python3 -c 'import csv,sys
print("%.2f" % sum(float(r["total_known"]) for r in csv.DictReader(sys.stdin)))')
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
        if n.startswith("explain U02671: pcn_core:")][0]
want = "explain U02671: pcn_core: registered %.2f x 1.5 = %.2f" % (
    r["registered"], r["pcn_core"])
print(line == want)
PY
)
check_eq "explain: core = registered x rate, as in the table" "$got" True

# Network participation is practice income: shown, not in the PCN total.
check_match "participation is practice income" "$out" \
    "network_participation: weighted [0-9.]+ x 1.76[0-9]* = [0-9.]+ \\(paid to practices, not in the PCN total\\)"

# The 1 January 2022 list is not loaded: the table, --explain and the
# notes say which list stands in for it.
run_pccs --store "$S" table entitlements --year 2022-23 --in U02671 --explain
check_match "2022-23: note, list in place of 1 January 2022" "$out" \
    "^registered: list at 2021-01-01 used in place of 2022-01-01"
check_match "2022-23: --explain says so" "$out" \
    "explain U02671: registered: list at 2021-01-01 used in place of 2022-01-01"
check_match "2022-23: weighted of 2020-21 in place of 2021-22" "$out" \
    "weighted population of the 2020-21 payments file used in place of 2021-22"
run_pccs --store "$S" table entitlements --year 2021-22 --in U02671
check_eq "2021-22: the 1 January 2021 list is loaded: no note" \
    "$(printf '%s\n' "$out" | grep -c 'used in place of')" 0

# Unknown rates are said, not invented; lines not paid are named.
run_pccs --store "$S" table entitlements --year 2021-22 --format json
check_match "rates named with sources" "$out" \
    "pcn_core_per_registered 2021-22: 1.5 GBP .*source: BMA"
check_match "lines not paid in 2021-22 are named" "$out" \
    "not paid in 2021-22 \\(no rate row for the year in data/rates\\): .*enhanced_access"
run_pccs --store "$S" table entitlements --year 2021
check_eq "bad --year: a usage error, exit 2" "$status" 2
run_pccs --store "$S" table entitlements --level practice
check_eq "practice level refused: exit 1" "$status" 1

done_testing
