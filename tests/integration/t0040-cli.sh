#!/bin/sh
# The command-line contract: help for every command, exit statuses, the
# installed man page, the progress line on a terminal, JSON output.
. "$(dirname "$0")/lib.sh"

for c in load sources orgs show table spc; do
    run_pccs "$c" --help
    check_eq "pccs $c --help: exit 0" "$status" 0
    check_match "pccs $c --help: usage" "$out" "^usage: pccs $c"
done
run_pccs --help
check_match "pccs --help lists the commands" "$out" "^  sources +list the loaded files"
run_pccs frobnicate
check_eq "unknown command: exit 2" "$status" 2
run_pccs table populations --format yaml
check_eq "bad --format: exit 2" "$status" 2
run_pccs orgs --at 2021-02-30
check_eq "impossible --at: exit 2" "$status" 2
run_pccs load
check_eq "load with no file: exit 2" "$status" 2

# make install puts the binary and the man page under DESTDIR.
make -s -C "$ROOT" install DESTDIR="$T/inst" PREFIX=/usr >/dev/null 2>&1
check_eq "make install: binary" "$(test -x "$T/inst/usr/bin/pccs" && echo y)" y
check_match "make install: man page" \
    "$(MANWIDTH=80 man -l "$T/inst/usr/share/man/man1/pccs.1" 2>/dev/null)" \
    "Primary Care Commissioning System"

# A load longer than a second draws a progress line on a terminal only
# (PCCS_PROGRESS_AFTER=0: at once, whatever the machine's speed).
"$ROOT/scripts/gen-reg-age" --out "$T/gen" --scale 3 --only male
if command -v script >/dev/null 2>&1; then
    script -qec "PCCS_PROGRESS_AFTER=0 $PCCS --store $T/p.db load $T/gen/gp-reg-pat-prac-sing-age-male.csv" \
        /dev/null >"$T/tty.out" 2>&1
    check_match "progress on a terminal" "$(tr '\r' '\n' <"$T/tty.out")" \
        "^loading .*: +[0-9]+% \([0-9]+ rows\)"
fi
export PCCS_PROGRESS_AFTER=0
run_pccs --store "$T/q.db" load "$T/gen/gp-reg-pat-prac-sing-age-male.csv"
unset PCCS_PROGRESS_AFTER
check_eq "no progress when not a terminal" "$errout" ""

# show and orgs in JSON.
S=$T/s.db
"$PCCS" --store "$S" load --quiet "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" >/dev/null
run_pccs --store "$S" show U89141 --format json
got=$(printf '%s' "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["organisation"]["level"], [p["code"] for p in d["parents"]],
      len(d["children"]), int(d["populations"][0]["registered"]))')
want=$(awk -F, 'NR == FNR && $6 == "U89141" { p[$3] = 1; n++; next }
    FNR > 1 && ($6 in p) { s += $10 }
    END { printf "pcn [%s, %s, %s, %s] %d %d", "'"'"'16C'"'"'", "'"'"'QHM'"'"'",
        "'"'"'Y63'"'"'", "'"'"'ENG'"'"'", n, s }' \
    "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/gp-reg-pat-prac-all_2021-01.csv")
check_eq "show U89141: parents, practices, registered (awk)" "$got" "$want"
run_pccs --store "$S" show NOPE
check_eq "show unknown code: exit 1" "$status" 1

# spc on a reference series: the csv has the documented columns.
run_pccs spc --input "$ROOT/tests/data/spc-reference/spike_increase.csv" \
    --format csv
check_match "spc csv header" "$out" "^date,value,mean,lpl,upl,point_type"
check_match "spc finds the spike" "$out" "special_cause_improvement"
check_match "spc assurance on stderr" "$errout" "assurance: none"

done_testing
