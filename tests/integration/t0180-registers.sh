#!/bin/sh
# Local registers: the templates of data/templates load (CSV and xlsx) for
# a real ICB on top of the bundled NHS files; every derived figure against
# python over the templates (overdue counts, risk scores and RAG, tenure
# shares, void cost, budget variance and movement, closures in force,
# support payments, visit gaps, the care home premium); bad rows refused
# with file:line:col and the store unchanged; a round trip through CSV
# and xlsx exports gives identical tables.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
TPL=data/templates
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "NHS files" "$status" 0
run_pccs --store "$S" load --quiet "$TPL"/*.csv
check_eq "every CSV template loads" "$status" 0
check_eq "ten registers" "$(sql "$S" "select count(*) from sources where kind like 'register_%'")" 10

AT=2022-06-01
tables="programme-status milestones risks estates budget list-closures support-payments visits"

# Derived figures, computed by python from the templates alone.
python3 - "$TPL" "$AT" data/rules/risk.csv data/rates/pcn.csv >"$T/want" <<'PY'
import csv, datetime, sys
tpl, at, riskrules, rates = sys.argv[1], datetime.date.fromisoformat(sys.argv[2]), sys.argv[3], sys.argv[4]
rd = lambda f: list(csv.DictReader(open(f'{tpl}/{f}.csv', newline='')))
d = lambda s: datetime.date.fromisoformat(s) if s else None
# programme-status: overdue instead of status when due before AT and not achieved
ws = {}
for r in rd('programmes'):
    st = r['status']
    k = 'achieved' if st == 'achieved and closed' else 'overdue' if d(r['due_date']) < at else 'in progress' if st == 'in progress' else 'not started'
    ws.setdefault(r['workstream'], {}).setdefault(k, 0)
    ws[r['workstream']][k] += 1
tot = {}
for w, c in ws.items():
    print('ps', w, *[c.get(k, 0) for k in ('not started', 'achieved', 'in progress', 'overdue')], sum(c.values()))
    for k, v in c.items(): tot[k] = tot.get(k, 0) + v
print('ps', 'Total', *[tot.get(k, 0) for k in ('not started', 'achieved', 'in progress', 'overdue')], sum(tot.values()))
# risks: score desc, RAG by band
bands = [(float(b['score_from']), float(b['score_to']), b['rag']) for b in csv.DictReader(open(riskrules))]
rs = sorted(rd('risks'), key=lambda r: -int(r['likelihood']) * int(r['impact']))
for r in rs:
    s = int(r['likelihood']) * int(r['impact'])
    print('risk', r['risk_id'], s, [g for a, b, g in bands if a <= s <= b][0], 'yes' if d(r['review_date']) < at else 'no')
# estates: per place and tenure, area %, void %, void cost
es = rd('estates')
for p in dict.fromkeys(r['place'] for r in es):
    rows = [r for r in es if r['place'] == p]
    area = sum(float(r['area_m2']) for r in rows)
    for t in ('freehold', 'leasehold', 'NHS Property Services', 'LIFT'):
        tr = [r for r in rows if r['tenure'] == t]
        if not tr: continue
        a = sum(float(r['area_m2']) for r in tr); v = sum(float(r['void_m2']) for r in tr)
        vc = sum(float(r['annual_cost']) * float(r['void_m2']) / float(r['area_m2']) for r in tr)
        print('est', p, t.replace(' ', '_'), f"{a / area * 100:.4f} {v / a * 100:.4f} {vc:.2f}")
# budget: per line and total, variance = forecast - plan
b = rd('budget'); lines = list(dict.fromkeys(r['line'] for r in b))
T = [0, 0, 0]
for l in lines:
    x = [sum(float(r[c]) for r in b if r['line'] == l) for c in ('plan', 'actual', 'forecast')]
    T = [T[i] + x[i] for i in range(3)]
    print('bud', l.replace(' ', '_'), f"{x[0]:.2f} {x[2]:.2f} {x[2] - x[0]:.2f}")
print('bud', 'Total', f"{T[0]:.2f} {T[2]:.2f} {T[2] - T[0]:.2f}")
# closures in force at AT; support payments total
for r in rd('list_closures'):
    print('clo', r['practice_code'], 'yes' if d(r['closed_from']) <= at <= d(r['closed_to']) else 'no')
print('pay', f"{sum(float(r['amount']) for r in rd('support_payments')):.2f}")
# visits: practices of U89141 (September 2020 map) not visited since AT - 18 months
mo = at.year * 12 + at.month - 1 - 18
since = datetime.date(mo // 12, mo % 12 + 1, min(at.day, 28))
m = [r['PRACTICE_CODE'] for r in csv.DictReader(open('data/nhs/gp-reg-pat-prac-map_2020-09.csv', newline='')) if r['PCN_CODE'] == 'U89141']
last = {}
for r in rd('visits'):
    if d(r['visit_date']) <= at: last[r['practice_code']] = max(last.get(r['practice_code'], d(r['visit_date'])), d(r['visit_date']))
print('vis', *sorted(p for p in m if p not in last or last[p] < since))
# care home premium 2021-22 for U89141: beds x the year's rate
rate = [float(r['value']) for r in csv.DictReader(open(rates)) if r['financial_year'] == '2021-22' and r['item'] == 'care_home_premium_per_bed'][0]
beds = sum(int(r['beds']) for r in rd('care_home_beds') if r['beds_org_code'] == 'U89141')
print('chp', f"{beds * rate:.2f}")
PY

got() {
    st=$1
    "$PCCS" --store "$st" table programme-status --at $AT --format csv | tsv |
        awk -F'\t' 'NR > 1 { print "ps", $1, $2, $3, $4, $5, $6 }'
    "$PCCS" --store "$st" table risks --at $AT --format csv | tsv |
        awk -F'\t' 'NR > 1 { print "risk", $1, $9, $10, $11 }'
    "$PCCS" --store "$st" table estates --format csv | tsv |
        awk -F'\t' 'NR > 1 && $2 != "all" { t = $2; gsub(/ /, "_", t)
            printf "est %s %s %.4f %.4f %.2f\n", $1, t, $5, $7, $9 }'
    "$PCCS" --store "$st" table budget --format csv | tsv |
        awk -F'\t' 'NR > 1 { l = $1; gsub(/ /, "_", l)
            printf "bud %s %.2f %.2f %.2f\n", l, $2, $4, $5 }'
    "$PCCS" --store "$st" table list-closures --at $AT --format csv | tsv |
        awk -F'\t' 'NR > 1 { print "clo", $1, $8 }'
    "$PCCS" --store "$st" table support-payments --format csv | tsv |
        awk -F'\t' '$1 == "Total" { printf "pay %.2f\n", $4 }'
    "$PCCS" --store "$st" table visits --at $AT --in U89141 --format csv | tsv |
        awk -F'\t' 'NR > 1 { v = v " " $1 } END { print "vis" v }'
    "$PCCS" --store "$st" table entitlements --year 2021-22 --in U89141 --format csv | tsv |
        awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "care_home_premium") c = i }
            NR > 1 { printf "chp %.2f\n", $c }'
}
got "$S" >"$T/got"
check_eq "derived figures = python over the templates" "$(cat "$T/got")" "$(cat "$T/want")"

# The xlsx templates load the same.
X=$T/x.db
run_pccs --store "$X" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx "$TPL"/*.xlsx
check_eq "every xlsx template loads" "$status" 0
got "$X" >"$T/gotx"
check_eq "xlsx templates give the same figures" "$(cat "$T/gotx")" "$(cat "$T/want")"

# Places are in the tree: an organisation with members and a parent.
run_pccs --store "$S" orgs --level place --format csv
check_match "places in the tree" "$out" "PL16C1,Stockton-on-Tees locality,place,16C"

# A list closure in force rates the practice amber in resilience.
run_pccs --store "$S" table resilience --in A81004 --at $AT --format csv
check_match "resilience: closure in force (amber, with the reason)" "$out" \
    "^A81004,.*,1,amber,.*list_closures 1 above 0 \\(amber\\)"

# Budget movement: a second load with new forecasts.
awk -F, 'BEGIN { OFS = "," } NR > 1 { $5 = $5 + 1000 } { print }' "$TPL/budget.csv" >"$T/budget-june.csv"
run_pccs --store "$S" load --quiet "$T/budget-june.csv"
run_pccs --store "$S" table budget --format csv
check_eq "movement since the last load: +1,000 per month line" \
    "$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { printf "%s=%.0f;", $1, $7 }')" \
    "GMS global sum=2000;Enhanced services=2000;Premises=1000;Total=5000;"

# Round trip: export every register (CSV and xlsx), load into a fresh
# store, identical tables.
for fmt in csv xlsx; do
    R=$T/r-$fmt.db
    "$PCCS" --store "$R" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx >/dev/null
    mkdir -p "$T/exp-$fmt"
    for reg in places programmes milestones risks estates budget list_closures support_payments visits care_home_beds; do
        "$PCCS" --store "$X" table register --group $reg --format $fmt \
            --out "$T/exp-$fmt/$reg.$fmt" || echo "export $reg failed"
        "$PCCS" --store "$R" load --quiet "$T/exp-$fmt/$reg.$fmt" >/dev/null || echo "load $reg failed"
    done
    bad=0
    for t in $tables; do
        a=$("$PCCS" --store "$X" table "$t" --at $AT --format csv)
        b=$("$PCCS" --store "$R" table "$t" --at $AT --format csv)
        [ "$a" = "$b" ] || bad=$((bad + 1))
    done
    check_eq "round trip through $fmt: every register table identical" "$bad" 0
done

# Bad rows: refused whole, file:line:col, the store unchanged.
before=$(store_dump "$S" | sha256sum)
i=0
while IFS='|' read -r file line col want; do
    i=$((i + 1))
    cp "$TPL/$file" "$T/bad$i-$file"
    python3 - "$T/bad$i-$file" "$line" "$col" "$want" <<'PY'
import csv, sys
f, line, col, bad = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = list(csv.reader(open(f, newline='')))
rows[line - 1][col - 1] = bad
csv.writer(open(f, 'w', newline=''), lineterminator='\n').writerows(rows)
PY
    run_pccs --store "$S" load "$T/bad$i-$file"
    check_eq "bad $file ($want): exit 1" "$status" 1
    check_match "... names file:$line:$col" "$errout" "bad$i-$file:$line:$col: "
done <<EOF2
visits.csv|2|1|Z99999
visits.csv|3|2|2022-02-30
visits.csv|4|3|inspection
programmes.csv|3|7|done
risks.csv|2|5|6
places.csv|2|6|2020-01-01
estates.csv|3|2|U89141
list_closures.csv|2|1|A81003
support_payments.csv|2|3|-5
budget.csv|2|3|lots
programmes.csv|2|4|U09980
estates.csv|2|3|PL99X9
EOF2
check_eq "store unchanged after every refusal" "$(store_dump "$S" | sha256sum)" "$before"
run_pccs --store "$S" load "$T/bad6-places.csv"
check_match "places: end before start says so" "$errout" "expected a date on or after start_date"
run_pccs --store "$S" load "$T/bad8-list_closures.csv"
check_match "a practice closed on the row's date" "$errout" "open on the row's date"
run_pccs --store "$S" load "$T/bad11-programmes.csv"
check_match "a programme owned by a PCN formed after its start (U09980, 2022-04-01)" "$errout" \
    "bad11-programmes.csv:2:4: org_code: expected an organisation open on the row's date"
run_pccs --store "$S" load "$T/bad12-estates.csv"
check_match "an estates row in a place the places register does not have" "$errout" \
    "bad12-estates.csv:2:3: place: expected a place code of the places register"
# Given together, places load before the registers that name them, and
# the published files before both, whatever the order on the line.
O=$T/order.db
run_pccs --store "$O" load --quiet "$TPL/estates.csv" "$TPL/places.csv" "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "estates, places and the NHS files in that order on the line: all load" "$status" 0
check_eq "... published files first, then places, then estates" \
    "$(sql "$O" "select kind from sources where kind like 'register_%' or id = 1 order by id" | tr '\n' ' ')" \
    "epraccur register_places register_estates "

done_testing
