#!/bin/sh
# Issue 20, scale-out past one machine on PostgreSQL's own machinery: the
# patient-level tables are partitioned by LIST on the ICB of the
# patient's practice; here one ICB's partitions live on a second cluster,
# reached through postgres_fdw (a foreign table attached as a partition),
# and pccs, which knows nothing of it, loads through them and reads them
# back. Two synthetic PCNs in two ICBs (U39025 in QJG stays local, U16644
# in QE1 goes to the second cluster); `pccs table cohorts` (by practice
# and by ICB) and `pccs patients` of a practice in each ICB are
# byte-identical to the single-node answer (one PostgreSQL database, and
# a SQLite file), and the QE1 rows are on the second cluster, none on the
# first. Both clusters listen on loopback TCP (scripts/pg-scratch --port).
# Synthetic data throughout.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
need_codelists
AT=2026-04-01
LOCAL_PCN=U39025 # ICB QJG
REMOTE_PCN=U16644 # ICB QE1
REMOTE_ICB=QE1
PGS=$ROOT/scripts/pg-scratch

# Two loopback ports nobody listens on.
ports=$(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')
PA=${ports% *}
PB=${ports#* }
stop_all() {
    "$PGS" stop "$T/a" >/dev/null 2>&1
    "$PGS" stop "$T/b" >/dev/null 2>&1
    rm -rf "$T"
}
trap stop_all EXIT
for c in "a $PA" "b $PB"; do
    set -- $c
    "$PGS" start "$T/$1" --port "$2" >/dev/null 2>"$T/start.err"
    case $? in
    0) ;;
    2) skip_all "needs PostgreSQL: $(head -1 "$T/start.err")" ;;
    *) printf 'Bail out! cannot start PostgreSQL: %s\n' \
           "$(tr '\n' ' ' <"$T/start.err")"
       exit 1 ;;
    esac
done
for db in single dist; do "$PGS" createdb "$T/a" $db; done
"$PGS" createdb "$T/b" shard
SINGLE=postgresql://postgres@127.0.0.1:$PA/single
DIST=postgresql://postgres@127.0.0.1:$PA/dist
# qa DB SQL / qb DB SQL: one query on cluster a / b, rows unaligned.
qa() { "$PGS" psql "$T/a" -d "$1" -At -c "$2"; }
qb() { "$PGS" psql "$T/b" -d "$1" -At -c "$2"; }

NHS="$DATA/gp-reg-pat-prac-all_2026-04.csv $DATA/gp-reg-pat-prac-map_2025-10.csv
$DATA/qof2021_PREVALENCE_2021_v2.csv"
# The distributed store: schema and NHS files first, so the partitioned
# tables exist; then, for every table partitioned on icb, a table on the
# second cluster and a foreign table attached as the QE1 partition.
# shellcheck disable=SC2086
run_pccs --store "$DIST" load --quiet $NHS
case $errout in
*"not built"* | *"not supported"*)
    skip_all "this pccs has no PostgreSQL backend: $errout" ;;
