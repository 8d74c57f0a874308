# Sourced after lib.sh by the tests that need PostgreSQL (t0390-t0394):
# pg_start starts a throwaway cluster of their own in $T/pg
# (scripts/pg-scratch), exports PCCS_PG_URL, PGHOST, PGPORT, PGUSER and
# PGDATABASE, and stops it when the test exits; without PostgreSQL
# installed the test is skipped, saying so.
PG=$T/pg

pg_start() {
    env=$("$ROOT/scripts/pg-scratch" start "$PG" 2>"$T/pg-start.err")
    case $? in
    0) ;;
    2) skip_all "needs PostgreSQL: $(head -1 "$T/pg-start.err")" ;;
    *) printf 'Bail out! cannot start PostgreSQL: %s\n' \
           "$(tr '\n' ' ' <"$T/pg-start.err")"
       exit 1 ;;
    esac
    eval "$env"
    trap '"$ROOT/scripts/pg-scratch" stop "$PG" >/dev/null 2>&1; rm -rf "$T"' EXIT
}

# pg_db NAME: the URL of a new database NAME of the cluster.
pg_db() {
    "$ROOT/scripts/pg-scratch" createdb "$PG" "$1" >/dev/null 2>&1 &&
        "$ROOT/scripts/pg-scratch" url "$PG" "$1"
}

# psql_at URL QUERY: one query's rows, unaligned, no headers.
psql_at() {
    psql -X -q -At -d "$1" -c "$2"
}
