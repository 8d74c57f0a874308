#!/bin/sh
# Issue 14, finding 14: a password from the command line is taken whole or
# refused with a message, never cut short: at most 256 bytes (what POST
# /api/login takes), no NUL byte, UTF-8 text, and the 10-character minimum
# counts characters (code points), not bytes.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv"
add() { # add NAME: the password in $T/pw; sets $status and $errout
    "$PCCS" --store "$S" user add "$1" --role admin --scope ENG <"$T/pw" 2>"$T/err"
    status=$?
    errout=$(cat "$T/err")
}
users() { sql "$S" "select count(*) from users"; }

# lengths measured with python3, not with pccs
p256=$(python3 -c 'print(("abcdefgh" * 32)[:256], end="")')
check_eq "the 256-byte password is 256 bytes" \
    "$(printf '%s' "$p256" | python3 -c 'import sys; print(len(sys.stdin.buffer.read()))')" 256
printf '%s\n' "$p256" >"$T/pw"
add long256
check_eq "256 bytes: taken" "$status" 0
printf '%s\n' "$p256" | "$PCCS" --store "$S" user check long256 2>/dev/null
check_eq "... and the whole of it checks" "$?" 0
printf '%s\n' "${p256%?}" | "$PCCS" --store "$S" user check long256 2>/dev/null
check_eq "... its first 255 bytes do not (nothing was cut off)" "$?" 1

printf '%sx\n' "$p256" >"$T/pw"
add long257
check_eq "257 bytes: refused, exit 1" "$status" 1
check_match "... saying how long it is and the most taken" "$errout" "257 bytes.*at most 256"
python3 -c 'print("x" * 300)' >"$T/pw"
add long300
check_eq "300 bytes: refused, exit 1" "$status" 1
check_eq "... neither was added" "$(users)" 1

printf 'abcdefghijk\000lmnop\n' >"$T/pw"
add nul
check_eq "a NUL byte in the password: refused, exit 1" "$status" 1
check_match "... saying so" "$errout" "NUL"
printf 'abcdefghijk\000lmnop\n' | "$PCCS" --store "$S" user passwd long256 2>/dev/null
check_eq "... in passwd too" "$?" 1
printf '%s\n' "$p256" | "$PCCS" --store "$S" user check long256 2>/dev/null
check_eq "... and the password is unchanged" "$?" 0

five=$(python3 -c 'print("\u00e9" * 5, end="")')
check_eq "five e-acutes are 10 bytes (python3)" \
    "$(printf '%s' "$five" | python3 -c 'import sys; print(len(sys.stdin.buffer.read()))')" 10
printf '%s\n' "$five" >"$T/pw"
add accents5
check_eq "5 characters in 10 bytes: refused, exit 1" "$status" 1
check_match "... counting characters" "$errout" "at least 10 characters, not 5"
printf '%s%s\n' "$five" "$five" >"$T/pw"
add accents10
check_eq "10 characters in 20 bytes: taken" "$status" 0
printf '%s%s\n' "$five" "$five" | "$PCCS" --store "$S" user check accents10 2>/dev/null
check_eq "... and checks" "$?" 0
printf '\377\376abcdefghij\n' >"$T/pw"
add latin1
check_eq "bytes that are not UTF-8: refused, exit 1" "$status" 1
check_eq "users: long256 and accents10" "$(sql "$S" "select group_concat(name, ' ') from (select name from users order by name)")" \
    "accents10 long256"

done_testing
