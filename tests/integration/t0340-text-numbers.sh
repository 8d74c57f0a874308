#!/bin/sh
# Issue 16, CLI polish: text output groups thousands with sensible
# decimals (a whole payments-year list size is 52,039, not 52039.00 nor
# 52,039.00), CSV and JSON keep the raw numbers; `table --all` writes the
# register table once per loaded register and names the registers not
# loaded on one line.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/nhs-payments-to-general-practice_2020-21.csv \
    "$DATA"/gp-reg-pat-prac-map_2020-09.csv data/templates/risks.csv
check_eq "load" "$status" 0

# The PCN's 2020-21 list: the payments file's registered patients (last
# known figure) of its practices, summed by python over the raw file.
want=$(/usr/bin/python3 - "$DATA/nhs-payments-to-general-practice_2020-21.csv" <<'PY'
import csv, sys
rows = csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))
print(f"{sum(float(r['Number of Registered Patients (Last Known Figure)']) for r in rows if r['PCN Code'] == 'U89141'):.2f}")
PY
)
run_pccs --store "$S" show U89141
line=$(printf '%s\n' "$out" | grep '^  2020-21 ')
check_match "show: the 2020-21 list grouped, without .00" "$line" "registered +52,039  "
check_eq "... the figure the payments file gives" "$want" "52039.00"
run_pccs --store "$S" table payments --year 2020-21 --level pcn --in U89141 --format csv
check_match "CSV keeps the raw number" "$out" ",52039,"
run_pccs --store "$S" table payments --year 2020-21 --level pcn --in U89141
check_match "text table: grouped, no .00 in a column of whole values" "$out" " 52,039  "
run_pccs --store "$S" table payments --year 2020-21 --level pcn --in U89141 --format json
check_match "JSON keeps the raw number" "$out" '"registered": 52039,'

# --all: the register table per loaded register, one line for the rest
run_pccs --store "$S" table --all --format csv --out "$T/all"
check_eq "table --all" "$status" 0
check_eq "... register-risks.csv written, the loaded register" \
    "$(head -1 "$T/all/register-risks.csv" | cut -c1-14)" "risk_id,title,"
check_eq "... one line names the registers not loaded" \
    "$(grep -c '^register .*skipped' "$T/stderr")" 1
check_match "... as not loaded" "$(grep '^register .*skipped' "$T/stderr")" \
    '^register +skipped: registers not loaded: places, programmes, milestones, estates, budget'
check_eq "... never 'which register?'" "$(grep -c 'which register' "$T/stderr")" 0
done_testing
