#!/bin/sh
# Issue 16, CLI polish: text output groups thousands with sensible
# decimals (a whole payments-year list size is 52,039, not 52039.00 nor
# 52,039.00), CSV and JSON keep the raw numbers; `table --all` writes the
# register table once per loaded register and names the registers not
# loaded on one line; `show --compare` gives a practice's benchmarks.
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

# show --compare (issue 16): a practice beside its ICB, region and
# England (the practices the map places), rank and decile among every
# practice in England, the same
# table the API gives; recomputed by python from the registrations file
S2=$T/s2.db
run_pccs --store "$S2" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv "$DATA"/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S2" show A81001 --compare --format json
printf '%s' "$out" >"$T/cmp.json"
got=$(/usr/bin/python3 - "$T/cmp.json" "$DATA" <<'PY'
import csv, json, math, sys
row = next(r for r in json.load(open(sys.argv[1]))["comparison"]["rows"] if r["figure"] == "populations.registered")
d = sys.argv[2]
reg = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-all_2026-04.csv"))}
icb = {r["PRACTICE_CODE"]: (r["ICB_CODE"], r["COMM_REGION_CODE"]) for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-map_2025-10.csv"))}
subs = {r["SUB_ICB_LOCATION_CODE"] for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-map_2025-10.csv"))}
me = reg["A81001"]
vals = sorted(reg.values())
rank = 1 + sum(v > me for v in vals)
pos = max(i for i, v in enumerate(vals) if v == me) + 1   # ties: the later in order
want = {"value": me, "icb": sum(v for c, v in reg.items() if icb.get(c, ("", ""))[0] == "QHM"),
        "region": sum(v for c, v in reg.items() if icb.get(c, ("", ""))[1] == "Y63"),
        # England: practices whose sub-ICB (the registrations file's) the
        # map places in an ICB (U2G6B of April 2026 is in none)
        "england": sum(int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(open(f"{d}/gp-reg-pat-prac-all_2026-04.csv"))
                       if r["SUB_ICB_LOCATION_CODE"] in subs),
        "rank": rank, "peers": len(vals)}
print(" ".join(f"{k}={'ok' if row[k] == v else f'{row[k]}!={v}'}" for k, v in want.items()),
      "decile=" + ("ok" if 1 <= row["decile"] <= 10 and abs(row["decile"] - math.ceil(10 * pos / len(vals))) <= 1 else str(row["decile"])))
PY
)
check_eq "show --compare: registered beside ICB, region, England, rank among peers = python" "$got" \
    "value=ok icb=ok region=ok england=ok rank=ok peers=ok decile=ok"
run_pccs --store "$S2" show A81001 --compare
check_match "... in text too" "$out" "Compared with its ICB, region and England"
run_pccs --store "$S2" show QHM --compare
check_eq "... only for a practice or PCN (exit 1)" "$status" 1
done_testing
