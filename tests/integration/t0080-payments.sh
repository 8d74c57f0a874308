#!/bin/sh
# The payments table against python over the raw files: payments per
# weighted patient; practices with fewer registered or weighted patients
# than data/rules/payments.csv sets left out of deciles and percentiles and
# listed with the reason; national deciles of the practices kept (none for
# England); practices outside the 5th-95th percentile of the kept practices
# of their ICB (sub-ICB from the payments file, ICB from the October 2025
# map), identical with and without --in; contract type as the file gives
# it (both years) and --contract; the core contract with the PMS/APMS
# balance; network participation as practice income; the change from
# 2020-21; CSV numbers never in exponent notation.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
P23=$DATA/nhs-payments-to-general-practice_2022-23.csv
P21=$DATA/nhs-payments-to-general-practice_2020-21.csv
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
RULES=$ROOT/data/rules/payments.csv
run_pccs --store "$S" load --quiet "$P23" "$P21" "$MAP"
check_eq "load" "$status" 0

# The independent computation, over the raw files only.
cat >"$T/want.py" <<'PY'
import csv, math, sys
p23, p21, mapf, rules = sys.argv[1:5]
def rows(p):
    r = list(csv.reader(open(p, newline='', encoding='utf-8-sig')))
    h = [c.replace('\n', ' ').strip() for c in r[0]]
    return [dict(zip(h, x)) for x in r[1:]]
rule = {r['parameter']: float(r['value']) for r in csv.DictReader(open(rules))}
def num(x):
    return float(x) if x.strip() else 0.0
r23 = rows(p23)
icb_of = {m['SUB_ICB_LOCATION_CODE']: m['ICB_CODE'] for m in
          csv.DictReader(open(mapf))}
TOT = 'Total NHS Payments to General Practice'
REG = 'Number of Registered Patients (Last Known Figure)'
W = 'Number of Weighted Patients (Last Known Figure)'
def why(x):
    reg, w = num(x[REG]), num(x[W])
    if reg <= 0: return 'no registered patients'
    if reg < rule['min_registered']: return f"{reg:.2f} registered patients, fewer than {rule['min_registered']:.0f}"
    if w <= 0: return 'no weighted patients'
    if w < rule['min_weighted']: return f"{w:.2f} weighted patients, fewer than {rule['min_weighted']:.0f}"
    return ''
kept = {x['Practice Code']: num(x[TOT]) / num(x[W]) for x in r23 if not why(x)}
out = {x['Practice Code']: x for x in r23 if why(x)}
order = sorted(kept, key=lambda c: (kept[c], c))
dec = {c: math.ceil(10 * (i + 1) / len(order)) for i, c in enumerate(order)}
def pct(v, p):
    v = sorted(v); h_ = (len(v) - 1) * p / 100; lo = math.floor(h_)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (h_ - lo) * (v[hi] - v[lo])
by_icb = {}
for x in r23:
    c = x['Practice Code']
    if c in kept and x['CCG Code'] in icb_of:
        by_icb.setdefault(icb_of[x['CCG Code']], []).append(c)
flags = {}
for icb, codes in by_icb.items():
    lo, hi = pct([kept[c] for c in codes], 5), pct([kept[c] for c in codes], 95)
    for c in codes:
        if kept[c] < lo: flags[c] = 'below 5th percentile of ' + icb
        elif kept[c] > hi: flags[c] = 'above 95th percentile of ' + icb
old = {x['Practice Code']: num(x[TOT]) / num(x[W]) for x in rows(p21)
       if num(x[W]) > 0}
def core(x):
    return num(x['Global Sum']) + num(x['MPIG Correction factor']) + \
        num(x['Balance of PMS Expenditure'])
PCN = ['PCN Leadership', 'PCN Support', 'PCN Extended Hours Access',
       'PCN Workforce', 'PCN Investment and impact Fund',
       'PCN Care Home Premium', 'PCN Enhanced Access']
