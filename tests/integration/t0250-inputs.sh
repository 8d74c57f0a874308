#!/bin/sh
# Inputs and output (issue 12, items 9 and 10): a malformed --year,
# --period or --at is a usage error (exit 2) naming the accepted forms,
# and the API answers 400 with the same message; a well-formed period
# with nothing loaded is exit 1 (404) naming what to load; codes in any
# case; unknown codes and names get suggestions; no PCN before 2019;
# thousands grouped in text; QOF groups and ARRS roles by name in text,
# codes kept in CSV and JSON. Expected figures come from the raw files.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx
check_eq "load" "$status" 0

# usage NAME WANT-STATUS PATTERN ARGS...: run pccs, check status and stderr.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    run_pccs --store "$S" "$@"
    if [ "$status" -ne "$want" ]; then
        not_ok "$name: exit $want" "got $status" "stderr: $errout"
    elif ! printf '%s\n' "$errout" | grep -Eq -- "$pat"; then
        not_ok "$name: message" "$errout" "want: $pat"
    else
        ok "$name: exit $want, says so"
    fi
}

FY="a financial year such as 2022-23"
expect "report --period banana (was 'financial year banana')" 2 \
    "^pccs report: --period must be $FY, not 'banana'" \
    report committee --in 16C --period banana --out "$T/r.html"
check_eq "... and no report written" "$(ls "$T"/r.html* 2>/dev/null)" ""
expect "report --year 2022-24" 2 "--year must be $FY" \
    report committee --in 16C --year 2022-24 --out "$T/r.html"
expect "table populations --period banana" 2 \
    "--period must be a financial year such as 2022-23 or a snapshot date YYYY-MM-DD" \
    table populations --period banana
expect "table payments --year 2021-01-01" 2 "--year must be $FY, not '2021-01-01'" \
    table payments --year 2021-01-01
expect "table workforce --period 2022-23 (a census date)" 2 \
    "--period must be a census date YYYY-MM-DD such as 2022-09-30" \
    table workforce --period 2022-23
expect "table workforce --year 2022-23" 2 "workforce takes no --year" \
    table workforce --year 2022-23
expect "table payments --compare soon" 2 "--compare must be $FY" \
    table payments --year 2022-23 --compare soon
expect "table risks --period (a register has no period)" 2 "risks takes no --period" \
    table risks --period 2022-01-01
expect "table populations --at 2021-02-30" 2 "--at must be a date YYYY-MM-DD" \
    table populations --at 2021-02-30
expect "orgs --at 31/12/2020" 2 "--at must be a date YYYY-MM-DD" orgs --at 31/12/2020
expect "show --at yesterday" 2 "--at must be a date YYYY-MM-DD" show A81001 --at yesterday
expect "load --period banana" 2 \
    "^pccs load: --period must be a financial year such as 2022-23 or a date YYYY-MM-DD, not 'banana'" \
    load --period banana "$DATA/epraccur_2019.csv"
expect "chart bar --year banana" 2 "--year must be $FY, not 'banana'" \
    chart bar payments --column total --year banana
expect "chart pyramid --period 2021-13-01" 2 "--period must be a snapshot date YYYY-MM-DD" \
    chart pyramid --org A81001 --period 2021-13-01

# Well formed, nothing loaded: exit 1 naming the publication to load. The
# payments years loaded are those of the files in data/nhs.
loaded=$(ls "$DATA" | sed -n 's/^nhs-payments-to-general-practice_\([0-9-]*\)\.csv$/\1/p' | tr '\n' ' ')
check_match "1999-00 is not a payments year of data/nhs ($loaded)" "x $loaded" "^x [0-9]"
case " $loaded " in *" 1999-00 "*) not_ok "1999-00 not in data/nhs" ;; esac
expect "table payments --year 1999-00" 1 \
    "no NHS Payments to General Practice file loaded for 1999-00" \
    table payments --year 1999-00
expect "table populations --period 1999-00" 1 "registered patients" \
    table populations --period 1999-00
