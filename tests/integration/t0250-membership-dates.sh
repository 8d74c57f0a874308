#!/bin/sh
# Membership and names with dates (issue 12, item 6). "No PCN" ("U" in a
# map, "Unknown or no PCN" in payments, "U" in the QOF mapping) is a state
# with a date; PCN membership never reaches back before its first
# evidence; names are shown as at the table's day. Every expectation is
# computed here with python3 over the raw files, never from pccs.
. "$(dirname "$0")/lib.sh"

MAP20=$DATA/gp-reg-pat-prac-map_2020-09.csv
MAP25=$DATA/gp-reg-pat-prac-map_2025-10.csv
REG=$DATA/gp-reg-pat-prac-all_2021-01.csv
PAY=$DATA/nhs-payments-to-general-practice_2020-21.csv
QGEO=$DATA/qof2021_MAPPING_NHS_GEOGRAPHIES_2021.csv
QPREV=$DATA/qof2021_PREVALENCE_2021_v2.csv

# csv_cols COLS: the named columns of pccs's CSV on stdin, comma-joined.
csv_cols() {
    python3 -c 'import csv, sys
cols = sys.argv[1].split(",")
for r in csv.DictReader(sys.stdin):
    print(",".join(r[c] for c in cols))' "$1"
}

# --- The September 2020 map, January 2021 registrations, October 2025 map.
S=$T/s.db
run_pccs --store "$S" load --quiet "$MAP20" "$REG" "$MAP25"
check_eq "load the two maps and the registrations" "$status" 0

# Python's join: each practice of the January 2021 list in its PCN of the
# September 2020 map ('U' = no PCN, then its CCG in the registrations).
python3 - "$MAP20" "$REG" "$T" <<'PY'
import csv, sys
pcn = {r['PRACTICE_CODE']: r['PCN_CODE']
       for r in csv.DictReader(open(sys.argv[1], newline=''))}
tot, parent = {}, []
for r in csv.DictReader(open(sys.argv[2], newline='')):
    if r['SEX'] != 'ALL' or r['AGE'] != 'ALL':
        continue
    p = pcn.get(r['CODE'], 'U')
    parent.append(f"{r['CODE']},{r['CCG_CODE'] if p == 'U' else p}")
    if p == 'U':
        continue
    t = tot.setdefault(p, [0, 0])
    t[0] += 1
    t[1] += int(r['NUMBER_OF_PATIENTS'])
with open(sys.argv[3] + '/pcn.want', 'w') as f:
    for k in sorted(tot):
        f.write(f"{k},{tot[k][0]},{tot[k][1]}\n")
with open(sys.argv[3] + '/parent.want', 'w') as f:
    f.write('\n'.join(sorted(parent)) + '\n')
u = tot['U17849']
with open(sys.argv[3] + '/u17849.want', 'w') as f:
    f.write(f"{u[0]},{u[1]}\n")
PY
run_pccs --store "$S" table populations --level pcn --at 2021-01-01 \
    --format csv
printf '%s\n' "$out" | csv_cols code,practices,registered | sort \
    >"$T/pcn.got"
check_eq "PCNs at 2021-01-01: every PCN's practices and registered = the 2020-09 map's join" \
    "$(cat "$T/pcn.got")" "$(cat "$T/pcn.want")"
check_eq "PCNs at 2021-01-01: as many as the 2020-09 map gives" \
    "$(wc -l <"$T/pcn.got")" "$(wc -l <"$T/pcn.want")"
run_pccs --store "$S" table populations --level practice --at 2021-01-01 \
    --format csv
printf '%s\n' "$out" | csv_cols code,parent_code | sort >"$T/parent.got"
check_eq "every practice's parent at 2021-01-01 (its PCN, or its CCG if none)" \
    "$(cat "$T/parent.got")" "$(cat "$T/parent.want")"

# A86027: no PCN on the 2020-09 map, in U17849 on the 2025-10 map.
check_eq "A86027: no PCN on the 2020-09 map (python)" \
    "$(python3 -c 'import csv, sys
print([r["PCN_CODE"] for r in csv.DictReader(open(sys.argv[1], newline=""))
       if r["PRACTICE_CODE"] == "A86027"][0])' "$MAP20")" U
check_eq "A86027 at 2021-01-01: its parent is its CCG, 13T" \
    "$(grep '^A86027,' "$T/parent.got")" "A86027,13T"
run_pccs --store "$S" show A86027 --at 2021-01-01 --format json
check_eq "pccs show A86027 --at 2021-01-01: no PCN among its parents" \
    "$(printf '%s' "$out" | python3 -c 'import json, sys
print(",".join(p["level"] for p in json.load(sys.stdin)["parents"]))')" \
    "sub_icb,icb,region,england"
