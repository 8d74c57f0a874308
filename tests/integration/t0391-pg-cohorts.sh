#!/bin/sh
# Population health on PostgreSQL (issue 20): a SQLite store and a
# PostgreSQL store loaded with the same NHS files and the same synthetic
# patients (pccs synth patients, CSV and FHIR NDJSON) give identical
# cohort tables (pccs table cohorts) and practice lists (pccs patients).
# On PostgreSQL the patient-level tables are partitioned by the ICB of
# the practice: checked with psql, every row is in its ICB's partition
# (made by the loader) and none is left in the DEFAULT ones, also when
# the patients were loaded before their registrations; a load that fails
# leaves no row and no partition.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

cd "$ROOT" || exit 1
need_codelists
pg_start
# run_sq ARGS: run_pccs on the SQLite store $L with the real binary.
run_sq() {
    out=$("$SQ" --store "$L" "$@" 2>"$T/stderr")
    status=$?
    errout=$(cat "$T/stderr")
}
PCN=U01989
AT=2026-04-01
L=$T/s.db
# The SQLite side stays SQLite under make check-pg too.
SQ=${PCCS_REAL:-$PCCS}
P=$(pg_db csv)
N=$(pg_db ndjson)
NHS="$DATA/gp-reg-pat-prac-all_2026-04.csv $DATA/gp-reg-pat-prac-map_2025-10.csv $DATA/qof2021_PREVALENCE_2021_v2.csv"
for s in "$L" "$P" "$N"; do
    # shellcheck disable=SC2086
    if [ "$s" = "$L" ]; then
        run_sq load --quiet $NHS
    else
        run_pccs --store "$s" load --quiet $NHS
    fi
    check_eq "NHS files load into ${s%%\?*}" "$status $errout" "0 "
done
run_sq synth patients --in $PCN --out "$T/syn" --seed 5 --at $AT
check_eq "synth patients" "$status" 0
ICB=$(python3 - "$DATA/gp-reg-pat-prac-map_2025-10.csv" $PCN <<'PY'
import csv, sys
print({r["ICB_CODE"] for r in csv.DictReader(open(sys.argv[1])) if r["PCN_CODE"] == sys.argv[2]}.pop())
PY
)
icb=$(printf '%s' "$ICB" | tr 'A-Z' 'a-z')

# The patients first, alone: they wait in the DEFAULT partition.
run_pccs --store "$P" load --quiet "$T/syn/patients.csv"
check_eq "patients.csv loads into PostgreSQL" "$status $errout" "0 "
npat=$(tail -n +2 "$T/syn/patients.csv" | wc -l | tr -d ' ')
check_eq "... all in the DEFAULT partition (no registration yet)" \
    "$(psql_at "$P" "select count(*) from patients_default")" "$npat"

# A registrations file naming a practice the store lacks fails whole.
{ head -1 "$T/syn/practice_registrations.csv"
  sed -n 2,50p "$T/syn/practice_registrations.csv"
  tail -n +2 "$T/syn/patients.csv" | head -1 | cut -d, -f1 | sed 's/$/,Z99999,2020-01-01/'
} >"$T/bad_registrations.csv"
run_pccs --store "$P" load --quiet "$T/bad_registrations.csv"
check_eq "a registrations file with an unknown practice is refused" "$status" 1
check_eq "... and leaves no registration and no partition" \
    "$(psql_at "$P" "select count(*) from patient_regs"):$(psql_at "$P" "select count(*) from pg_inherits where inhparent = 'patient_regs'::regclass")" \
    "0:1"

run_pccs --store "$P" load --quiet "$T/syn/practice_registrations.csv" \
    "$T/syn/clinical_events.csv" "$T/syn/medications.csv"
check_eq "registrations, events and medicines load" "$status $errout" "0 "
run_sq load --quiet "$T"/syn/*.csv
check_eq "the same CSV files load into SQLite" "$status" 0
run_pccs --store "$N" load --quiet "$T"/syn/*.ndjson
check_eq "the NDJSON files load into PostgreSQL" "$status $errout" "0 "

for s in "$P" "$N"; do
    check_eq "psql: the partitions of $ICB (patients, registrations, events)" \
        "$(psql_at "$s" "select string_agg(c.relname, ' ' order by c.relname) from pg_inherits i join pg_class c on c.oid = i.inhrelid where pg_get_expr(c.relpartbound, c.oid) = 'FOR VALUES IN (''$ICB'')'")" \
        "patient_regs_$icb patients_$icb phm_events_$icb"
    check_eq "psql: every patient in it, none left in DEFAULT" \
        "$(psql_at "$s" "select count(*) from patients_$icb"):$(psql_at "$s" "select count(*) from patients_default")" \
        "$npat:0"
    check_eq "psql: every registration and event in it too" \
        "$(psql_at "$s" "select (select count(*) from patient_regs_default) + (select count(*) from phm_events_default)"):$(psql_at "$s" "select count(*) > 0 from phm_events_$icb")" \
        "0:t"
done
check_eq "psql: events as many as in the files" \
    "$(psql_at "$P" "select count(*) from phm_events")" \
    "$(($(tail -n +2 "$T/syn/clinical_events.csv" | wc -l) + $(tail -n +2 "$T/syn/medications.csv" | wc -l)))"

"$SQ" --store "$L" table cohorts --at $AT --format csv >"$T/l.csv"
"$PCCS" --store "$P" table cohorts --at $AT --format csv >"$T/p.csv" 2>"$T/err"
check_eq "pccs table cohorts on PostgreSQL" "$? $(cat "$T/err")" "0 "
check_eq "... identical to SQLite's" "$(cmp "$T/l.csv" "$T/p.csv" && echo same)" same
"$PCCS" --store "$N" table cohorts --at $AT --format csv >"$T/n.csv"
check_eq "... and the NDJSON load's" "$(cmp "$T/l.csv" "$T/n.csv" && echo same)" same
check_match "... with rows" "$(sed -n 2p "$T/l.csv")" "^[A-Z][0-9]{5},"

PR=$(sed -n 2p "$T/l.csv" | cut -d, -f1)
"$SQ" --store "$L" patients --practice "$PR" --at $AT --format csv >"$T/lp.csv"
"$PCCS" --store "$P" patients --practice "$PR" --at $AT --format csv >"$T/pp.csv"
check_eq "pccs patients --practice $PR: identical on both" \
    "$(cmp "$T/lp.csv" "$T/pp.csv" && echo same)" same
check_eq "... the practice's patients" "$(($(wc -l <"$T/pp.csv") - 1))" \
    "$(psql_at "$P" "select count(distinct patient) from patient_regs where practice = '$PR'")"
"$SQ" --store "$L" patients --practice "$PR" --cohort smr_priority --at $AT --format csv >"$T/lc.csv"
"$PCCS" --store "$P" patients --practice "$PR" --cohort smr_priority --at $AT --format csv >"$T/pc.csv"
check_eq "... and its cohort smr_priority" "$(cmp "$T/lc.csv" "$T/pc.csv" && echo same)" same
check_eq "each list read is audited on PostgreSQL" \
    "$(psql_at "$P" "select count(*) from audit where action = 'patients'")" 2
done_testing
