#!/bin/sh
# Issue 14, findings 5 and 6: one account cannot fill the session table
# (a new login ends its oldest session beyond 8), and a change to an
# account made by `pccs user` in another process ends its sessions in a
# running pccs serve: a new password, a new role, disable, delete. A
# disabled or deleted user cannot log in; others are not touched.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv"
pw='a long enough passphrase'
for u in "ann pcn U89141" "bob commissioner 16C" "cat admin ENG"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
C="/usr/bin/python3 $ROOT/tests/integration/client.py $URL"
login() { # login USER PASSWORD JAR: prints the status
    $C --login "$1" "$2" --jar "$3" 2>&1 >/dev/null | tail -1
}
session() { # session JAR: the status of GET /api/session
    $C /api/session --jar "$1" 2>&1 >/dev/null | tail -1
}
role_of() { # role_of JAR: "role scope" of the session
    $C /api/session --jar "$1" 2>/dev/null |
        python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["role"], j["scope"])'
}

# --- 5. ten logins of ann: the first two sessions end, the last 8 live
codes=""
for n in 1 2 3 4 5 6 7 8 9 10; do codes="$codes$(login ann "$pw" "$T/ann$n") "; done
check_eq "ann logs in 10 times" "$codes" "200 200 200 200 200 200 200 200 200 200 "
codes=""
for n in 1 2 3 4 5 6 7 8 9 10; do codes="$codes$(session "$T/ann$n") "; done
check_eq "... her 2 oldest sessions ended, the 8 newest live" "$codes" "401 401 200 200 200 200 200 200 200 200 "
check_eq "cat logs in beside her" "$(login cat "$pw" "$T/cat")" 200

# --- 6. revocation from the command line while the server runs
check_eq "bob logs in" "$(login bob "$pw" "$T/bob")" 200
$C /api/logout --method POST --jar "$T/ann10" --csrf jar >/dev/null 2>&1
check_eq "a logout ends that session" "$(session "$T/ann10")" 401
printf 'another long passphrase\n' | "$PCCS" --store "$S" user passwd bob 2>/dev/null
check_eq "pccs user passwd bob: bob's session ends" "$(session "$T/bob")" 401
check_eq "... the old password no longer logs in" "$(login bob "$pw" "$T/bob")" 401
check_eq "... the new one does" "$(login bob 'another long passphrase' "$T/bob")" 200
check_eq "... a second session of bob" "$(login bob 'another long passphrase' "$T/bob2")" 200
run_pccs --store "$S" user role bob pcn --scope U89141
check_eq "pccs user role bob pcn --scope U89141: exit 0" "$status" 0
check_eq "... both of bob's sessions end" "$(session "$T/bob") $(session "$T/bob2")" "401 401"
login bob 'another long passphrase' "$T/bob" >/dev/null
check_eq "... logged in again, bob is a pcn user of U89141" "$(role_of "$T/bob")" "pcn U89141"
run_pccs --store "$S" user disable bob
check_eq "pccs user disable bob: exit 0" "$status" 0
check_eq "... his session ends" "$(session "$T/bob")" 401
check_eq "... he cannot log in" "$(login bob 'another long passphrase' "$T/bob")" 403
run_pccs --store "$S" user enable bob
check_eq "pccs user enable bob: he logs in" "$(login bob 'another long passphrase' "$T/bob")" 200
run_pccs --store "$S" user delete bob
check_eq "pccs user delete bob: exit 0" "$status" 0
check_eq "... his session ends" "$(session "$T/bob")" 401
check_eq "... he cannot log in" "$(login bob 'another long passphrase' "$T/bob")" 401
check_eq "... and bob is no more" "$(sql "$S" "select count(*) from users where name = 'bob'")" 0
codes=""
for n in 3 4 5 6 7 8 9; do codes="$codes$(session "$T/ann$n") "; done
check_eq "ann's 7 sessions live through it all" "$codes" "200 200 200 200 200 200 200 "
check_eq "... and cat's" "$(session "$T/cat")" 200
check_eq "the changes are in the audit log, in order" \
    "$(sql "$S" "select group_concat(action, ' ') from (select action from audit where user = 'bob' and action not like 'log%' order by id)")" \
    "add passwd role disable enable delete"
check_eq "every login of bob has its line" \
    "$(sql "$S" "select count(*) from audit where user = 'bob' and action = 'login'")" 5

kill -TERM $pid
wait $pid
check_eq "the server stops cleanly" "$?" 0

# pccs audit reads the log back, filtered (checked against the sqlite3 shell)
run_pccs --store "$S" audit --user bob --format csv
check_eq "pccs audit --user bob: bob's lines, in order" \
    "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f4 | tr '\n' ' ')" \
    "$(sql "$S" "select action from audit where user = 'bob' order by id" | tr '\n' ' ')"
run_pccs --store "$S" audit --action 'login*' --format json
check_eq "--action 'login*' (a glob), as JSON: every login line" \
    "$(printf '%s' "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["rows"]))')" \
    "$(sql "$S" "select count(*) from audit where action like 'login%'")"
run_pccs --store "$S" audit --until 2000-01-01 --format csv
check_eq "--until 2000-01-01: none" "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" 0
today=$(date -u +%Y-%m-%d)
run_pccs --store "$S" audit --since "$today" --until "$today" --user cat --action login --format csv
check_eq "--since and --until today, user and action together" \
    "$(printf '%s\n' "$out" | tail -n +2 | wc -l | tr -d ' ')" \
    "$(sql "$S" "select count(*) from audit where user = 'cat' and action = 'login' and at >= '$today'")"
run_pccs --store "$S" audit --since yesterday
check_eq "a date that is not one: exit 2" "$status" 2
done_testing
