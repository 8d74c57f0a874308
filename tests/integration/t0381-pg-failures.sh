#!/bin/sh
# Issue 20, second acceptance item: the PostgreSQL server killed in the
# middle of a load (pg_ctl stop -m immediate): the load fails with a
# clear message, and after a restart the store has none of that file
# (and the file loads again). Connections that cannot be made are clear
# errors naming the URL without its password.
. "$(dirname "$0")/lib.sh"

PGS=$ROOT/scripts/pg-scratch
sh "$PGS" url "$T" x >/dev/null 2>"$T/pgerr"
[ $? -eq 2 ] && skip_all "PostgreSQL is not installed: $(head -n 1 "$T/pgerr")"
trap 'sh "$PGS" stop "$T/pg" 2>/dev/null; rm -rf "$T"' EXIT
if ! sh "$PGS" start "$T/pg" >"$T/pgenv" 2>"$T/pgerr"; then
    not_ok "a throwaway PostgreSQL cluster starts" "$(cat "$T/pgerr")"
    done_testing
    exit 1
fi
sh "$PGS" createdb "$T/pg" t0381
URL=$(sh "$PGS" url "$T/pg" t0381)
psql_() { sh "$PGS" psql "$T/pg" -d t0381 -At -c "$1"; }

# Connections that cannot be made.
run_pccs --store "postgresql://ann:s3cret@/t0381?host=$T/nosock" sources
check_eq "no server there: exit 1" "$status" 1
check_match "... says it cannot connect, naming the URL" "$errout" \
    "postgresql://ann@/t0381\?host=$T/nosock: cannot connect to PostgreSQL"
case $errout in
*s3cret*) not_ok "... never shows the password" "$errout" ;;
*) ok "... never shows the password" ;;
esac
run_pccs --store "$(sh "$PGS" url "$T/pg" nosuchdb)" sources
check_eq "no such database: exit 1" "$status" 1
check_match "... the server's reason" "$errout" 'database "nosuchdb" does not exist'

# A first file loads; the store's counts before the second.
F1=$DATA/epraccur_2022.csv
F2=$DATA/nhs-payments-to-general-practice_2022-23.csv
run_pccs --store "$URL" load --quiet "$F1"
check_eq "a first file loads" "$status" 0
before=$(psql_ "SELECT (SELECT count(*) FROM sources) || ' ' ||
    (SELECT count(*) FROM orgs) || ' ' || (SELECT count(*) FROM fact_values) ||
    ' ' || (SELECT count(*) FROM links)")

# The second load runs until its figures go in, where a lock on the
# figures' table (held by another session) stops it inside its
# transaction; then the server is killed.
psql_ "SELECT 1" >/dev/null
(printf 'BEGIN;\nLOCK TABLE fact_values IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(3600);\n' |
    sh "$PGS" psql "$T/pg" -d t0381 >/dev/null 2>&1) &
while [ "$(psql_ "SELECT count(*) FROM pg_locks WHERE relation =
    'fact_values'::regclass AND mode = 'AccessExclusiveLock' AND granted")" != 1 ]; do
    sleep 0.1
done
"$PCCS" --store "$URL" load "$F2" >"$T/load-out" 2>"$T/load-err" &
load=$!
# Waiting for the lock: the load has written its source and
# organisations in its transaction and is sending its figures.
while [ "$(psql_ "SELECT count(*) FROM pg_stat_activity WHERE datname =
    't0381' AND wait_event_type = 'Lock' AND query LIKE 'COPY fact_values%'")" != 1 ]; do
    sleep 0.1
done
ok "the load is inside its transaction, sending figures"
bin=$(pg_config --bindir 2>/dev/null)
[ -x "$bin/pg_ctl" ] || bin=$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k5 -rn | head -n 1)
owner=$(stat -c %U "$T/pg/data")
if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    runuser -u "$owner" -- "$bin/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1
else
    "$bin/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1
fi
check_eq "the server is killed (pg_ctl stop -m immediate)" "$?" 0
wait "$load"
check_eq "the load fails: exit 1" "$?" 1
err=$(cat "$T/load-err")
check_match "... saying the connection to the server was lost, and where" \
    "$err" "connection to PostgreSQL at postgresql://postgres@/t0381.* was lost"
check_match "... naming the file" "$err" "nhs-payments-to-general-practice_2022-23.csv"
wait 2>/dev/null

sh "$PGS" start "$T/pg" >/dev/null 2>"$T/pgerr"
check_eq "the server starts again" "$?" 0
after=$(psql_ "SELECT (SELECT count(*) FROM sources) || ' ' ||
    (SELECT count(*) FROM orgs) || ' ' || (SELECT count(*) FROM fact_values) ||
    ' ' || (SELECT count(*) FROM links)")
check_eq "none of the file is in the store (sources, orgs, facts, links)" \
    "$after" "$before"
"$PCCS" --store "$URL" sources --format csv >"$T/src" 2>&1
check_eq "pccs sources lists the first file only" \
    "$(tail -n +2 "$T/src" | grep -c 'nhs-payments') $(tail -n +2 "$T/src" | grep -c epraccur_2022)" "0 1"
run_pccs --store "$URL" load --quiet "$F2"
check_eq "the file loads again" "$status" 0
want=$(python3 -c 'import csv, sys
print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="latin-1"))))' "$F2")
"$PCCS" --store "$URL" sources --format csv >"$T/src" 2>&1
got=$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if "nhs-payments" in r["path"]:
        print(int(r["rows"]) + int(r["rejected"]))' "$T/src")
check_eq "... every row of it, as python3 counts" "$got" "$want"
done_testing
