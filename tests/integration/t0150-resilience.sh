#!/bin/sh
# The resilience table for every practice in England against python over
# the raw files and data/rules/resilience.csv: list size and its change
# over 12 months (the real January 2021 registrations and a January 2022
# snapshot generated from them), GP FTE per 10,000 weighted patients (a
# GP workforce file generated in the published layout), payments per
# weighted patient and QOF per registered patient (2022-23 payments); ICB
# percentiles, each indicator's RAG, the overall rating.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
G="$T/General Practice - September 2022 Practice Level - Detailed.csv"
python3 scripts/gen-gpw --out "$G"
# A January 2022 snapshot: every list moved by -12% .. +20%, fixed seed.
python3 - "$DATA/gp-reg-pat-prac-all_2021-01.csv" "$T/reg-2022.csv" <<'PY'
import csv, random, sys
rng = random.Random(11)
rows = list(csv.reader(open(sys.argv[1], newline='')))
with open(sys.argv[2], 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for r in rows[1:]:
        r[1] = '01JAN2022'
        r[9] = str(int(int(r[9]) * rng.uniform(0.88, 1.20)))
        w.writerow(r)
PY
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$T/reg-2022.csv" "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv" "$G"
check_eq "load" "$status" 0

# The expected ratings; with "-" for the GP workforce file, without it
# (the generated file is left out unless --include-synthetic).
cat >"$T/want.py" <<'PY'
import csv, math, sys
d, reg22, gpw, rules_path = sys.argv[1:5]
def reg(path):
    return {r['CODE']: int(r['NUMBER_OF_PATIENTS']) for r in csv.DictReader(open(path, newline=''))}
now, before = reg(reg22), reg(d + '/gp-reg-pat-prac-all_2021-01.csv')
ccg = {r['CODE']: r['CCG_CODE'] for r in csv.DictReader(open(reg22, newline=''))}
stp = {r['CCG_CODE']: r['STP_CODE'] for r in csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv', newline=''))}
pay = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2022-23.csv', newline='', encoding='utf-8-sig')))
h = pay[0]
ti, qi = h.index('Total NHS Payments to General Practice'), h.index('Total QOF Payments')
P = {r[6].strip(): (float(r[17]), float(r[18]), float(r[ti]), float(r[qi])) for r in pay[1:]}
v = {}
def put(code, i, x):
    v.setdefault(code, [math.nan] * 7)[i] = x
for c, n in now.items():
    put(c, 0, n)
    if before.get(c, 0) > 0:
        put(c, 1, (n / before[c] - 1) * 100)
for r in csv.DictReader(open(gpw, newline='')) if gpw != '-' else []:
    c = r['PRAC_CODE']
    if r['TOTAL_GP_FTE'] != 'NA' and c in P and P[c][1] > 0:
        put(c, 2, float(r['TOTAL_GP_FTE']) * 10000 / P[c][1])
# Practices the payments table leaves out (data/rules/payments.csv) are
# not rated on payments per weighted patient.
mins = {r['parameter']: float(r['value']) for r in
        csv.DictReader(open(d + '/../rules/payments.csv', newline=''))}
for c, (rg, wt, tot, qof) in P.items():
    if rg >= mins['min_registered'] and wt >= mins['min_weighted']:
        put(c, 3, tot / wt)
    if rg > 0:
        put(c, 4, qof / rg)
names = ['list_size', 'list_change_12m_pct', 'gp_fte_per_10000',
         'payments_per_weighted', 'qof_per_registered', 'dna_pct', 'list_closures']
rules = list(csv.DictReader(open(rules_path, newline='')))
# The ICB: the practice's CCG in the snapshot, else its sub-ICB in the
# payments file, through the September 2020 map's CCG -> STP.
sub = {r[6].strip(): r[2].strip() for r in pay[1:]}
icb = {c: stp.get(ccg.get(c) or sub.get(c)) for c in v}
def pct(xs, p):
    xs = sorted(x for x in xs if not math.isnan(x))
    if not xs:
        return math.nan
    k = (len(xs) - 1) * p / 100
    f = math.floor(k)
    return xs[f] if f + 1 >= len(xs) else xs[f] + (xs[f + 1] - xs[f]) * (k - f)
cache = {}
def against(c, rule):
    t = float(rule['threshold'])
    if 'percentile' not in rule['comparator']:
        return t
    i = names.index(rule['indicator'])
    key = (icb[c], i, t)
    if key not in cache:
        cache[key] = pct([v[o][i] for o in v if icb[o] == icb[c] and icb[c]], t) if icb[c] else math.nan
    return cache[key]
for c in sorted(v):
    rags, reds, ambers = [], 0, 0
    for i, n in enumerate(names):
        x = v[c][i]
        if math.isnan(x):
            rags.append('none'); continue
        rag = 'green'
        for want in ('red', 'amber'):
            for ru in rules:
                if ru['indicator'] != n or ru['rag'] != want:
                    continue
                a = against(c, ru)
                if math.isnan(a):
                    continue
                if (x < a) if ru['comparator'].startswith('below') else (x > a):
                    rag = want; break
            if rag != 'green':
                break
        rags.append(rag)
        reds += rag == 'red'; ambers += rag == 'amber'
    overall = 'green'
    for want in ('red', 'amber'):
        for ru in rules:
            if ru['indicator'] == 'overall' and ru['rag'] == want:
                cnt = reds if ru['comparator'] == 'count_red_at_least' else ambers
                if cnt >= float(ru['threshold']):
                    overall = want; break
        if overall != 'green':
            break
    print(c, ' '.join(rags), overall)
PY
python3 "$T/want.py" "$DATA" "$T/reg-2022.csv" "$G" data/rules/resilience.csv >"$T/want"
# The GP workforce file here is generated (scripts/gen-gpw): rated with
# it only when asked (issue 12).
run_pccs --store "$S" table resilience --format csv --include-synthetic
check_eq "resilience: exit 0" "$status" 0
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    print $1, $6, $8, $10, $12, $14, $16, $18, $21 }' >"$T/got"
check_eq "every practice: each indicator's RAG and overall (python)" \
    "$(cat "$T/got")" "$(cat "$T/want")"
check_eq "... over all England's practices" "$(wc -l <"$T/got")" "$(wc -l <"$T/want")"
reds=$(awk '$NF == "red"' "$T/got" | wc -l)
check_eq "some practices are rated red" "$(test "$reds" -gt 100 && echo yes)" yes
run_pccs --store "$S" table resilience --in QHM --format json --include-synthetic
check_match "... and say they rest on synthetic data" "$out" \
    '"synthetic": true'
check_match "... naming the generated file" "$out" \
    "SYNTHETIC: General Practice Workforce, practice level \\(.*Detailed.csv\\)"

# Without --include-synthetic: no indicator from the generated file, the
# ratings as python gives them without it, and the notes say what was
# left out and why.
python3 "$T/want.py" "$DATA" "$T/reg-2022.csv" - data/rules/resilience.csv >"$T/want"
run_pccs --store "$S" table resilience --format csv
check_eq "default: exit 0" "$status" 0
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    print $1, $6, $8, $10, $12, $14, $16, $18, $21 }' >"$T/got"
check_eq "default: no gp_fte_per_10000, ratings without it (python)" \
    "$(cat "$T/got")" "$(cat "$T/want")"
