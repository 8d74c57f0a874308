#!/bin/sh
# The payments table against python over the raw files: payments per
# weighted patient, national deciles, practices outside the 5th-95th
# percentile of their ICB (sub-ICB from the payments file, ICB from the
# October 2025 map), and the change from 2020-21.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
P23=$DATA/nhs-payments-to-general-practice_2022-23.csv
P21=$DATA/nhs-payments-to-general-practice_2020-21.csv
run_pccs --store "$S" load --quiet "$P23" "$P21" "$DATA/gp-reg-pat-prac-map_2025-10.csv"
check_eq "load" "$status" 0

python3 - "$P23" "$DATA/gp-reg-pat-prac-map_2025-10.csv" "$P21" >"$T/want" <<'PY'
import csv, math, sys
def rows(p):
    r = list(csv.reader(open(p, newline='', encoding='utf-8-sig')))
    h = [c.replace('\n', ' ') for c in r[0]]
    return h, r[1:]
h, r = rows(sys.argv[1])
tot = h.index('Total NHS Payments to General Practice')
icb_of = {m['SUB_ICB_LOCATION_CODE']: m['ICB_CODE'] for m in
          csv.DictReader(open(sys.argv[2]))}
ppw = {x[6]: float(x[tot]) / float(x[18]) for x in r if float(x[18]) > 0}
order = sorted(ppw, key=lambda c: (ppw[c], c))
dec = {c: math.ceil(10 * (i + 1) / len(order)) for i, c in enumerate(order)}
def pct(v, p):
    v = sorted(v); h_ = (len(v) - 1) * p / 100; lo = math.floor(h_)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (h_ - lo) * (v[hi] - v[lo])
by_icb = {}
for x in r:
    if x[6] in ppw and x[2] in icb_of:
        by_icb.setdefault(icb_of[x[2]], []).append(x[6])
flags = {}
for icb, codes in by_icb.items():
    lo, hi = pct([ppw[c] for c in codes], 5), pct([ppw[c] for c in codes], 95)
    for c in codes:
        if ppw[c] < lo: flags[c] = 'below 5th percentile of ' + icb
        elif ppw[c] > hi: flags[c] = 'above 95th percentile of ' + icb
h2, r2 = rows(sys.argv[3])
tot2 = h2.index('Total NHS Payments to General Practice')
old = {x[6]: float(x[tot2]) / float(x[18]) for x in r2 if float(x[18]) > 0}
for x in sorted(r, key=lambda x: x[6]):
    c = x[6]
    if x[2] != '16C' or c not in ppw:  # no weighted patients, no rate
        continue
    ch = f"{(ppw[c] - old[c]) / old[c] * 100:.4f}" if c in old else ''
    print(f"{c},{ppw[c]:.4f},{dec[c]},{flags.get(c, '')},{ch}")
print('flagged', len(flags), sum(1 for f in flags.values() if f.startswith('below')))
PY
run_pccs --store "$S" table payments --year 2022-23 --in 16C --compare 2020-21 \
    --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 && $12 != "" {
    ch = $16 == "" ? "" : sprintf("%.4f", $16)
    printf "%s,%.4f,%s,%s,%s\n", $1, $12, $13, $14, ch }' >"$T/got"
run_pccs --store "$S" table payments --year 2022-23 --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 && $14 != "" { n++; if ($14 ~ /^below/) b++ }
    END { print "flagged", n, b }' >>"$T/got"
check_eq "16C practices: per weighted, decile, flag, change; national flags" \
    "$(cat "$T/got")" "$(cat "$T/want")"

# Rolled up: an ICB's total is the sum of its practices'.
run_pccs --store "$S" table payments --year 2022-23 --level icb --in QHM --format csv
icb=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR == 2 { printf "%.2f", $7 }')
run_pccs --store "$S" table payments --year 2022-23 --in QHM --format csv
prac=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $7 } END { printf "%.2f", s }')
check_num "QHM total = sum of its practices" "$icb" "$prac" 0.05
run_pccs --store "$S" table payments
check_eq "no --year: exit 1" "$status" 1
check_match "no --year: says what to give" "$errout" "--year 2022-23"

done_testing
