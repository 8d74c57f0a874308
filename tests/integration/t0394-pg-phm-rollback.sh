#!/bin/sh
# Patient-level loads on PostgreSQL are all or nothing, partitions
# included (issue 20): a registrations load that the server refuses
# after the loader made the ICB's partitions (a trigger refusing the
# rows) leaves no registration, no new partition and the patients where
# they were (the DEFAULT partition); loaded again it moves them to their
# ICB's partition. An events file loaded before its patients'
# registrations waits in DEFAULT too and moves with them. A second
# load numbers its patients after the first's (ids stay dense: the
# cohorts index by them), and a file loaded twice changes nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

cd "$ROOT" || exit 1
need_codelists
pg_start
S=$(pg_db phm)
AT=2026-04-01
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load into PostgreSQL" "$status $errout" "0 "
run_pccs --store "$S" synth patients --in U89141 --out "$T/a" --seed 3 --at $AT --layout csv
check_eq "synthetic patients of U89141 (QHM)" "$status" 0
run_pccs --store "$S" synth patients --in U39025 --out "$T/b" --seed 4 --at $AT --layout csv
check_eq "... and of U39025 (QJG)" "$status" 0
na=$(($(wc -l <"$T/a/patients.csv") - 1))
nb=$(($(wc -l <"$T/b/patients.csv") - 1))
parts() {
    psql_at "$S" "select string_agg(c.relname, ' ' order by c.relname) from
        pg_inherits i join pg_class c on c.oid = i.inhrelid where c.relkind = 'r'"
}

run_pccs --store "$S" load --quiet "$T/a/patients.csv" "$T/a/clinical_events.csv"
check_eq "patients and their events, before any registration" "$status $errout" "0 "
check_eq "... wait in the DEFAULT partitions" \
    "$(psql_at "$S" "select (select count(*) from patients_default) || ' ' || (select count(*) > 0 from phm_events_default) || ' ' || (select count(*) from phm_events where icb <> '')")" \
    "$na true 0"
check_eq "... ids 1 to $na" "$(psql_at "$S" "select min(id) || '-' || max(id) from patients")" "1-$na"

psql_at "$S" "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
    \$\$BEGIN RAISE EXCEPTION 'refused by a test trigger'; END\$\$;
    CREATE TRIGGER refuse BEFORE INSERT ON patient_regs FOR EACH ROW
    EXECUTE FUNCTION refuse()" >/dev/null
before=$(parts)
run_pccs --store "$S" load --quiet "$T/a/practice_registrations.csv"
check_eq "a registrations load the server refuses: exit 1" "$status" 1
check_match "... naming why" "$errout" "refused by a test trigger"
check_eq "... no registration" "$(psql_at "$S" "select count(*) from patient_regs")" 0
check_eq "... no partition made (they were, in its transaction)" "$(parts)" "$before"
check_eq "... the patients still in DEFAULT" \
    "$(psql_at "$S" "select count(*) from patients_default")" "$na"
check_eq "... no source recorded" \
    "$(psql_at "$S" "select count(*) from sources where kind = 'phm_registrations'")" 0
psql_at "$S" "DROP TRIGGER refuse ON patient_regs" >/dev/null

run_pccs --store "$S" load --quiet "$T/a/practice_registrations.csv"
check_eq "loaded again without the trigger" "$status $errout" "0 "
check_eq "... the partitions of QHM made" "$(parts)" \
    "patient_regs_default patient_regs_qhm patients_default patients_qhm phm_events_default phm_events_qhm"
check_eq "... patients and events moved there, none left in DEFAULT" \
    "$(psql_at "$S" "select (select count(*) from patients_qhm) || ' ' || (select count(*) from patients_default) || ' ' || (select count(*) from phm_events_default)")" \
    "$na 0 0"
check_eq "... the events as many as the file's" \
    "$(psql_at "$S" "select count(*) from phm_events_qhm")" \
    "$(($(wc -l <"$T/a/clinical_events.csv") - 1))"

run_pccs --store "$S" load --quiet "$T"/b/*.csv
check_eq "another ICB's files" "$status $errout" "0 "
check_eq "... numbered after the first's" \
    "$(psql_at "$S" "select min(id) || '-' || max(id) || ' ' || count(distinct id) from patients where icb = 'QJG'")" \
    "$((na + 1))-$((na + nb)) $nb"
check_eq "... in partitions of their own" \
    "$(psql_at "$S" "select count(*) from patients_qjg"):$(psql_at "$S" "select count(*) from patients_qhm")" \
    "$nb:$na"
run_pccs --store "$S" load "$T/b/patients.csv"
check_eq "a file loaded twice changes nothing" \
    "$status $(psql_at "$S" "select count(*) from patients")" "0 $((na + nb))"
run_pccs --store "$S" table cohorts --at $AT --level icb --format csv
check_match "cohorts by ICB count both" "$(printf '%s\n' "$out" | cut -d, -f1,4 | tr '\n' ' ')" \
    "QHM,$na .*QJG,$nb|QJG,$nb .*QHM,$na"
done_testing
