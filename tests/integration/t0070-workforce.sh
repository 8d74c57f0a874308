#!/bin/sh
# Workforce per 10,000 weighted patients against python over the raw files:
# FTE and people by staff group from the PCN workforce file, the PCN's
# weighted population from the 2022-23 payments file (PCN in its "Code"
# column).
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/pcn-workforce-individual-level_2022-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load" "$status" 0

python3 - "$DATA" >"$T/want" <<'PY'
import csv, sys
d = sys.argv[1]
rows = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2022-23.csv',
                            newline='', encoding='utf-8-sig')))
w = {}
for r in rows[1:]:
    w[r[4].strip()] = w.get(r[4].strip(), 0) + float(r[18])
fte, people = {}, {}
for r in csv.DictReader(open(d + '/pcn-workforce-individual-level_2022-09.csv',
                             encoding='cp1252', newline='')):
    if r['PCN_CODE'] != 'U02671':
        continue
    g = r['STAFF_GROUP']
    fte[g] = fte.get(g, 0) + float(r['FTE'])
    people.setdefault(g, set()).add((r['Data_source'], r['STAFF_ROLE'],
                                     r['DETAILED_STAFF_ROLE'], r['UNIQUE_IDENTIFIER']))
for g in sorted(fte):
    print(f"{g},{fte[g]:.4f},{len(people[g])},{w['U02671']:.2f},"
          f"{fte[g] * 10000 / w['U02671']:.4f}")
PY
run_pccs --store "$S" table workforce --in U02671 --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    printf "%s,%.4f,%d,%.2f,%.4f\n", $4, $5, $6, $7, $8 }' >"$T/got"
check_eq "U02671 by staff group (python)" "$(cat "$T/got")" "$(cat "$T/want")"

# England: the FTE of every staff group adds up to the file's total FTE.
run_pccs --store "$S" table workforce --level england --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $5 } END { printf "%.3f", s }')
want=$(python3 - "$DATA/pcn-workforce-individual-level_2022-09.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding='cp1252', newline=''))
print(f"{sum(float(r['FTE']) for r in rows):.3f}")
PY
)
check_eq "England FTE = the file's total" "$got" "$want"
# By role within one staff group.
run_pccs --store "$S" table workforce --in U02671 --group Directors --format csv
check_match "roles within a group" "$out" "^code,name,parent_code,staff_role,"
run_pccs --store "$S" table workforce --level practice
check_eq "practice level refused" "$status" 1

done_testing
