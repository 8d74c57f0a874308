#!/bin/sh
# Malformed variants of the real NHS files: each must be refused with one
# line naming file:line:column and what was expected, exit status 1, and
# the store exactly as it was before (compared as a full SQL dump).
. "$(dirname "$0")/lib.sh"

S=$T/s.db
"$PCCS" --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" >/dev/null 2>&1 ||
    not_ok "base store loads"
dump() { store_dump "$S" | sha256sum; }
before=$(dump)

# refused NAME FILE LINE COL [PATTERN]: load FILE, expect a refusal at
# LINE:COL whose message matches PATTERN, and an unchanged store.
refused() {
    name=$1 file=$2 line=$3 col=$4 pat=${5:-.}
    run_pccs --store "$S" load --quiet "$file"
    nlines=$(printf '%s\n' "$errout" | grep -c .)
    if [ "$status" -ne 1 ]; then
        not_ok "$name: exit status" "got $status, want 1" "stderr: $errout"
    elif [ "$nlines" -ne 1 ]; then
        not_ok "$name: one line of error" "$errout"
    elif ! printf '%s\n' "$errout" |
        grep -q "^pccs: $file:$line:$col: "; then
        not_ok "$name: names $file:$line:$col" "$errout"
    elif ! printf '%s\n' "$errout" | grep -Eq -- "$pat"; then
        not_ok "$name: says what was expected" "$errout" "want: $pat"
    elif [ "$(dump)" != "$before" ]; then
        not_ok "$name: store unchanged"
    else
        ok "$name"
    fi
}

REG=$DATA/gp-reg-pat-prac-all_2021-01.csv
MAP=$DATA/gp-reg-pat-prac-map_2020-09.csv
PAY=$DATA/nhs-payments-to-general-practice_2020-21.csv
EPR=$DATA/epraccur_2022.csv
QOF=$DATA/qof2021_PREVALENCE_2021_v2.csv
WF=$DATA/pcn-workforce-individual-level_2022-09.csv

# Set field COL of physical line LINE of a CRLF or LF file to VALUE.
setfield() {
    awk -F, -v OFS=, -v l="$2" -v c="$3" -v v="$4" \
        'NR == l { $c = v } { print }' "$1"
}

# 1. Truncated in the middle of a row: the last row is short.
head -c 200000 "$REG" >"$T/trunc.csv"
last=$(wc -l <"$T/trunc.csv")
nf=$(tail -n 1 "$T/trunc.csv" | awk -F, '{ print NF }')
refused "truncated mid-row" "$T/trunc.csv" $((last + 1)) $((nf + 1)) \
    "expected a field"
# 2. A header column renamed.
sed '1s/NUMBER_OF_PATIENTS/NUMBER_OF_PEOPLE/' "$REG" >"$T/rename.csv"
refused "header column renamed" "$T/rename.csv" 1 10 "NUMBER_OF_PATIENTS"
# 3. A header column missing (SEX dropped from every row).
cut -d, -f1-7,9- "$REG" >"$T/nosex.csv"
refused "header column missing" "$T/nosex.csv" 1 10 "SEX"
# 4. A non-numeric count.
setfield "$REG" 100 10 abc >"$T/nonnum.csv"
refused "non-numeric count" "$T/nonnum.csv" 100 10 "whole number"
# 5. A negative count.
setfield "$REG" 101 10 -5 >"$T/neg.csv"
refused "negative count" "$T/neg.csv" 101 10 "0 or more"
# 6. A duplicate practice row.
awk 'NR == 60 { dup = $0 } { print } NR == 70 { print dup }' "$REG" \
    >"$T/dup.csv"
