#!/bin/sh
# Issue 14, findings 7 and 8. The login throttle counts failures per user
# name and address pair, per name and per address, and checks and counts
# an attempt in one step: 16 guesses at once get 3 checked. Failures from
# rotating addresses do not lock a user out of an address they log in
# from, nor do failures of other names from their address. The audit log
# fails closed (no login without its line: 503) and stays bounded (one
# line per wait, not per refused attempt). --trusted-proxy ADDR takes the
# client's address from X-Forwarded-For of connections from ADDR only.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv"
pw='a long enough passphrase'
for u in ann bob cat dan eve; do
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add $u --role commissioner --scope 16C 2>/dev/null
done
serve() { # serve OUT [OPTIONS]: start pccs serve, set $URL and $pid
    o=$1
    shift
    "$PCCS" --store "$S" serve --listen 127.0.0.1:0 "$@" >"$o" 2>"$o.log" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q listening "$o"; do sleep 0.1; i=$((i + 1)); done
    URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$o")
}
count() { # count WORD LIST
    n=0
    for w in $2; do [ "$w" = "$1" ] && n=$((n + 1)); done
    echo $n
}
serve "$T/out"
L="/usr/bin/python3 $ROOT/tests/integration/login_attempts.py $URL"

# --- 8. 16 wrong passwords for dan at once, from one address
got=$($L dan 'wrong password!' --threads 16)
check_eq "16 guesses at once: 3 checked (401), 13 refused (429)" \
    "$(count 401 "$got") $(count 429 "$got")" "3 13"

# --- 8. a user name from 40 rotating addresses
check_eq "ann logs in from 127.0.0.1" "$($L ann "$pw")" 200
got=$($L ann 'wrong password!' --from '127.0.1.{i}' --times 40)
check_eq "40 wrong passwords for ann from 40 other addresses: answered" "$(count 0 "$got")" 0
check_eq "... she still logs in from hers at once" "$($L ann "$pw")" 200

# --- 8. many user names from one address
check_eq "bob logs in from 127.0.0.3" "$($L bob "$pw" --from 127.0.0.3)" 200
got=$($L 'nobody{i}' 'wrong password!' --from 127.0.0.3 --times 12)
check_eq "12 unknown names from 127.0.0.3: 10 checked, then 429" \
    "$(count 401 "$got") $(count 429 "$got")" "10 2"
check_eq "bob still logs in from 127.0.0.3 at once" "$($L bob "$pw" --from 127.0.0.3)" 200
check_eq "... cat from 127.0.0.4" "$($L cat "$pw" --from 127.0.0.4)" 200

# --- 7. 2,000 wrong passwords for eve from one client
got=$($L eve 'wrong password!' --from 127.0.0.5 --times 2000)
n401=$(count 401 "$got")
n429=$(count 429 "$got")
check_eq "2,000 attempts: each a 401 or a 429" "$((n401 + n429))" 2000
check_eq "... one login-failed line per checked attempt" \
    "$(sql "$S" "select count(*) from audit where user = 'eve' and action = 'login-failed'")" "$n401"
throttled=$(sql "$S" "select count(*) from audit where user = 'eve' and action = 'login-throttled'")
check_eq "... at most one login-throttled line per wait (each wait follows a failure past the 3rd)" \
    "$([ "$throttled" -ge 1 ] && [ "$throttled" -le $((n401 - 2)) ] && echo yes)" yes
noted=$(sql "$S" "select detail from audit where user = 'eve' and action = 'login-throttled'" |
    sed -n 's/.*; \([0-9]*\) more refused.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
check_eq "... which count the refusals not written one by one (at most the 429s)" \
    "$([ $((noted + throttled)) -le "$n429" ] && echo yes)" yes

# --- 7. the audit log fails closed
if on_pg; then
    pg_sql "$S" "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql
        AS \$\$ BEGIN RAISE EXCEPTION 'the disk is full'; END \$\$;
        CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW
        EXECUTE FUNCTION no_audit()"
else
    sql "$S" "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;"
fi
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
$C --login cat "$pw" --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "with audit inserts failing, a right password gets 503" "$(tail -1 "$T/code")" 503
check_eq "... and no session" "$([ -f "$T/cat" ] && echo jar || echo none)" none
if on_pg; then
    pg_sql "$S" "DROP TRIGGER no_audit ON audit; DROP FUNCTION no_audit()"
else
    sql "$S" "DROP TRIGGER no_audit"
fi
$C --login cat "$pw" --jar "$T/cat" >/dev/null 2>"$T/code"
check_eq "with the log back, 200" "$(tail -1 "$T/code")" 200
check_eq "... every login of cat has its line (127.0.0.4 and this one)" \
    "$(sql "$S" "select count(*) from audit where user = 'cat' and action = 'login'")" 2
kill -TERM $pid
wait $pid

# --- 8. --trusted-proxy: the forwarded address counts, from the proxy only
serve "$T/out2" --trusted-proxy 127.0.0.1
L="/usr/bin/python3 $ROOT/tests/integration/login_attempts.py $URL"
got=$($L 'nobody{i}' 'wrong password!' --forwarded 10.0.0.7 --times 12)
check_eq "12 unknown names forwarded for 10.0.0.7: 10 checked, then 429" \
    "$(count 401 "$got") $(count 429 "$got")" "10 2"
check_eq "... cat forwarded for 10.0.0.8 logs in" "$($L cat "$pw" --forwarded 10.0.0.8)" 200
check_eq "... for '192.0.2.1, 10.0.0.8' too (the proxy's own entry, the last, counts)" \
    "$($L cat "$pw" --forwarded '192.0.2.1, 10.0.0.8')" 200
check_eq "the audit log names 10.0.0.7" \
    "$(sql "$S" "select count(*) from audit where action = 'login-failed' and detail like '%from 10.0.0.7'")" 10
$L nobody 'wrong password!' --from 127.0.0.2 --forwarded 10.0.0.9 >/dev/null
check_match "X-Forwarded-For from another address is ignored" \
    "$(sql "$S" "select detail from audit where user = 'nobody' order by id desc limit 1")" \
    "/api/login from 127\.0\.0\.2$"
kill -TERM $pid
wait $pid
check_eq "the server stops cleanly" "$?" 0
"$PCCS" --store "$S" serve --trusted-proxy not-an-address >/dev/null 2>"$T/err"
check_eq "--trusted-proxy not-an-address: exit 2" "$?" 2

done_testing