run_pccs --store "$S" show A86027 --at 2025-10-01 --format json
check_eq "pccs show A86027 --at 2025-10-01: in U17849" \
    "$(printf '%s' "$out" | python3 -c 'import json, sys
print(json.load(sys.stdin)["parents"][0]["code"])')" U17849
run_pccs --store "$S" table populations --level pcn --in U17849 \
    --at 2021-01-01 --format csv
check_eq "U17849 at 2021-01-01: practices and registered = python's (6 and 63,762)" \
    "$(printf '%s\n' "$out" | csv_cols practices,registered)" \
    "$(cat "$T/u17849.want")"
check_eq "U17849 python figures" "$(cat "$T/u17849.want")" "6,63762"

# Only the 2025-10 map says anything of PCNs: at 2021-01-01 no practice is
# in a PCN (no membership before its first evidence), while every practice
# is still in its CCG (the registrations' CCG_CODE).
S2=$T/s2.db
run_pccs --store "$S2" load --quiet "$REG" "$MAP25"
run_pccs --store "$S2" table populations --level pcn --at 2021-01-01 \
    --format csv
check_eq "2025 map only: no PCN rows at 2021-01-01" \
    "$(printf '%s\n' "$out" | awk 'NR > 1' | wc -l)" 0
run_pccs --store "$S2" table populations --level sub_icb --at 2021-01-01 \
    --format csv
printf '%s\n' "$out" | csv_cols code,practices,registered | sort >"$T/ccg.got"
python3 - "$REG" >"$T/ccg.want" <<'PY'
import csv, sys
tot = {}
for r in csv.DictReader(open(sys.argv[1], newline='')):
    if r['SEX'] == 'ALL' and r['AGE'] == 'ALL':
        t = tot.setdefault(r['CCG_CODE'], [0, 0])
        t[0] += 1
        t[1] += int(r['NUMBER_OF_PATIENTS'])
for k in sorted(tot):
    print(f"{k},{tot[k][0]},{tot[k][1]}")
PY
check_eq "2025 map only: every CCG's practices and registered at 2021-01-01" \
    "$(cat "$T/ccg.got")" "$(cat "$T/ccg.want")"

# --- QOF 2020-21: the PCN totals equal the publication's own mapping.
S3=$T/s3.db
run_pccs --store "$S3" load --quiet "$MAP20" "$MAP25" "$PAY" "$QGEO" \
    "$QPREV" "$DATA/ePCN_2022.xlsx"
check_eq "load maps, payments, ePCN and QOF" "$status" 0
python3 - "$QGEO" "$QPREV" >"$T/qof.want" <<'PY'
import csv, sys
pcn = {r['PRACTICE_CODE']: r['PCN_ODS_CODE']
       for r in csv.DictReader(open(sys.argv[1], newline=''))}
tot = {}
for r in csv.DictReader(open(sys.argv[2], newline='')):
    p = pcn.get(r['PRACTICE_CODE'], 'U')
    if p == 'U':
        continue
    t = tot.setdefault((p, r['GROUP_CODE']), [0, 0])
    t[0] += int(r['REGISTER'])
    t[1] += int(r['PRACTICE_LIST_SIZE'])
for k in sorted(tot):
    print(f"{k[0]},{k[1]},{tot[k][0]},{tot[k][1]}")
PY
run_pccs --store "$S3" table qof-prevalence --level pcn --period 2020-21 \
    --format csv
printf '%s\n' "$out" | csv_cols code,group,register,list_size | sort \
    >"$T/qof.got"
check_eq "QOF 2020-21: every PCN's registers and lists = the QOF mapping's" \
    "$(cat "$T/qof.got")" "$(cat "$T/qof.want")"
check_eq "QOF 2020-21: PCN rows (python)" "$(wc -l <"$T/qof.want")" 26271

# The DES year 2021-22 takes the lists of 1 January 2021 but the PCN
# memberships of the year (1 April 2021): A86027, which joined U17849 that
# day (ePCN, and the QOF 2020-21 mapping of 31 March), counts in U17849.
S4=$T/s4.db
run_pccs --store "$S4" load --quiet "$REG" "$MAP20" "$PAY" "$QGEO" \
    "$DATA/ePCN_2022.xlsx"
want=$(python3 - "$QGEO" "$REG" <<'PY'
import csv, sys
m = [r['PRACTICE_CODE'] for r in csv.DictReader(open(sys.argv[1], newline=''))
     if r['PCN_ODS_CODE'] == 'U17849']
reg = {r['CODE']: int(r['NUMBER_OF_PATIENTS'])
       for r in csv.DictReader(open(sys.argv[2], newline=''))
       if r['SEX'] == 'ALL' and r['AGE'] == 'ALL'}
print(f"{len(m)},{sum(reg[p] for p in m)},{'A86027' in m}")
PY
)
check_eq "U17849 on the QOF 2020-21 mapping (python): 7 practices, 80,669" \
    "$want" "7,80669,True"
