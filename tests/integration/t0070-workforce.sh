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
    # Distinct people in the group (issue 12: not the sum of its roles').
    people.setdefault(g, set())
    if r['UNIQUE_IDENTIFIER'] not in ('', 'NULL'):
        people[g].add(r['UNIQUE_IDENTIFIER'])
for g in sorted(fte):
    print(f"{g},{fte[g]:.4f},{len(people[g])},{w['U02671']:.2f},"
          f"{fte[g] * 10000 / w['U02671']:.4f}")
PY
run_pccs --store "$S" table workforce --in U02671 --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 {
    printf "%s,%.4f,%d,%.2f,%.4f\n", $5, $6, $7, $9, $10 }' >"$T/got"
check_eq "U02671 by staff group (python)" "$(cat "$T/got")" "$(cat "$T/want")"

# England: the FTE of every staff group adds up to the file's total FTE.
run_pccs --store "$S" table workforce --level england --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $6 } END { printf "%.3f", s }')
want=$(python3 - "$DATA/pcn-workforce-individual-level_2022-09.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding='cp1252', newline=''))
print(f"{sum(float(r['FTE']) for r in rows):.3f}")
PY
)
check_eq "England FTE = the file's total" "$got" "$want"

# Headcount is distinct people (issue 12): at England per staff group and
# for every PCN of one ICB by group, and per role within a group; rows
# with no person identifier (contracted services, published as NULL) are
# counted apart; FTE as published, contracted services included.
cat >"$T/hc.py" <<'PY'
import csv, sys
f, level, icb, by = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
fte, people, contracted = {}, {}, {}
for r in csv.DictReader(open(f, encoding='cp1252', newline='')):
    if icb and r['ICB_CODE'] != icb:
        continue
    if by == 'role' and r['STAFF_GROUP'] != 'Other Direct Patient Care staff':
        continue
    k = ('ENG' if level == 'england' else r['PCN_CODE'],
         r['STAFF_ROLE'] if by == 'role' else r['STAFF_GROUP'])
    fte[k] = fte.get(k, 0) + float(r['FTE'])
    people.setdefault(k, set())
    contracted.setdefault(k, 0)
    if r['UNIQUE_IDENTIFIER'] in ('', 'NULL'):
        contracted[k] += 1
    else:
        people[k].add(r['UNIQUE_IDENTIFIER'])
for k in sorted(fte):
    print(f"{k[0]},{k[1]},{fte[k]:.3f},{len(people[k])},{contracted[k]}")
PY
WF="$DATA/pcn-workforce-individual-level_2022-09.csv"
hc() {
    printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 && $4 == "PCN workforce" {
        printf "%s,%s,%.3f,%d,%d\n", $1, $5, $6, $7, $8 }' | sort
}
run_pccs --store "$S" table workforce --level england --format csv
check_eq "England: headcount = distinct people by group (python)" "$(hc)" \
    "$(python3 "$T/hc.py" "$WF" england '' group | sort)"
check_match "... Other Direct Patient Care 12,063 people, not 13,659" "$(hc)" \
    "^ENG,Other Direct Patient Care staff,[0-9.]*,12063,"
run_pccs --store "$S" table workforce --level england --group \
    "Other Direct Patient Care staff" --format csv
check_eq "England: headcount by role (python)" "$(hc)" \
    "$(python3 "$T/hc.py" "$WF" england '' role | sort)"
icb=$(python3 - "$WF" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding='cp1252', newline='')):
    if r['PCN_CODE'] == 'U02671':
        print(r['ICB_CODE']); break
PY
)
run_pccs --store "$S" table workforce --level pcn --in "$icb" --format csv
check_eq "every PCN of $icb: distinct people by group (python)" "$(hc)" \
    "$(python3 "$T/hc.py" "$WF" pcn "$icb" group | sort)"
check_eq "... $icb has PCNs" "$(hc | cut -d, -f1 | sort -u | wc -l | \
    awk '{ print ($1 > 10) }')" 1
# By role within one staff group.
run_pccs --store "$S" table workforce --in U02671 --group Directors --format csv
check_match "roles within a group" "$out" "^code,name,parent_code,publication,staff_role,"
run_pccs --store "$S" table workforce --level practice
check_eq "practice level without GP workforce: exit 1" "$status" 1
check_match "... says what to load" "$errout" "GP workforce practice-level"