what = sys.argv[5]
if what == 'practices':          # the practices of sub-ICB 16C
    for x in sorted(r23, key=lambda x: x['Practice Code']):
        c = x['Practice Code']
        if x['CCG Code'] != '16C':
            continue
        ppw = f"{kept[c]:.4f}" if c in kept else ''
        ch = f"{(kept[c] - old[c]) / old[c] * 100:.4f}" if c in kept and c in old else ''
        print(f"{c},{x['Contract Type']},{ppw},{dec.get(c, '')},{flags.get(c, '')},{why(x)},{core(x):.2f},{num(x['PCN Participation']):.2f},{ch}")
elif what == 'flags':            # every practice of an ICB or PCN
    code = sys.argv[6]
    for x in sorted(r23, key=lambda x: x['Practice Code']):
        if code in (icb_of.get(x['CCG Code']), x['Code'].strip()):
            c = x['Practice Code']
            print(f"{c},{dec.get(c, '')},{flags.get(c, '')},{why(x)}")
elif what == 'national':
    print('flagged', len(flags), sum(1 for f in flags.values() if f.startswith('below')))
    print(f"left out {len(out)} {sum(num(x[TOT]) for x in out.values()):.2f}")
elif what == 'contract':         # every practice of a file
    for x in sorted(rows(sys.argv[6]), key=lambda x: x['Practice Code']):
        print(f"{x['Practice Code']},{x['Contract Type']}")
elif what == 'pcn':              # a PCN: participation and PCN DES
    xs = [x for x in r23 if x['Code'].strip() == sys.argv[6]]
    print(f"{sum(num(x['PCN Participation']) for x in xs):.2f},"
          f"{sum(num(x[k]) for x in xs for k in PCN):.2f},"
          f"{sum(num(x[TOT]) for x in xs):.2f}")
elif what == 'contract-pms':     # --contract PMS in QHM
    for x in sorted(r23, key=lambda x: x['Practice Code']):
        if icb_of.get(x['CCG Code']) == 'QHM' and x['Contract Type'] == 'PMS':
            print(x['Practice Code'])
PY
want() {
    python3 "$T/want.py" "$P23" "$P21" "$MAP" "$RULES" "$@"
}
# got COLUMN...: the named columns of the CSV in $out, comma-separated.
got() {
    printf '%s\n' "$out" | python3 -c '
import csv, sys
r = list(csv.DictReader(sys.stdin))
for x in r:
    print(",".join(x[c] for c in sys.argv[1:]))' "$@"
}

run_pccs --store "$S" table payments --year 2022-23 --in 16C --compare 2020-21 \
    --format csv
printf '%s\n' "$out" | python3 -c '
import csv, sys
f = lambda v, d: f"{float(v):.{d}f}" if v else ""
for x in csv.DictReader(sys.stdin):
    print(",".join([x["code"], x["contract_type"],
        f(x["total_per_weighted"], 4) if not x["excluded"] else "",
        x["decile"], x["flag"], x["excluded"], f(x["core_contract"], 2),
        f(x["network_participation"], 2), f(x["change_pct"], 4)]))' >"$T/got"
check_eq "16C practices: contract, per weighted, decile, flag, reason left out, core contract, participation, change" \
    "$(cat "$T/got")" "$(want practices)"
check_match "16C has a practice left out (the test covers one)" \
    "$(cat "$T/got")" "no registered patients"

# A flag and a decile depend only on the practice and its ICB: the same
# for every practice of U89141 and QHM whether --in names the PCN, the ICB
# or nothing, and as python says.
run_pccs --store "$S" table payments --year 2022-23 --format csv
england=$out
check_eq "CSV of every practice: no exponent notation" \
    "$(printf '%s\n' "$out" | grep -cE '[0-9][eE][+-]?[0-9]')" 0
for in in U89141 QHM; do
    run_pccs --store "$S" table payments --year 2022-23 --in "$in" --format csv
    check_eq "$in: exit 0" "$status" 0
    got code decile flag excluded >"$T/got.in"
    check_eq "$in: deciles, flags and reasons as python's" \
        "$(cat "$T/got.in")" "$(want flags "$in")"
    out=$england
    got code decile flag excluded >"$T/got.eng"
    awk -F, 'NR == FNR { c[$1]; next } $1 in c' "$T/got.in" "$T/got.eng" \
        >"$T/got.all"
    check_eq "$in: the same with and without --in" \
        "$(cat "$T/got.in")" "$(cat "$T/got.all")"