refused "duplicate practice row" "$T/dup.csv" 71 6 "again \(its rows start on line 60\)"
# 7. A practice code that is not an ODS code.
setfield "$REG" 30 6 A8100X >"$T/badcode.csv"
refused "practice code not an ODS code" "$T/badcode.csv" 30 6 "ODS practice"
# 8. A date that cannot exist.
setfield "$REG" 2 2 30FEB2021 >"$T/baddate.csv"
refused "impossible date" "$T/baddate.csv" 2 2 "real date"
# 9. A binary file renamed .csv.
head -c 4096 "${PCCS_REAL:-$PCCS}" >"$T/binary.csv"
refused "binary file renamed .csv" "$T/binary.csv" 1 '[0-9]*' "NUL byte"
# 10. An empty file.
: >"$T/empty.csv"
refused "empty file" "$T/empty.csv" 1 1 "empty"
# 11. A directory.
mkdir "$T/dir.csv"
refused "directory" "$T/dir.csv" 1 1 "directory"
# 12. A file that does not exist.
refused "missing file" "$T/nope.csv" 1 1 "cannot open"
# 13. An unterminated quote (the map's line 30, field 4).
setfield "$MAP" 30 4 '"THE SURGERY' >"$T/quote.csv"
refused "unterminated quote" "$T/quote.csv" 30 4 "unbalanced quote|unterminated"
# 14. A header only: no data rows.
head -n 1 "$REG" >"$T/header.csv"
refused "header only" "$T/header.csv" 2 1 "no data rows"
# 15. Rows whose extract dates differ.
setfield "$REG" 500 2 01FEB2021 >"$T/twodates.csv"
refused "two extract dates" "$T/twodates.csv" 500 2 "same extract date"
# 16. Payments: a money cell that is not a number (Global Sum, field 22).
python3 - "$PAY" "$T/paymoney.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
rows[40][21] = 'twelve'
with open(sys.argv[2], 'w', newline='', encoding='utf-8-sig') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
PY
payline=$(awk '/twelve/ { print NR; exit }' "$T/paymoney.csv")
refused "payments: non-numeric money" "$T/paymoney.csv" "$payline" 22 \
    "amount in pounds"
# 17. epraccur: a row with a field missing (26 of 27).
awk -F, -v OFS=, 'NR == 40 { NF = 26 } { print }' "$EPR" >"$T/epr26.csv"
refused "epraccur: short row" "$T/epr26.csv" 40 '2[67]' "27"
# 18. epraccur: an open date that cannot exist.
setfield "$EPR" 41 11 '"20230231"' >"$T/eprdate.csv"
refused "epraccur: impossible date" "$T/eprdate.csv" 41 11 "real date"
# 19. QOF prevalence: a register that is not a number.
setfield "$QOF" 77 3 many >"$T/qofreg.csv"
refused "QOF: non-numeric register" "$T/qofreg.csv" 77 3 "number"
# 20. Workforce: an FTE that is not a number.
setfield "$WF" 90 15 abc >"$T/wffte.csv"
refused "workforce: non-numeric FTE" "$T/wffte.csv" 90 15 "number"
# 21. Workforce: two census months in one file.
setfield "$WF" 91 3 10 >"$T/wfmonth.csv"
refused "workforce: two census months" "$T/wfmonth.csv" 91 3 "."
# 22. A CSV with an unknown layout.
printf 'a,b,c\n1,2,3\n' >"$T/unknown.csv"
refused "unknown layout" "$T/unknown.csv" 1 1 "not a recognised file"
# 23. A truncated xlsx workbook.
head -c 100000 "$DATA/ePCN_2022.xlsx" >"$T/trunc.xlsx"
refused "truncated xlsx" "$T/trunc.xlsx" '[0-9]*' '[0-9]*' "."
# 24. The map with a practice row whose PCN code is not an ODS code.
setfield "$MAP" 55 6 'U-1' >"$T/mappcn.csv"
refused "map: bad PCN code" "$T/mappcn.csv" 55 6 "ODS"
# 25. A NUL byte in the middle of a real file.
awk 'NR == 300 { printf "%s", substr($0, 1, 10); printf "%c", 0;
    print substr($0, 11); next } { print }' "$REG" >"$T/nul.csv"
refused "NUL byte mid-file" "$T/nul.csv" 300 '[0-9]*' "NUL byte"

# 26. The map with a practice twice.
awk 'NR == 20 { dup = $0 } { print } NR == 25 { print dup }' "$MAP" \
    >"$T/mapdup.csv"
refused "map: duplicate practice" "$T/mapdup.csv" 26 3 \
    "PRACTICE_CODE: expected one row per practice, found .* again \(first on line 20\)"
# 27. Payments with a practice twice.
python3 - "$PAY" "$T/paydup.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
rows.insert(30, rows[10])
with open(sys.argv[2], 'w', newline='', encoding='utf-8-sig') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
PY
refused "payments: duplicate practice" "$T/paydup.csv" 31 7 \
    "Practice Code: expected one row per practice, found .* again \(first on line 11\)"

# 28. QOF indicators with an empty code (regression: the row was used
# before its error was seen).
setfield "$DATA/qof2021_MAPPING_INDICATORS_2021_v2.csv" 5 1 "" >"$T/ind.csv"
refused "QOF indicators: empty code" "$T/ind.csv" 5 1 \
    "INDICATOR_CODE: expected a value"

# And the good file again: nothing changes, exit 0.
run_pccs --store "$S" load --quiet "$REG"
check_eq "reloading the same file: exit 0" "$status" 0
check_match "reloading the same file: says nothing changed" "$out" \
    "already loaded"
check_eq "reloading the same file: store unchanged" "$(dump)" "$before"

done_testing
