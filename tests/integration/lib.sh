# Shared helpers for integration tests (POSIX sh). Each test sources this,
# prints TAP ("ok N - name" / "not ok N - name") and ends with `done_testing`.
# Environment: PCCS (the binary, default ./pccs), TMPDIR; PCCS_PG_SCRATCH
# when `make check-pg` runs the test with its stores on PostgreSQL
# (PCCS is then tests/pg-wrap: see on_pg, sql and store_dump below).
set -u
PCCS=${PCCS:-$PWD/pccs}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/data/nhs
T=$(mktemp -d "${TMPDIR:-/tmp}/pccs-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_fail=0

ok() {
    _n=$((_n + 1))
    if _pg_skipped; then
        printf 'ok %d - %s # SKIP on PostgreSQL: %s\n' "$_n" "$1" "$_pg_why"
        return 0
    fi
    printf 'ok %d - %s\n' "$_n" "$1"
}

not_ok() {
    _n=$((_n + 1))
    if _pg_skipped; then
        printf 'ok %d - %s # SKIP on PostgreSQL: %s\n' "$_n" "$1" "$_pg_why"
        return 0
    fi
    _fail=$((_fail + 1))
    printf 'not ok %d - %s\n' "$_n" "$1"
    shift
    [ $# -gt 0 ] && printf '#   %s\n' "$@"
    return 0
}

# check_eq NAME GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1" "got:  $2" "want: $3"
    fi
}

# check_num NAME GOT WANT [TOLERANCE]: numeric equality within tolerance.
check_num() {
    if awk -v g="$2" -v w="$3" -v t="${4:-0}" \
        'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'
    then
        ok "$1"
    else
        not_ok "$1" "got:  $2" "want: $3 (tolerance ${4:-0})"
    fi
}

# check_match NAME TEXT EXTENDED-REGEX
check_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then
        ok "$1"
    else
        not_ok "$1" "text: $2" "does not match: $3"
    fi
}

# run_pccs: run the binary, capturing stdout in $out, stderr in $errout
# and the exit status in $status.
run_pccs() {
    out=$("$PCCS" "$@" 2>"$T/stderr")
    status=$?
    errout=$(cat "$T/stderr")
}

# sql STORE QUERY: query a SQLite store with the sqlite3 shell. On
# PostgreSQL (on_pg) there is no file to read: it prints nothing and, for
# each such call, the next check (ok, not_ok or check_*) is reported as
# skipped on PostgreSQL.
sql() {
    if on_pg; then
        pg_skip_next "reads the SQLite file with sqlite3"
        return 0
    fi
    sqlite3 -batch -noheader "$1" "$2"
}

# facts_sql STORE QUERY: as sql, with `facts` the store's figures decoded
# from their packs by tests/facts.py (loads no longer write fact_values
# rows, which the store's own facts view reads).
facts_sql() {
    if on_pg; then
        pg_skip_next "reads the SQLite file's packs"
        return 0
    fi
    python3 "$ROOT/tests/facts.py" "$1" "$2"
}

# on_pg: true when the test's stores are on PostgreSQL (make check-pg).
on_pg() {
    [ -n "${PCCS_PG_SCRATCH:-}" ]
}

# pg_skip_next REASON: on PostgreSQL, report the next check as skipped
# with REASON (for checks that look into the SQLite file); one check per
# call, counted in a file in $T so that it works from a subshell too
# ($(sql ...)).
pg_skip_next() {
    on_pg && printf '%s\n' "$1" >>"$T/.pg-skip"
    return 0
}

_pg_skipped() {
    [ -s "$T/.pg-skip" ] || return 1
    _pg_why=$(head -n 1 "$T/.pg-skip")
    tail -n +2 "$T/.pg-skip" >"$T/.pg-skip.1"
    mv -f "$T/.pg-skip.1" "$T/.pg-skip"
}

# pg_sql STORE SQL: on PostgreSQL, run SQL in STORE's database (psql),
# for the tests that change the store behind pccs's back.
pg_sql() {
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$("$PCCS" --pg-url "$1")" -c "$2"
}

# store_dump STORE: every row of a store as text, to compare before and
# after (sqlite3 .dump; on PostgreSQL pg_dump --data-only of its database,
# without sequence positions, which a rolled-back insert moves on, and
# without pg_dump's \restrict lines, a new random key each run).
store_dump() {
    if on_pg; then
        pg_dump --data-only "$("$PCCS" --pg-url "$1")" |
            grep -v -e '^SELECT pg_catalog.setval' -e '^\\restrict ' \
                -e '^\\unrestrict '
        return 0
    fi
    sqlite3 "$1" .dump
}

done_testing() {
    printf '1..%d\n' "$_n"
    [ "$_fail" -eq 0 ]
}

# skip_all REASON: the whole test is skipped (something it needs is not
# installed); scripts/run-tests counts it as a skip and shows the reason.
skip_all() {
    printf '1..0 # SKIP %s\n' "$1"
    exit 0
}

# need_codelists: the SNOMED CT code lists of population health, from
# $PCCS_CODELISTS or the shared copies beside the project; skip the whole
# test without them. Sets and exports PCCS_CODELISTS, sets CL.
need_codelists() {
    CL=${PCCS_CODELISTS:-$ROOT/../shared/data/codelists}
    [ -d "$CL/efi" ] || skip_all "no code lists at $CL (set PCCS_CODELISTS)"
    PCCS_CODELISTS=$CL
    export PCCS_CODELISTS
}

# tsv: read RFC 4180 CSV on stdin, write tab-separated fields (for awk -F'\t').
tsv() {
    python3 -c 'import csv, sys
w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
for row in csv.reader(sys.stdin):
    w.writerow([f.replace("\t", " ").replace("\n", " ") for f in row])'
}
