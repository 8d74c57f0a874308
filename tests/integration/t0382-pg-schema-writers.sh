#!/bin/sh
# Issue 20 on PostgreSQL: the schema is versioned (a store newer than
# this pccs is refused, an up-to-date one left as it is), a database
# that takes no writes is read but not changed, and two loads at once
# both land whole (writers take turns) with the same tables as SQLite.
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
sh "$PGS" createdb "$T/pg" t0382
URL=$(sh "$PGS" url "$T/pg" t0382)
psql_() { sh "$PGS" psql "$T/pg" -d t0382 -At -c "$1"; }

F1=$DATA/nhs-payments-to-general-practice_2020-21.csv
F2=$DATA/nhs-payments-to-general-practice_2022-23.csv
M=$DATA/gp-reg-pat-prac-map_2020-09.csv

# Two loads at once: both land, each whole.
run_pccs --store "$URL" load --quiet "$M"
check_eq "a map loads" "$status" 0
"$PCCS" --store "$URL" load --quiet "$F1" >/dev/null 2>"$T/e1" &
a=$!
"$PCCS" --store "$URL" load --quiet "$F2" >/dev/null 2>"$T/e2" &
b=$!
wait "$a"
ra=$?
wait "$b"
check_eq "two loads at once: both exit 0" "$ra $?" "0 0"
check_eq "... three sources" "$(psql_ 'SELECT count(*) FROM sources')" 3
rows=$(psql_ "SELECT string_agg(rows_loaded::text, ' ' ORDER BY path) FROM
    sources WHERE kind = 'payments'")
want=$(python3 -c 'import csv, sys
print(" ".join(str(sum(1 for _ in csv.DictReader(open(f, encoding="latin-1"))))
      for f in sys.argv[1:]))' "$F1" "$F2")
check_eq "... each with every row, as python3 counts" "$rows" "$want"
S=$T/s.db
"$PCCS" --store "$S" load --quiet "$M" "$F1" "$F2" >/dev/null 2>&1
for y in 2020-21 2022-23; do
    "$PCCS" --store "$S" table payments --level icb --year "$y" \
        --format csv >"$T/sq-$y" 2>&1
    "$PCCS" --store "$URL" table payments --level icb --year "$y" \
        --format csv >"$T/pg-$y" 2>&1
    if cmp -s "$T/sq-$y" "$T/pg-$y" && [ "$(wc -l <"$T/sq-$y")" -gt 10 ]; then
        ok "... payments $y by ICB as from SQLite loaded one by one"
    else
        not_ok "... payments $y by ICB as from SQLite loaded one by one" \
            "$(diff "$T/sq-$y" "$T/pg-$y" | head -n 4)"
    fi
done

# Versions: opening an up-to-date store changes nothing; a newer one is
# refused.
v=$(psql_ 'SELECT max(version) FROM schema_version')
"$PCCS" --store "$URL" sources >/dev/null 2>&1
check_eq "an up-to-date store keeps its version" \
    "$(psql_ 'SELECT max(version) FROM schema_version')" "$v"
psql_ "UPDATE schema_version SET version = $v + 1" >/dev/null
run_pccs --store "$URL" sources
check_eq "a store newer than this pccs: exit 1" "$status" 1
check_match "... saying so" "$errout" "newer than this pccs knows"
psql_ "UPDATE schema_version SET version = $v" >/dev/null

# A database that takes no writes: read, not changed.
psql_ "ALTER DATABASE t0382 SET default_transaction_read_only = on" >/dev/null
run_pccs --store "$URL" sources --format csv
check_eq "a read-only database is read: exit 0" "$status" 0
check_eq "... its three sources" "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 3
run_pccs --store "$URL" load --quiet "$DATA/epraccur_2022.csv"
check_eq "... a load is refused: exit 1" "$status" 1
check_match "... saying the store is read-only" "$errout" "read-only"
check_eq "... and nothing is written" "$(psql_ 'SELECT count(*) FROM sources')" 3
done_testing