esac
tables=$(qa dist "SELECT c.relname FROM pg_partitioned_table p
    JOIN pg_class c ON c.oid = p.partrelid
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
    WHERE p.partstrat = 'l' AND a.attname = 'icb' ORDER BY 1" 2>/dev/null)
[ "$status" -ne 0 ] || [ -n "$tables" ] ||
    skip_all "the PostgreSQL store has no patient tables partitioned on icb yet"
check_eq "NHS files load into the distributed store" "$status" 0
check_match "the patient-level tables are partitioned by LIST on icb" \
    "$(echo $tables)" "patients"
S=$T/one.db
# shellcheck disable=SC2086
run_pccs --store "$SINGLE" load --quiet $NHS
check_eq "NHS files load into the single-node PostgreSQL store" "$status" 0
# shellcheck disable=SC2086
run_pccs --store "$S" load --quiet $NHS
check_eq "... and into a SQLite file" "$status" 0
run_pccs --store "$S" synth patients --in $LOCAL_PCN --out "$T/local" \
    --seed 5 --at $AT --layout csv
check_eq "synthetic patients of $LOCAL_PCN (QJG)" "$status" 0
run_pccs --store "$S" synth patients --in $REMOTE_PCN --out "$T/remote" \
    --seed 6 --at $AT --layout csv
check_eq "synthetic patients of $REMOTE_PCN ($REMOTE_ICB)" "$status" 0
PHM="$T/local/*.csv $T/remote/*.csv"
# shellcheck disable=SC2086
run_pccs --store "$S" load --quiet $PHM
check_eq "... loaded into the SQLite file" "$status" 0
# shellcheck disable=SC2086
run_pccs --store "$SINGLE" load --quiet $PHM
check_eq "... and into the single-node PostgreSQL store" "$status" 0

low=$(echo $REMOTE_ICB | tr 'A-Z' 'a-z')
qa dist "CREATE EXTENSION postgres_fdw;
    CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
        OPTIONS (host '127.0.0.1', port '$PB', dbname 'shard');
    CREATE USER MAPPING FOR postgres SERVER shard2
        OPTIONS (user 'postgres')" >/dev/null 2>"$T/fdw.err"
check_eq "postgres_fdw server to the second cluster" "$? $(cat "$T/fdw.err")" "0 "
placed=0
for t in $tables; do
    cols=$(qa dist "SELECT string_agg(quote_ident(attname) || ' ' ||
        format_type(atttypid, atttypmod) ||
        CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END, ', '
        ORDER BY attnum) FROM pg_attribute
        WHERE attrelid = '$t'::regclass AND attnum > 0 AND NOT attisdropped")
    qb shard "CREATE TABLE ${t}_$low ($cols, CHECK (icb = '$REMOTE_ICB'))" \
        >/dev/null 2>>"$T/fdw.err" &&
        qa dist "CREATE FOREIGN TABLE ${t}_$low PARTITION OF $t
            FOR VALUES IN ('$REMOTE_ICB') SERVER shard2
            OPTIONS (table_name '${t}_$low')" >/dev/null 2>>"$T/fdw.err" &&
        placed=$((placed + 1))
done
check_eq "every one of them has its $REMOTE_ICB partition on the second cluster" \
    "$placed $(cat "$T/fdw.err")" "$(echo $tables | wc -w) "
# shellcheck disable=SC2086
run_pccs --store "$DIST" load --quiet $PHM
check_eq "synthetic patients load into the distributed store" "$status" 0

# Where the rows are.
want_remote=$(($(wc -l <"$T/remote/patients.csv") - 1))
want_local=$(($(wc -l <"$T/local/patients.csv") - 1))
check_eq "the second cluster holds the $REMOTE_ICB patients" \
    "$(qb shard "SELECT count(*) FROM patients_$low")" "$want_remote"
check_eq "... their registrations" \
    "$(qb shard "SELECT count(*) FROM patient_regs_$low")" "$want_remote"
want_ev=$(($(wc -l <"$T/remote/clinical_events.csv") - 1 +
    $(wc -l <"$T/remote/medications.csv") - 1))
check_eq "... and their events and medicines ($want_ev)" \
    "$(qb shard "SELECT count(*) FROM phm_events_$low")" "$want_ev"
check_eq "the first cluster's own partitions hold all of QJG's, none of them" \
    "$(qa dist "SELECT string_agg(icb || '=' || n, ' ' ORDER BY icb) FROM
        (SELECT icb, count(*) n FROM patients p JOIN pg_class c
         ON c.oid = p.tableoid WHERE c.relkind = 'r' GROUP BY icb) x")" \
    "QJG=$want_local"
check_eq "the first reads both through the partitioned table" \
    "$(qa dist "SELECT string_agg(icb || '=' || n, ' ' ORDER BY icb) FROM
        (SELECT icb, count(*) n FROM patients GROUP BY icb) x")" \
    "QE1=$want_remote QJG=$want_local"

# The answers: distributed = single node = SQLite.
for lvl in practice icb; do
    for s in sqlite single dist; do
        case $s in
        sqlite) store=$S ;;
        single) store=$SINGLE ;;
        dist) store=$DIST ;;
        esac
        "$PCCS" --store "$store" table cohorts --at $AT --level $lvl \
            --format csv >"$T/$s.$lvl" 2>&1
    done
    check_eq "table cohorts --level $lvl: single-node PostgreSQL = SQLite" \
        "$(cmp "$T/single.$lvl" "$T/sqlite.$lvl" 2>&1 && echo same)" same
    check_eq "... distributed = single node" \
        "$(cmp "$T/dist.$lvl" "$T/single.$lvl" 2>&1 && echo same)" same
done
check_match "... with the patients of both ICBs counted" \
    "$(cut -d, -f1,4 "$T/dist.icb" | tr '\n' ' ')" \
    "QE1,$want_remote .*QJG,$want_local"
for p in $(tail -n +2 "$T/local/practice_registrations.csv" | cut -d, -f2 |
    sort -u | head -1) $(tail -n +2 "$T/remote/practice_registrations.csv" |
    cut -d, -f2 | sort -u | head -1); do
    "$PCCS" --store "$S" patients --practice "$p" --at $AT --format csv \
        >"$T/p1" 2>&1
    "$PCCS" --store "$DIST" patients --practice "$p" --at $AT --format csv \
        >"$T/p2" 2>&1
    check_eq "pccs patients --practice $p: distributed = SQLite ($(($(wc -l <"$T/p1") - 1)) patients)" \
        "$(cmp "$T/p2" "$T/p1" 2>&1 && echo same)" same
done

done_testing
