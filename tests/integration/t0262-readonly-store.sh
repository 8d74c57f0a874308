#!/bin/sh
# Issue 14, finding 16: a store in a directory that cannot be written can
# still be read (opened read-only, no journal made beside it); a command
# that would change it says why it cannot, and the file is untouched.
. "$(dirname "$0")/lib.sh"
on_pg && skip_all "on PostgreSQL: a store file in a read-only directory is SQLite's case"

D=$T/ro
mkdir "$D"
S=$D/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv"
check_eq "load" "$status" 0
printf 'a long enough passphrase\n' | "$PCCS" --store "$S" user add ann --role admin --scope ENG 2>/dev/null
sum=$(sha256sum <"$S")
# What the writable store left beside it (its tree's cache file): the
# read-only commands below must add nothing to it.
files=$(ls "$D")
chmod 755 "$T"
chmod 644 "$S"
chmod 555 "$D"
# root writes anywhere: run pccs as nobody then
as() { "$PCCS" --store "$S" "$@"; }
if [ "$(id -u)" = 0 ]; then
    as() { setpriv --reuid=65534 --regid=65534 --clear-groups "$PCCS" --store "$S" "$@"; }
fi
as sources --format csv >"$T/src" 2>"$T/err"
check_eq "pccs sources reads it: exit 0" "$?" 0
check_eq "... one source" "$(tail -n +2 "$T/src" | wc -l | tr -d ' ')" 1
as orgs --level icb --format csv >"$T/icb" 2>"$T/err"
check_eq "pccs orgs reads it: exit 0" "$?" 0
want=$(python3 -c 'import csv, sys
print(len({r["STP_CODE"] for r in csv.DictReader(open(sys.argv[1]))}))' "$DATA/gp-reg-pat-prac-map_2020-09.csv")
check_eq "... every ICB (STP) of the map, counted by python3" \
    "$(tail -n +2 "$T/icb" | wc -l | tr -d ' ')" "$want"
as user list >"$T/users" 2>"$T/err"
check_match "pccs user list reads it" "$(cat "$T/users")" "^ann +admin"
as audit --format csv >"$T/audit" 2>"$T/err"
check_eq "pccs audit reads it: exit 0, the add" "$? $(tail -n +2 "$T/audit" | cut -d, -f3,4)" "0 ann,add"
as load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" >/dev/null 2>"$T/err"
check_eq "a load is refused: exit 1" "$?" 1
check_match "... saying the store is read-only" "$(cat "$T/err")" "read-only"
as user disable ann 2>"$T/err"
check_eq "a user change is refused: exit 1" "$?" 1
check_match "... saying the store is read-only" "$(cat "$T/err")" "read-only"
check_eq "the store is byte for byte as it was" "$(sha256sum <"$S")" "$sum"
check_eq "no journal or log made beside it" "$(ls "$D")" "$files"
check_eq "... (the store and its tree's cache file)" "$files" \
    "$(printf 's.db\ns.db-tree.cache')"
chmod 755 "$D"
check_eq "ann is still enabled" "$(sql "$S" "select disabled from users")" 0

done_testing
