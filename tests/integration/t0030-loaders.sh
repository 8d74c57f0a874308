#!/bin/sh
# Every bundled NHS file loads, and what the store holds agrees with
# python3 computations over the raw files made here.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "every bundled file loads" "$status" 0
nfiles=$(ls "$DATA"/*.csv "$DATA"/*.xlsx | wc -l | tr -d ' ')
check_eq "one source per file ($nfiles)" "$(sql "$S" 'select count(*) from sources')" "$nfiles"

# Rows loaded = data rows in each file (python csv; headerless ODS files
# count every row).
python3 - "$DATA" >"$T/rows.want" <<'PY'
import csv, glob, os, sys
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.csv'))):
    enc = 'cp1252' if 'workforce' in f else 'utf-8-sig'
    n = sum(1 for _ in csv.reader(open(f, newline='', encoding=enc)))
    headerless = os.path.basename(f).startswith(('epraccur', 'etr'))
    print(os.path.basename(f), n if headerless else n - 1)
PY
sql "$S" "select replace(path, rtrim(path, replace(path, '/', '')), '') || ' ' || rows_loaded
    from sources where path like '%.csv' order by 1" >"$T/rows.got"
check_eq "rows loaded per file" "$(cat "$T/rows.got")" "$(cat "$T/rows.want")"
# Encodings from the bytes: a BOM or valid UTF-8 beyond ASCII is utf-8,
# other bytes beyond ASCII windows-1252, else ascii; a zip is xlsx.
enc_want=$(python3 - "$DATA" <<'PY'
import collections, glob, os, sys
n = collections.Counter()
for f in glob.glob(os.path.join(sys.argv[1], '*.csv')):
    b = open(f, 'rb').read()
    if b.startswith(b'\xef\xbb\xbf'):
        n['utf-8'] += 1
    elif all(c < 0x80 for c in b):
        n['ascii'] += 1
    else:
        try:
            b.decode('utf-8')
            n['utf-8'] += 1
        except UnicodeDecodeError:
            n['windows-1252'] += 1
n['xlsx'] = len(glob.glob(os.path.join(sys.argv[1], '*.xlsx')))
print(' '.join(f'{k}|{v}' for k, v in sorted(n.items())) + ' ')
PY
)
check_eq "encodings found" \
    "$(sql "$S" "select encoding, count(*) from sources group by encoding order by 1" | tr '\n' ' ')" \
    "$enc_want"

# QOF 2020-21: atrial fibrillation register and practices.
want=$(python3 -c 'import csv,sys
print(sum(int(r["REGISTER"]) for r in csv.DictReader(open(sys.argv[1])) if r["GROUP_CODE"] == "AF"))' \
    "$DATA/qof2021_PREVALENCE_2021_v2.csv")
got=$(facts_sql "$S" "select cast(sum(value) as int) from facts where measure = 'qof_register' and dim = 'AF'")
check_eq "QOF AF register 2020-21" "$got" "$want"
check_eq "QOF practices with maximum points" \
    "$(facts_sql "$S" "select count(*) from facts where measure = 'qof_max_points'")" 6571
check_eq "QOF indicators" \
    "$(sql "$S" "select count(distinct key) from refs where kind = 'qof_indicator'")" 68

# PCN workforce September 2022: FTE and distinct people.
python3 - "$DATA/pcn-workforce-individual-level_2022-09.csv" >"$T/wf.want" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='cp1252', newline='')))
print(f"{sum(float(r['FTE']) for r in rows):.3f}")
# People per PCN and role; contracted services (no identifier) apart.
print(len({(r['PCN_CODE'], r['Data_source'], r['STAFF_GROUP'], r['STAFF_ROLE'],
            r['DETAILED_STAFF_ROLE'], r['UNIQUE_IDENTIFIER']) for r in rows
           if r['UNIQUE_IDENTIFIER'] not in ('', 'NULL')}))
print(sum(r['UNIQUE_IDENTIFIER'] in ('', 'NULL') for r in rows))
groups = {}
for r in rows:
    groups[r['STAFF_GROUP']] = groups.get(r['STAFF_GROUP'], 0) + float(r['FTE'])
for g in sorted(groups):
    print(f"{g}={groups[g]:.3f}")
PY
facts_sql "$S" "select printf('%.3f', sum(value)) from facts where measure = 'workforce_fte' and period = '2022-09-30';
    select cast(sum(value) as int) from facts where measure = 'workforce_headcount' and period = '2022-09-30';
    select cast(sum(value) as int) from facts where measure = 'workforce_contracted' and period = '2022-09-30';
    select g || '=' || printf('%.3f', sum(value)) from (select value,
      substr(rest, 1, instr(rest, '|') - 1) as g from (select value,
      substr(dim, instr(dim, '|') + 1) as rest from facts
      where measure = 'workforce_fte' and period = '2022-09-30')) group by g
      order by g" >"$T/wf.got"
check_eq "workforce FTE, headcount, FTE by staff group" \
    "$(cat "$T/wf.got")" "$(cat "$T/wf.want")"
check_eq "an en dash (0x96) arrives as U+2013" \
    "$(facts_sql "$S" "select count(*) > 0 from facts where dim like '%Director – Medical%'")" 1

# ePCN workbook: PCNs and practice memberships.
epcn=$(sql "$S" "select id from sources where kind = 'epcn'")
check_eq "ePCN PCNs" "$(sql "$S" "select count(*) from links where source_id = $epcn
    and parent_level = 'sub_icb' and observed = 0")" 1318
check_eq "ePCN practice memberships" "$(sql "$S" "select count(*) from links
    where source_id = $epcn and parent_level = 'pcn'")" 7359

# Payments 2022-23: England global sum and total.
python3 - "$DATA/nhs-payments-to-general-practice_2022-23.csv" >"$T/pay.want" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
h = [c.replace('\n', ' ') for c in rows[0]]
g, t = h.index('Global Sum'), h.index('Total NHS Payments to General Practice')
print(f"{sum(float(r[g]) for r in rows[1:]):.2f}")
print(f"{sum(float(r[t]) for r in rows[1:]):.2f}")
PY
facts_sql "$S" "select printf('%.2f', sum(value)) from facts where measure = 'pay_global_sum' and period = '2022-23';
    select printf('%.2f', sum(value)) from facts where measure = 'pay_total_nhs_payments_to_general_practice' and period = '2022-23'" \
    >"$T/pay.got"
check_eq "payments 2022-23 global sum and total" \
    "$(cat "$T/pay.got")" "$(cat "$T/pay.want")"

# Map October 2025: practices, PCNs (U = unallocated), ICBs.
python3 - "$DATA/gp-reg-pat-prac-map_2025-10.csv" >"$T/map.want" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
print(len(rows)); print(len({r['PCN_CODE'] for r in rows if r['PCN_CODE'] != 'U'}))
print(len({r['ICB_CODE'] for r in rows}))
PY
run_pccs --store "$S" orgs --level practice --at 2025-10-01 --in ENG --format csv
map=$(sql "$S" "select id from sources where period = '2025-10-01' and kind = 'gp_map'")
sql "$S" "select count(*) from links where source_id = $map and parent_level = 'sub_icb' and child in (select code from orgs where level = 'practice');
    select count(distinct parent) from links where source_id = $map and parent_level = 'pcn';
    select count(distinct parent) from links where source_id = $map and parent_level = 'icb'" >"$T/map.got"
check_eq "map 2025-10: practices, PCNs, ICBs" "$(cat "$T/map.got")" "$(cat "$T/map.want")"
run_pccs --store "$S" orgs --level icb --at 2025-10-01 --format csv
check_eq "pccs orgs: 42 ICBs as at 2025-10-01" \
    "$(printf '%s\n' "$out" | tsv | awk 'NR > 1' | wc -l)" "$(sed -n 3p "$T/map.want")"

# The practices in the tree on a date are those of the latest full list
# (map or registrations) on or before it: exactly that list's practices.
for at in 2025-10-01 2021-01-01; do
    run_pccs --store "$S" orgs --level practice --at "$at" --format csv
    printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { print $1 }' | sort >"$T/orgs.$at"
done
awk -F, 'NR > 1 { print $3 }' "$DATA/gp-reg-pat-prac-map_2025-10.csv" | sort >"$T/map.codes"
tr -d '\r' <"$DATA/gp-reg-pat-prac-all_2021-01.csv" | awk -F, 'NR > 1 { print $6 }' |
    sort >"$T/reg.codes"
check_eq "practices as at 2025-10-01 = the October 2025 map's" \
    "$(cat "$T/orgs.2025-10-01")" "$(cat "$T/map.codes")"
check_eq "practices as at 2021-01-01 = the January 2021 registrations'" \
    "$(cat "$T/orgs.2021-01-01")" "$(cat "$T/reg.codes")"

run_pccs --store "$S" orgs --level region --at 2021-01-01 --format csv
check_eq "regions' practice counts add up to the practices" \
    "$(printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { s += $6 } END { print s }')" \
    "$(wc -l <"$T/reg.codes" | tr -d ' ')"

# show: parents up to England with the source of each link.
run_pccs --store "$S" show A81001 --at 2025-10-01
check_match "show A81001: PCN from the 2025 map" "$out" \
    "pcn +U89141 +STOCKTON PCN +\[gp_map 2025-10-01\]"
check_match "show A81001: reaches England" "$out" "england +ENG"

done_testing