run_pccs --store "$S4" table entitlements --year 2021-22 --in U17849 \
    --format csv
check_eq "entitlements 2021-22: U17849's practices and list include A86027" \
    "$(printf '%s\n' "$out" | csv_cols practices,registered)" \
    "$(printf '%s\n' "$want" | cut -d, -f1,2)"

# --- Names as at the table's day: 02Q was NHS Bassetlaw CCG in 2020-21.
python3 - "$MAP20" "$PAY" "$QGEO" "$MAP25" >"$T/names" <<'PY'
import csv, sys
def first(path, code_col, name_col, enc='utf-8'):
    for r in csv.DictReader(open(path, newline='', encoding=enc)):
        if r[code_col] == '02Q':
            return r[name_col]
print(first(sys.argv[1], 'CCG_CODE', 'CCG_NAME'))
print(first(sys.argv[2], 'CCG Code', 'CCG NAME', 'utf-8-sig'))
print(first(sys.argv[3], 'CCG_ODS_CODE', 'CCG_NAME'))
print(first(sys.argv[4], 'SUB_ICB_LOCATION_CODE', 'SUB_ICB_LOCATION_NAME'))
PY
map20=$(sed -n 1p "$T/names")
qofname=$(sed -n 3p "$T/names")
map25=$(sed -n 4p "$T/names")
check_eq "02Q in the 2020-09 map (python)" "$map20" "NHS Bassetlaw CCG"
check_eq "02Q in the 2025-10 map (python)" "$map25" \
    "NHS Nottingham and Nottinghamshire ICB - 02Q"
run_pccs --store "$S3" table qof-prevalence --level sub_icb --group AF \
    --period 2020-21 --format csv
check_eq "QOF 2020-21 table: 02Q has the QOF file's CCG name" \
    "$(printf '%s\n' "$out" | csv_cols code,name | grep '^02Q,')" \
    "02Q,$qofname"
run_pccs --store "$S3" table payments --year 2020-21 --level sub_icb \
    --format csv
got=$(printf '%s\n' "$out" | csv_cols code,name | grep '^02Q,' | cut -d, -f2-)
if grep -Fqx -- "$got" "$T/names" && [ "$got" != "$map25" ]; then
    ok "payments 2020-21 table: 02Q has a 2020-21 file's CCG name ($got)"
else
    not_ok "payments 2020-21 table: 02Q has a 2020-21 file's CCG name" \
        "got: $got"
fi
run_pccs --store "$S" orgs --level sub_icb --at 2021-01-01 --format csv
check_eq "orgs --at 2021-01-01: 02Q named as on the 2020-09 map" \
    "$(printf '%s\n' "$out" | csv_cols code,name | grep '^02Q,')" \
    "02Q,$map20"
run_pccs --store "$S" table populations --level sub_icb --at 2021-01-01 \
    --format csv
check_eq "populations at 2021-01-01: 02Q named as on the 2020-09 map" \
    "$(printf '%s\n' "$out" | csv_cols code,name | grep '^02Q,')" \
    "02Q,$map20"
run_pccs --store "$S" orgs --level sub_icb --at 2025-10-01 --format csv
check_eq "orgs --at 2025-10-01: 02Q named as on the 2025-10 map" \
    "$(printf '%s\n' "$out" | csv_cols code,name | grep '^02Q,')" \
    "02Q,$map25"
check_eq "every name kept with its date and file" \
    "$(sql "$S" "select n.from_date || ' ' || s.kind || ' ' || n.name
        from org_names n join sources s on s.id = n.source_id
        where n.org = '02Q' order by n.from_date")" \
    "2020-09-01 gp_map $map20
2025-10-01 gp_map $map25"
run_pccs --store "$S3" report committee --in 02Q --year 2020-21 \
    --out "$T/r.html"
check_eq "committee report 2020-21 for 02Q: exit 0" "$status" 0
check_eq "committee report 2020-21: titled with the QOF file's CCG name" \
    "$(sed -n 's/.*<title>\([^<]*\) - primary care.*/\1/p' "$T/r.html")" \
    "$qofname"
run_pccs --store "$S" show 02Q --format json
check_eq "pccs show 02Q: its names with their dates" \
    "$(printf '%s' "$out" | python3 -c 'import json, sys
for n in json.load(sys.stdin)["names"]:
    print(n["from"], n["name"])')" \
    "2020-09-01 $map20
2025-10-01 $map25"

# A former name finds the organisation: "Bassetlaw CCG" suggests 02Q.
run_pccs --store "$S" table populations --in "Bassetlaw CCG"
check_eq "--in a former name: exit 1" "$status" 1
check_match "--in a former name: suggests 02Q" "$errout" "02Q "

done_testing
