#!/bin/sh
# Accounts for pccs serve: Argon2id hashes (never the password), roles and
# scopes checked against the tree, a changed password, the audit log.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv"
pw="correct horse battery staple"
out=$(printf '%s\n' "$pw" | "$PCCS" --store "$S" user add alice --role commissioner --scope 16C 2>&1)
check_eq "add a commissioner for 16C" "$?" 0
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add bob --role pcn --scope U89141 2>/dev/null
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add carol --role practice --scope A81001 2>/dev/null
check_eq "three users" "$(sql "$S" "select count(*) from users")" 3
check_match "stored as Argon2id" "$(sql "$S" "select hash from users where name = 'alice'")" '^\$argon2id\$v=19\$'
check_eq "the password is nowhere in the store" "$(grep -c "$pw" "$S" || true)" 0
printf '%s\n' "$pw" | "$PCCS" --store "$S" user check alice 2>/dev/null
check_eq "the right password checks" "$?" 0
printf 'wrong password!!\n' | "$PCCS" --store "$S" user check alice 2>/dev/null
check_eq "a wrong one does not" "$?" 1
printf 'a new passphrase\n' | "$PCCS" --store "$S" user passwd alice 2>/dev/null
printf 'a new passphrase\n' | "$PCCS" --store "$S" user check alice 2>/dev/null
check_eq "passwd changes it" "$?" 0
printf '%s\n' "$pw" | "$PCCS" --store "$S" user check alice 2>/dev/null
check_eq "... and the old one no longer works" "$?" 1
run_pccs --store "$S" user list
check_match "list" "$out" "^bob +pcn +U89141 "
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add alice --role admin --scope ENG 2>/dev/null
check_eq "a taken name: exit 1" "$?" 1
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add dan --role pcn --scope 16C 2>/dev/null
check_eq "a pcn user scoped to a sub-ICB: exit 2" "$?" 2
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add dan --role admin --scope NOWHERE 2>/dev/null
check_eq "an unknown scope: exit 1" "$?" 1
printf 'short\n' | "$PCCS" --store "$S" user add dan --role admin --scope 16C 2>/dev/null
check_eq "a short password: exit 1" "$?" 1
run_pccs --store "$S" user add dan --role wizard --scope 16C
check_eq "an unknown role: exit 2" "$status" 2
check_eq "audit log: 3 adds and a password change" \
    "$(sql "$S" "select group_concat(user || ':' || action, ' ') from (select * from audit order by id)")" \
    "alice:add bob:add carol:add alice:passwd"

done_testing
