#!/bin/sh
# Accounts and the audit log on PostgreSQL (issue 20): pccs user adds,
# checks, changes, disables and deletes accounts in a PostgreSQL store,
# each change with its audit line in the same transaction (read back
# with psql and with pccs audit, filtered by user, a glob of actions and
# days); a taken name is refused and leaves no line. pccs serve signs a
# user in, and the audit log fails closed as on SQLite: with audit
# inserts failing (a trigger), a right password gets 503 and no session;
# a change of account ends the user's session at the next request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"

cd "$ROOT" || exit 1
pg_start
S=$(pg_db users)
pw='a long enough passphrase'
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv"
check_eq "the map loads into PostgreSQL" "$status $errout" "0 "
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add cat --role commissioner --scope 16C 2>"$T/err"
check_eq "user add" "$?" 0
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add cat --role pcn --scope U89141 2>"$T/err"
check_eq "a taken name: exit 1" "$?" 1
check_match "... saying so" "$(cat "$T/err")" "cat exists"
check_eq "psql: one account, Argon2id, no line for the refusal" \
    "$(psql_at "$S" "select name || ' ' || role || ' ' || scope || ' ' || (hash like '\$argon2id\$%') from users"):$(psql_at "$S" "select string_agg(action, ',' order by id) from audit where \"user\" = 'cat'")" \
    "cat commissioner 16C true:add"
printf '%s\n' "$pw" | "$PCCS" --store "$S" user check cat 2>/dev/null
check_eq "user check: the right password" "$?" 0
printf 'not the password at all\n' | "$PCCS" --store "$S" user check cat 2>/dev/null
check_eq "... a wrong one: exit 1" "$?" 1
gen0=$(psql_at "$S" "select generation from users where name = 'cat'")
"$PCCS" --store "$S" user role cat pcn --scope U89141 2>/dev/null
check_eq "user role: role and scope changed, a new generation" \
    "$(psql_at "$S" "select role || ' ' || scope || ' ' || (generation <> $gen0) from users")" "pcn U89141 true"
"$PCCS" --store "$S" user disable cat 2>/dev/null
check_eq "user disable" "$(psql_at "$S" "select disabled from users")" 1
"$PCCS" --store "$S" user enable cat 2>/dev/null
check_eq "user enable" "$(psql_at "$S" "select disabled from users")" 0
"$PCCS" --store "$S" user delete nobody 2>"$T/err"
check_eq "deleting nobody: exit 1" "$?" 1
"$PCCS" --store "$S" user role cat commissioner --scope 16C 2>/dev/null
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add dan --role practice --scope A81001 2>/dev/null
"$PCCS" --store "$S" user delete dan 2>/dev/null
check_eq "user delete" "$(psql_at "$S" "select count(*) from users where name = 'dan'")" 0
run_pccs --store "$S" user list
check_match "user list" "$out" "cat.*commissioner.*16C"

# pccs audit on PostgreSQL: filters as on SQLite.
run_pccs --store "$S" audit --format csv
check_eq "pccs audit: every change, oldest first" \
    "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f4 | tr '\n' ' ')" \
    "add role disable enable role add delete "
check_eq "... the times ISO 8601 UTC to the millisecond" \
    "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f2 | grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$')" 0
run_pccs --store "$S" audit --action 'r?le' --format csv
check_eq "--action 'r?le' (a glob)" "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 2
run_pccs --store "$S" audit --action '[ad]*' --format csv
check_eq "--action '[ad]*' (a class)" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f4 | tr '\n' ' ')" "add disable add delete "
run_pccs --store "$S" audit --action 'e*' --user cat --format csv
check_eq "--action 'e*' --user cat" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f4)" enable
run_pccs --store "$S" audit --action 'a.d' --format csv
check_eq "--action 'a.d': a dot is a dot" "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 0
run_pccs --store "$S" audit --until 2000-01-01 --format csv
check_eq "--until 2000-01-01: none" "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 0

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 --threads 4 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
$C --login cat "$pw" --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "serve on PostgreSQL: cat logs in" "$(tail -1 "$T/code")" 200
$C /api/registers --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "... and is let in" "$(tail -1 "$T/code")" 200
"$PCCS" --store "$S" user disable cat 2>/dev/null
"$PCCS" --store "$S" user enable cat 2>/dev/null
sleep 1.2
$C /api/registers --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "a change of account ends the session (401)" "$(tail -1 "$T/code")" 401

psql_at "$S" "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS
    \$\$BEGIN RAISE EXCEPTION 'the disk is full'; END\$\$;
    CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW
    EXECUTE FUNCTION no_audit()" >/dev/null
rm -f "$T/cat"
$C --login cat "$pw" --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "with audit inserts failing, a right password gets 503" "$(tail -1 "$T/code")" 503
check_eq "... and no session" "$([ -f "$T/cat" ] && echo jar || echo none)" none
psql_at "$S" "DROP TRIGGER no_audit ON audit" >/dev/null
$C --login cat "$pw" --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "with the log back, 200" "$(tail -1 "$T/code")" 200
check_eq "... every login of cat has its line (2)" \
    "$(psql_at "$S" "select count(*) from audit where \"user\" = 'cat' and action = 'login'")" 2
kill -TERM $pid
wait $pid
check_eq "the server stops cleanly" "$?" 0
done_testing
