#!/bin/sh
# eFI deficits from recorded values (issue 18): data/rules/efi-values.csv
# turns an observation's value into a deficit (eGFR below 60, TSH outside
# 0.36-5.5, haemoglobin below 130 g/L for men and 115 g/L for women ...,
# strict bounds as in the gm-sde eFI SQL). Hand-made patients at the
# bounds get exactly the deficits the rules say (worked out here by hand,
# not by pccs); a synthetic PCN's values change the eFI categories, and
# pccs's counts equal python's (tests/integration/phm/cohorts.py) with
# the values, not without them.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
cp "$S" "$T/h.db"
PRAC=$(python3 - "$DATA/gp-reg-pat-prac-map_2025-10.csv" $PCN <<'PY'
import csv, sys
print(sorted(r["PRACTICE_CODE"] for r in csv.DictReader(open(sys.argv[1]))
             if r["PCN_CODE"] == sys.argv[2])[0])
PY
)

# Hand-made patients, all aged 70, each with values at or past a bound.
# eGFR 1011481000000105, TSH 1022791000000101, haemoglobin
# 1022431000000105, ABPM systolic 314449000, Barthel 273302005.
mkdir -p "$T/h"
{
    echo "patient_id,date_of_birth,sex,date_of_death"
    for p in A B C D E F G; do echo "$p,1955-06-01,F,"; done
    echo "H,1955-06-01,M,"
} >"$T/h/patients.csv"
{
    echo "patient_id,practice_code,start_date,end_date"
    for p in A B C D E F G H; do echo "$p,$PRAC,2000-01-01,"; done
} >"$T/h/practice_registrations.csv"
cat >"$T/h/clinical_events.csv" <<'CSV'
patient_id,date,snomedct_code,numeric_value
A,2025-01-10,1011481000000105,60
B,2025-01-10,1011481000000105,59.5
C,2025-01-10,1022791000000101,0.36
C,2025-02-10,1022791000000101,5.5
D,2025-01-10,1022791000000101,0.2
D,2025-01-10,1011481000000105,40
D,2025-01-10,314449000,150
D,2025-01-10,273302005,18
E,2025-01-10,1022431000000105,120
H,2025-01-10,1022431000000105,120
F,2027-01-10,1011481000000105,30
G,2025-01-10,273302005,19
CSV

run_pccs --store "$T/h.db" load --quiet "$T"/h/*.csv
check_eq "hand-made values load" "$status $errout" "0 "
"$PCCS" --store "$T/h.db" patients --practice "$PRAC" --at $AT --format csv \
    >"$T/h.out"
got=$(python3 - "$T/h.out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
col = next(c for c in rows[0] if "deficit" in c)
print(" ".join("%s=%s" % (r[next(iter(r))], r[col]) for r in rows))
PY
)
# A: eGFR 60 is not below 60. B: 59.5 is. C: TSH 0.36 and 5.5 are inside.
# D: TSH, eGFR, ABPM and Barthel 18 are four deficits. E: a woman at
# 120 g/L is not anaemic (below 115); H: a man at 120 is (below 130).
# F: a value after the day does not count. G: Barthel 19 is above 18.
check_eq "each patient's deficits follow the bounds" "$got" \
    "A=0 B=1 C=0 D=4 E=0 F=0 G=0 H=1"

run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 5 --at $AT
check_eq "synth patients" "$status" 0
for c in 1011481000000105 314449000 273302005; do
    check_match "... writes observations of $c with values" \
        "$(grep -c "\"code\":\"$c\".*valueQuantity" "$T/syn/Observation.ndjson")" \
        "^[1-9]"
done
run_pccs --store "$S" load --quiet "$T"/syn/*.ndjson
check_eq "NDJSON loads" "$status" 0
"$PCCS" --store "$S" table cohorts --at $AT --format csv >"$T/n.csv"
python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" data/rules $AT >"$T/py.csv"
PHM_NO_VALUES=1 python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" \
    data/rules $AT >"$T/pynov.csv"
pick() {
    python3 - "$1" <<'PY'
import csv, sys
cols = ["code", "efi_fit", "efi_mild", "efi_moderate", "efi_severe"]
for r in csv.DictReader(open(sys.argv[1])):
    print(",".join(r[c] for c in cols))
PY
}
check_eq "eFI categories per practice equal python's with the values" \
    "$(pick "$T/n.csv")" "$(pick "$T/py.csv")"
check_eq "... and differ from python's without them" \
    "$([ "$(pick "$T/n.csv")" != "$(pick "$T/pynov.csv")" ] && echo differ)" \
    differ
sev() {
    python3 -c "import csv,sys; print(sum(int(r['efi_severe']) for r in csv.DictReader(open(sys.argv[1]))))" "$1"
}
check_match "... values add severe frailty" \
    "$(python3 -c "print($(sev "$T/py.csv") - $(sev "$T/pynov.csv"))")" "^[1-9]"
done_testing
