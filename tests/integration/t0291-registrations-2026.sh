#!/bin/sh
# Patients Registered at a GP Practice, April 2026, in the sub-ICB layout
# (SUB_ICB_LOCATION_CODE, ONS_SUB_ICB_LOCATION_CODE, ISO dates; issue 15):
# recognised by its header, its period the extract date; every sub-ICB's
# practices and patients, and a named practice's list, equal python over
# the raw file; the sum over sub-ICBs is England's 63,673,685.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
F=$DATA/gp-reg-pat-prac-all_2026-04.csv

cat >"$T/want.py" <<'PY'
import csv, sys
path, what = sys.argv[1:3]
rows = list(csv.DictReader(open(path, newline='')))
if what == 'sub_icb':
    by = {}
    for r in rows:
        s = by.setdefault(r['SUB_ICB_LOCATION_CODE'], [0, 0])
        s[0] += 1
        s[1] += int(r['NUMBER_OF_PATIENTS'])
    for code in sorted(by):
        print(f'{code},{by[code][0]},{by[code][1]}')
elif what == 'total':
    print(len(rows), sum(int(r['NUMBER_OF_PATIENTS']) for r in rows))
else:
    print([r['NUMBER_OF_PATIENTS'] for r in rows if r['CODE'] == what][0])
PY

run_pccs --store "$S" load "$F"
check_match "recognised as all persons, period the extract date" "$out" \
    "loaded gp_reg_all, period 2026-04-01, 6168 rows"

got=$("$PCCS" --store "$S" table populations --level sub_icb --format csv |
    awk -F, 'NR > 1 { print $1 "," $4 "," $5 }' | sort)
check_eq "every sub-ICB: practices and registered patients" "$got" \
    "$(python3 "$T/want.py" "$F" sub_icb)"
got=$(printf '%s\n' "$got" |
    awk -F, '{ n += $2; p += $3 } END { print n, p }')
check_eq "sub-ICBs sum to England: practices and patients" "$got" \
    "$(python3 "$T/want.py" "$F" total)"
check_eq "England is 63,673,685 as published" "${got#* }" 63673685

got=$("$PCCS" --store "$S" table populations --level practice --format csv |
    awk -F, '$1 == "A81002" { print $5 }')
check_eq "A81002's list" "$got" "$(python3 "$T/want.py" "$F" A81002)"
check_eq "sub-ICB as the file names it, with its ONS code" \
    "$(sql "$S" "SELECT level || ' ' || ons_code FROM orgs
                 WHERE code = '16C'")" "sub_icb E38000247"

done_testing
