#!/bin/sh
# Every layout of NHS Payments to General Practice from 2014-15 (issue 15):
# each year's file is recognised by its header and given its financial
# year; registered and weighted patients by region (area teams in 2014-15,
# sub-regional teams 2015-16 to 2018-19, regions from 2019-20), the total
# paid and the number of practices equal python over the raw file; a
# named practice's figures; no PCN links before 2019-20; the CCG-era
# region links end with their year, so loading the old years changes no
# table of a later day; a layout not seen is refused with the columns the
# closest known layout expected, and loads with --period.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
YEARS="2014-15 2015-16 2016-17 2018-19 2019-20"

cat >"$T/want.py" <<'PY'
import csv, sys
path, what = sys.argv[1:3]
rows = list(csv.DictReader(open(path, newline='', encoding='utf-8-sig')))
REG = 'Number of Registered Patients (Last Known Figure)'
W = 'Number of Weighted Patients (Last Known Figure)'
TOT = 'Total NHS Payments to General Practice'
def num(x):
    return float(x) if x.strip() else 0.0
if what == 'regions':
    by = {}
    for x in rows:
        r = by.setdefault(x['NHS England (Region) code'], [0, 0.0, 0.0])
        r[0] += 1
        r[1] += num(x[REG])
        r[2] += num(x[W])
    for code in sorted(by):
        n, reg, w = by[code]
        print(f'{code},{n},{reg:.2f},{w:.2f}')
elif what == 'england':
    print(len(rows), f'{sum(num(x[TOT]) for x in rows):.2f}')
elif what == 'pcn_links':
    print(sum(1 for x in rows if 'PCN Code' in x))
else:
    x = [x for x in rows if x['Practice Code'] == what][0]
    print(f"{num(x[REG]):.2f},{num(x[W]):.2f},{num(x['Global Sum']):.2f},"
          f"{num(x[TOT]):.2f}")
PY

# Regions of the table: code, practices, registered, weighted (2 dp).
cat >"$T/regions.py" <<'PY'
import json, sys
for r in sorted(json.load(sys.stdin)['rows'], key=lambda r: r['code']):
    print(f"{r['code']},{r['practices']},{r['registered']:.2f},"
          f"{r['weighted']:.2f}")
PY
regions() {
    "$PCCS" --store "$S" table payments --year "$1" --level region \
        --format json | python3 "$T/regions.py"
}

for y in $YEARS; do
    f=$DATA/nhs-payments-to-general-practice_$y.csv
    run_pccs --store "$S" load "$f"
    check_match "$y: recognised, year from the layout" "$out" \
        "loaded payments, period $y, "
    check_eq "$y: by region (code, practices, registered, weighted)" \
        "$(regions "$y")" "$(python3 "$T/want.py" "$f" regions)"
    got=$("$PCCS" --store "$S" table payments --year "$y" --level england \
        --format csv | awk -F, 'NR == 2 { printf "%s %.2f", $5, $8 }')
    check_eq "$y: practices and total paid for England" "$got" \
        "$(python3 "$T/want.py" "$f" england)"
done

# 2014-15 names the 25 area teams; 2016-17 the sub-regional teams.
check_eq "2014-15: area teams" \
    "$(regions 2014-15 | wc -l | tr -d ' ')" 25
check_match "2016-17: Q74 is a region of that year" "$(regions 2016-17)" \
    "^Q74,467,3328328.00,3633084.55$"

# A named practice: registered, weighted, global sum, total.
f=$DATA/nhs-payments-to-general-practice_2016-17.csv
got=$("$PCCS" --store "$S" table payments --year 2016-17 --level practice \
    --format csv | awk -F, '$1 == "A81001" {
        printf "%.2f,%.2f,%.2f,%.2f", $6, $7, $9, $8 }')
check_eq "2016-17: A81001's figures" "$got" \
    "$(python3 "$T/want.py" "$f" A81001)"

# Dates written "-" in 2014-15 are no date; the quarter is kept.
check_eq "2014-15: '-' is no close date" \
    "$(sql "$S" "SELECT ifnull(close_date, 'none') FROM orgs
                 WHERE code = 'N81632'")" none
check_eq "2014-15: quarter used for patient data" \
    "$(sql "$S" "SELECT a.value FROM attrs a JOIN sources s
                 ON s.id = a.source_id WHERE a.org = 'N81632'
                 AND a.key = 'patient_data_quarter'
                 AND s.period = '2014-15'")" Q2

# PCN links only from 2019-20 (one per practice, none before).
check_eq "no PCN links before 2019-20" \
    "$(sql "$S" "SELECT count(*) FROM links l JOIN sources s
                 ON s.id = l.source_id WHERE l.parent_level = 'pcn'
                 AND s.period < '2019-20'")" 0
check_eq "2019-20: a PCN link per practice" \
    "$(sql "$S" "SELECT count(*) FROM links l JOIN sources s
                 ON s.id = l.source_id WHERE l.parent_level = 'pcn'
                 AND l.child GLOB '[A-Z][0-9]*' AND s.period = '2019-20'")" \
    "$(python3 "$T/want.py" "$DATA/nhs-payments-to-general-practice_2019-20.csv" pcn_links)"
check_eq "2016-17: region links end with the year" \
    "$(sql "$S" "SELECT DISTINCT l.end_date FROM links l JOIN sources s
                 ON s.id = l.source_id WHERE l.parent_level = 'region'
                 AND s.period = '2016-17'")" 2017-03-31

# Loading the old years changes no table of a later day.
S2=$T/s2.db
LATER="$DATA/nhs-payments-to-general-practice_2020-21.csv
$DATA/gp-reg-pat-prac-all_2021-01.csv $DATA/gp-reg-pat-prac-map_2020-09.csv"
"$PCCS" --store "$S2" load --quiet $LATER
before=$("$PCCS" --store "$S2" table populations --level region --format csv)
"$PCCS" --store "$S2" load --quiet \
    "$DATA"/nhs-payments-to-general-practice_201[4-9]-*.csv
after=$("$PCCS" --store "$S2" table populations --level region --format csv)
check_eq "old years leave the 2021 regions as they were" "$after" "$before"

# A layout not seen: the 2018-19 file without its Pertussis column.
python3 - "$DATA/nhs-payments-to-general-practice_2018-19.csv" \
    "$T/odd.csv" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
r = list(csv.reader(open(src, newline='')))
k = r[0].index('Pertussis')
w = csv.writer(open(dst, 'w', newline=''), lineterminator='\r\n')
for x in r:
    w.writerow(x[:k] + x[k + 1:])
PY
run_pccs --store "$T/odd.db" load "$T/odd.csv"
check_eq "unknown layout refused (exit 1)" "$status" 1
check_eq "unknown layout: file, line, column; the closest layout and the \
column it expected" "$errout" \
    "pccs: $T/odd.csv:1:1: cannot tell the financial year from this layout \
(50 columns): the closest known layout, 2018-19 (51 columns, expected \
\"Pertussis\"), differs; give --period, e.g. --period 2023-24"
run_pccs --store "$T/odd.db" load --period 2017-18 "$T/odd.csv"
check_match "with --period it loads, no PCN column needed before 2019-20" \
    "$out" "loaded payments, period 2017-18, 7279 rows"
run_pccs --store "$T/odd2.db" load --period 2020-21 "$T/odd.csv"
check_match "a year of PCNs without a PCN column is refused" "$errout" \
    "odd.csv:1:51: expected a PCN code column"

done_testing