# GP workforce, practice level: a file generated in the published layout
# for the practices of the 2022-23 payments file (scripts/gen-gpw), loaded
# with the ePCN memberships; a PCN's staff groups and England's GP FTE
# against python over the generated file.
G="$T/General Practice - September 2022 Practice Level - Detailed.csv"
python3 "$ROOT/scripts/gen-gpw" --out "$G"
run_pccs --store "$S" load --quiet "$DATA/ePCN_2022.xlsx" "$G"
check_eq "GP workforce file loads" "$status" 0
check_match "... census from the file name" "$out" "gp_workforce, period 2022-09-30"
python3 - "$DATA" "$G" >"$T/want" <<'PY'
import csv, sys
d, g = sys.argv[1], sys.argv[2]
pay = list(csv.reader(open(d + '/nhs-payments-to-general-practice_2022-23.csv',
                           newline='', encoding='utf-8-sig')))
w = {r[6].strip(): float(r[18]) for r in pay[1:]}
# Members of U02671 from the ePCN file are its practices in the payments
# file (same PCN code); the test pins that by using the payments' PCN code.
members = {r[6].strip() for r in pay[1:] if r[4].strip() == 'U02671'}
fte, hc, wp = {}, {}, 0.0
for r in csv.DictReader(open(g, newline='')):
    if r['PRAC_CODE'] not in members or r['TOTAL_GP_FTE'] == 'NA':
        continue
    for grp, col in (('GP', 'GP'), ('Nurses', 'NURSES'),
                     ('Direct Patient Care', 'DPC'), ('Admin/Non-Clinical', 'ADMIN')):
        fte[grp] = fte.get(grp, 0) + float(r[f'TOTAL_{col}_FTE'])
        hc[grp] = hc.get(grp, 0) + int(r[f'TOTAL_{col}_HC'])
wp = sum(w[p] for p in members)
for grp in sorted(fte):
    print(f"{grp},{fte[grp]:.4f},{hc[grp]},{wp:.2f},{fte[grp] * 10000 / wp:.4f}")
PY
run_pccs --store "$S" table workforce --in U02671 --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' '$4 == "GP workforce" {
    printf "%s,%.4f,%d,%.2f,%.4f\n", $5, $6, $7, $9, $10 }' >"$T/got"
check_eq "U02671 GP workforce by group (python)" "$(cat "$T/got")" "$(cat "$T/want")"

want=$(python3 - "$G" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='')) if r['TOTAL_GP_FTE'] != 'NA']
print(f"{sum(float(r['TOTAL_GP_FTE']) for r in rows):.2f} {len(rows)}")
PY
)
run_pccs --store "$S" table workforce --level practice --format csv
got=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$5 == "GP" { s += $6; n++ } END { printf "%.2f %d", s, n }')
check_eq "every submitting practice's GP FTE, and England's sum" "$got" "$want"
# Roles partition the group: GP roles sum to the GP total per PCN.
run_pccs --store "$S" table workforce --in U02671 --group GP --format csv
roles=$(printf '%s\n' "$out" | tsv | awk -F'\t' '$4 == "GP workforce" { s += $6 } END { printf "%.2f", s }')
check_eq "GP roles add up to the GP group" "$roles" "$(awk -F, '$1 == "GP" { printf "%.2f", $2 }' "$T/want")"
# No month in the name and no --period: refused, with what to do.
cp "$G" "$T/gpw.csv"
run_pccs --store "$T/x.db" load "$T/gpw.csv"
check_eq "no census month: exit 1" "$status" 1
check_match "... asks for --period" "$errout" "give --period"
run_pccs --store "$T/x.db" load --quiet --period 2022-09-30 "$T/gpw.csv"
check_eq "... loads with --period" "$status" 0
# A count that is not a number names the file, line and column.
awk -F, 'BEGIN { OFS = "," } NR == 3 { $12 = "x1" } { print }' "$G" \
    >"$T/General Practice - October 2022 Practice Level - Detailed.csv"
run_pccs --store "$T/y.db" load "$T/General Practice - October 2022 Practice Level - Detailed.csv"
check_eq "bad count: exit 1" "$status" 1
check_match "... file:line:col" "$errout" "Detailed.csv:3:12: TOTAL_GP_EXL_HC"

done_testing