check_eq "... no practice has a GP FTE figure" \
    "$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 && $9 != ""' | wc -l)" 0
run_pccs --store "$S" table resilience --in QHM --format json
check_match "... the notes say it was left out" "$out" \
    "gp_fte_per_10000: left out: it rests on synthetic"
check_eq "... and the table is not marked synthetic" \
    "$(printf '%s\n' "$out" | grep -c '"synthetic": true')" 0
check_eq "... and no reason names it" \
    "$(printf '%s\n' "$out" | grep -c 'gp_fte_per_10000 [0-9]')" 0

# Reasons name the rule and the figure; one practice explained.
run_pccs --store "$S" table resilience --in A81602 --format csv
check_match "reasons say why" "$out" "list_size [0-9]* below 2500 \\(red\\)"
# Rules are data: a local rules file changes the rating.
mkdir "$T/rules"
cp data/rules/disclosure.csv "$T/rules/"
printf 'indicator,comparator,threshold,rag,source\nlist_size,above_value,0,red,test\noverall,count_red_at_least,1,red,test\n' \
    >"$T/rules/resilience.csv"
PCCS_RULES=$T/rules run_pccs --store "$S" table resilience --in A81602 --format csv
check_match "PCCS_RULES: a local rules file" "$out" ",red,[^,]*list_size [0-9]* above 0 \\(red\\)"
printf 'indicator,comparator,threshold,rag,source\nlist_size,sideways,0,red,test\n' \
    >"$T/rules/resilience.csv"
PCCS_RULES=$T/rules run_pccs --store "$S" table resilience
check_eq "a bad rule: exit 1" "$status" 1
check_match "... names file:line:col" "$errout" "resilience.csv:2:2: expected a comparator"
run_pccs --store "$S" table resilience --level pcn
check_eq "--level pcn refused" "$status" 1

done_testing