done
run_pccs --store "$S" table payments --year 2022-23 --in U89141 --format csv
check_eq "U89141: none of its 7 practices flagged (the audit's 5 of 7)" \
    "$(got flag | grep -c .)" 0
out=$england
printf '%s\n' "$out" | python3 -c '
import csv, sys
r = list(csv.DictReader(sys.stdin))
print("flagged", sum(1 for x in r if x["flag"]),
      sum(1 for x in r if x["flag"].startswith("below")))' >"$T/got"
out=$england
got excluded total | awk -F, '$1 != "" { n++; s += $NF } END {
    printf "left out %d %.2f\n", n, s }' >>"$T/got"
check_eq "England: flags, and practices left out with their pounds" \
    "$(cat "$T/got")" "$(want national)"
run_pccs --store "$S" table payments --year 2022-23
check_match "the rule and its source are named" "$out" \
    "fewer than 100 registered or 100 weighted patients \(.*payments.csv: local rule"

# No decile for England (nor any level above the PCN).
run_pccs --store "$S" table payments --year 2022-23 --level england --format csv
check_eq "England: no decile" "$(got code decile)" "ENG,"
check_eq "England total: no exponent" \
    "$(printf '%s\n' "$out" | grep -cE '[0-9][eE][+-]?[0-9]')" 0
check_num "England total = the file's" "$(got total)" \
    "$(python3 -c 'import csv, sys
r = csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig"))
t = sum(float(x["Total NHS Payments to General Practice"]) for x in r)
print("%.2f" % t)' "$P23")" 0.005
run_pccs --store "$S" table payments --year 2022-23 --level icb --format csv
check_eq "ICBs: no decile" "$(got decile | sort -u)" ""

# Contract type as each year's file gives it, for every practice.
for y in 2022-23:"$P23" 2020-21:"$P21"; do
    run_pccs --store "$S" table payments --year "${y%%:*}" --format csv
    got code contract_type | grep -v '^[^,]*,$' | sort >"$T/got"
    want contract "${y#*:}" | sort >"$T/want"
    check_eq "${y%%:*}: contract type of every practice as the file's" \
        "$(cat "$T/got")" "$(cat "$T/want")"
done
run_pccs --store "$S" table payments --year 2022-23 --in QHM --contract pms \
    --format csv
check_eq "--contract PMS: the PMS practices of QHM" "$(got code)" \
    "$(want contract-pms)"
run_pccs --store "$S" table payments --year 2022-23 --contract XYZ
check_eq "--contract XYZ: exit 1" "$status" 1
check_match "--contract XYZ: says which types there are" "$errout" \
    "no practice of contract type XYZ in 2022-23"
run_pccs --store "$S" table populations --contract PMS
check_eq "--contract on another table: usage error" "$status" 2

# Network participation is practice income: a PCN's is the sum of its
# practices' and inside total; the PCN's own DES lines are apart.
# U11112's PCN DES lines are paid to one of its practices.
for pcn in U89141 U11112; do
    run_pccs --store "$S" table payments --year 2022-23 --level pcn \
        --in "$pcn" --format csv
    check_eq "$pcn: participation, PCN DES, total" \
        "$(got network_participation pcn_des total | awk -F, '{
            printf "%.2f,%.2f,%.2f", $1, $2, $3 }')" "$(want pcn "$pcn")"
done
check_match "U11112 has PCN DES payments" "$(want pcn U11112)" \
    '^[1-9][0-9.]*,[1-9][0-9.]*,'


# Rolled up: an ICB's total is the sum of its practices'.
run_pccs --store "$S" table payments --year 2022-23 --level icb --in QHM --format csv
icb=$(got total)
run_pccs --store "$S" table payments --year 2022-23 --in QHM --format csv
prac=$(got total | awk '{ s += $1 } END { printf "%.2f", s }')
check_num "QHM total = sum of its practices" "$icb" "$prac" 0.05
run_pccs --store "$S" table payments
check_eq "no --year: exit 1" "$status" 1
check_match "no --year: says what to give" "$errout" "--year 2022-23"

done_testing