expect "report --period 1999-00" 1 \
    "nothing loaded for financial year 1999-00: payments: no NHS Payments to General Practice file loaded" \
    report committee --in 16C --period 1999-00 --out "$T/r.html"
check_eq "... and no report written" "$(ls "$T"/r.html* 2>/dev/null)" ""
run_pccs --store "$S" report committee --in qhm --period 2022-23 --out "$T/r.html"
check_eq "report for a loaded year, --in qhm (any case): exit 0" "$status" 0

# Codes in any case: A81001's list on 1 January 2021 from the raw file.
reg=$(python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["CODE"] == "A81001" and r["SEX"] == "ALL" and r["AGE"] == "ALL": print(r["NUMBER_OF_PATIENTS"])' \
    "$DATA/gp-reg-pat-prac-all_2021-01.csv")
run_pccs --store "$S" show a81001 --format json
got=$(printf '%s' "$out" | python3 -c 'import json,sys
j = json.load(sys.stdin)
print(j["organisation"]["code"], [p["registered"] for p in j["populations"] if p["period"] == "2021-01-01"][0])')
check_num "show a81001: A81001, registered on 2021-01-01 (python: $reg)" "${got#A81001 }" "$reg"
check_eq "... and its code as ODS writes it" "${got%% *}" "A81001"
a=$("$PCCS" --store "$S" table populations --level pcn --in u89141 --format csv 2>&1)
b=$("$PCCS" --store "$S" table populations --level pcn --in U89141 --format csv 2>&1)
check_eq "--in u89141 = --in U89141" "$a" "$b"
check_match "... a row for U89141" "$a" "^U89141,"
run_pccs --store "$S" orgs --level pcn --in qhm --format csv
check_eq "orgs --in qhm: exit 0" "$status" 0

# Suggestions: a near code, and a name. The PCNs of the 2025 map whose name
# contains Southampton (python), the first by code, are suggested.
expect "show U8914 (a digit short)" 1 "unknown organisation U8914; did you mean .*U89141 STOCKTON PCN \\(pcn\\)" \
    show U8914
expect "show southampton" 1 "unknown organisation southampton; [0-9]+ whose name contains it: " \
    show southampton
first=$(python3 -c 'import csv,sys
print(min(r["PCN_CODE"] for r in csv.DictReader(open(sys.argv[1])) if "SOUTHAMPTON" in r["PCN_NAME"].upper()))' \
    "$DATA/gp-reg-pat-prac-map_2025-10.csv")
check_match "... lists $first (python over the 2025 map)" "$errout" "$first [A-Z ]*SOUTHAMPTON[A-Z ]* PCN \\(pcn\\)"
expect "table --in 'Greater Middlesbrough'" 1 "U02671 GREATER MIDDLESBROUGH PCN" \
    table populations --in "Greater Middlesbrough"

# No PCN before PCNs began (1 July 2019); after, the PCNs of the tree.
run_pccs --store "$S" orgs --level pcn --in 16C --at 2010-01-01
check_eq "orgs --level pcn --in 16C --at 2010-01-01: exit 0" "$status" 0
check_eq "... no PCN listed" "$(printf '%s\n' "$out" | sed -n '2,/^$/p' | grep -c '^U')" 0
check_match "... and says why" "$out" "no PCNs at 2010-01-01: PCNs began on 2019-07-01"
run_pccs --store "$S" orgs --level pcn --in 16C --at 2010-01-01 --format csv
check_eq "... CSV: the header only" "$(printf '%s' "$out" | tr -d '\r')" "code,name,level,parent_code,parent_name,practices"
check_match "... the reason on stderr" "$errout" "no PCNs at 2010-01-01"
run_pccs --store "$S" orgs --level pcn --in 16C --at 2022-06-30 --format csv
check_match "PCNs listed in 2022" "$out" "
U[0-9]{5},"

# Text groups thousands: the largest practice list of U89141 (python).
big=$(python3 -c 'import csv,sys
m = {r["PRACTICE_CODE"] for r in csv.DictReader(open(sys.argv[2])) if r["PCN_CODE"] == "U89141"}
v = max(int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(open(sys.argv[1]))
        if r["CODE"] in m and r["SEX"] == "ALL" and r["AGE"] == "ALL")
print(f"{v:,}")' "$DATA/gp-reg-pat-prac-all_2021-01.csv" "$DATA/gp-reg-pat-prac-map_2020-09.csv")
check_match "thousands grouped: $big" "$big" "^[0-9]{1,3},[0-9]{3}$"
run_pccs --store "$S" table populations --level practice --in U89141 --period 2021-01-01
check_match "... in the text table" "$out" " $big "
run_pccs --store "$S" show U89141
check_match "... and in show's populations" "$out" "registered +[0-9]{2},[0-9]{3}"

# Labels: QOF group names from the QOF mapping file, ARRS role titles.
ost=$(python3 -c 'import csv,sys
print({r["GROUP_CODE"]: r["GROUP_DESCRIPTION"] for r in csv.DictReader(open(sys.argv[1]))}["OST"])' \
    "$DATA/qof2021_MAPPING_INDICATORS_2021_v2.csv")
run_pccs --store "$S" table qof-prevalence --group OST --level practice --in U89141
check_match "QOF text: OST by name ($ost)" "$out" "  OST  .*$ost"
run_pccs --store "$S" table qof-prevalence --group OST --level practice --in U89141 --format csv
got=$(printf '%s\n' "$out" | python3 -c 'import csv,sys
rows = list(csv.DictReader(sys.stdin))
print(len(rows), sorted({r["group"] for r in rows}), sorted({r["group_label"] for r in rows}))')
check_match "QOF CSV: the code OST kept, the label beside it" "$got" "^[1-9][0-9]* \\['OST'\\] \\['$ost'\\]"
run_pccs --store "$S" table qof-prevalence --group OST --level practice --in U89141 --format json
check_match "QOF JSON: the code kept" "$out" '"group": "OST"'
run_pccs --store "$S" table arrs --year 2022-23 --in U02671
title=$(awk -F, '$1 == "clinical_pharmacist" { print $2 }' data/maps/arrs_role_labels.csv)
check_match "ARRS text: clinical_pharmacist as $title" "$out" "clinical_pharmacist .*$title"

# The API: the same messages, 400 for a malformed period, 404 for none loaded.
printf 'an admin passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 300 ] && ! grep -q listening "$T/out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
HTTP=$ROOT/tests/integration/client.py
/usr/bin/python3 "$HTTP" "$URL" --login root 'an admin passphrase' --jar "$T/jar" >/dev/null 2>&1
# api PATH CODE CLI-ARGS...: the API's status and error = the CLI's message.
api() {
    path=$1 code=$2
    shift 2
    body=$(/usr/bin/python3 "$HTTP" "$URL" "$path" --jar "$T/jar" 2>"$T/code")
    got=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["error"].removeprefix("in: "))')
    run_pccs --store "$S" "$@"
    want=$(printf '%s\n' "$errout" | head -1 | sed 's/^pccs[a-z ]*: //; s/--\([a-z]\)/\1/g')
    check_eq "API $path: $code" "$(tail -1 "$T/code")" "$code"
    check_eq "... the CLI's message" "$got" "$want"
}
api "/api/tables/populations?period=banana" 400 table populations --period banana
api "/api/tables/payments?year=2022-24" 400 table payments --year 2022-24
api "/api/tables/workforce?period=2022-23" 400 table workforce --period 2022-23
api "/api/tables/populations?at=2021-13-01" 400 table populations --at 2021-13-01
api "/api/tables/payments?year=1999-00&level=practice" 404 table payments --year 1999-00 --level practice
api "/api/tables/populations?in=u8914" 404 table populations --in u8914
out=$(/usr/bin/python3 "$HTTP" "$URL" "/api/orgs/u89141" --jar "$T/jar" 2>/dev/null)
check_match "API /api/orgs/u89141: U89141" "$out" '"code": "U89141"'
kill -TERM $pid
wait $pid

done_testing
