#!/bin/sh
# The booking page (web/booking.html) in headless chromium (Playwright,
# tests/browser/booking.mjs): a hub user finds the free slots of its hub on
# a day, books one for a patient, sees it leave the free list and the store
# hold exactly one appointment in it, cancels it and sees it free again; a
# user who may not book that hub is told so. Screenshots go to tests/out/.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
[ -d web/node_modules/playwright-core ] ||
    skip_all "playwright-core is not installed (scripts/deps: npm ci in web/)"
[ -x "${PCCS_CHROMIUM:-/usr/bin/chromium}" ] ||
    skip_all "no chromium at ${PCCS_CHROMIUM:-/usr/bin/chromium} (scripts/deps installs Debian's)"
if [ ! -f web/vendor/nhsuk.css ]; then
    not_ok "the page's styles are built" "run scripts/deps (web/build.mjs)"
    done_testing
    exit 1
fi
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
# Sessions (synthetic, made here): a Stockton PCN hub evening open to the
# PCN, and another hub's session the same day.
cat >"$T/sessions.csv" <<'CSV'
session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by
U89141,Stockton hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,pcn
U25520,Other ICB hub,Enhanced access,2026-12-07,18:30,20:00,GP,15,111
CSV
run_pccs --store "$S" load "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
pw='a long enough passphrase'
for u in "hub hub U89141" "far nhs111 QE1"; do
    set -- $u
    printf '%s\n' "$pw" | "$PCCS" --store "$S" user add "$1" --role "$2" --scope "$3" 2>/dev/null
done

# What the page should offer, from the register file (python, not pccs):
# U89141's 2026-12-07 session cut into 15-minute slots.
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" "$pw" <<'PY' >"$T/want.json"
import csv, json, sys
import booking as B
t, pw = sys.argv[1:3]
starts = []
for s in csv.DictReader(open(f"{t}/sessions.csv")):
    if s["session_org_code"] != "U89141":
        continue
    h, m = map(int, s["start_time"].split(":"))
    a = h * 60 + m
    h, m = map(int, s["end_time"].split(":"))
    b = h * 60 + m
    n = int(s["slot_minutes"])
    while a + n <= b:
        starts.append(f"{s['session_date']}T{a // 60:02d}:{a % 60:02d}:00")
        a += n
print(json.dumps({"user": "hub", "other": "far", "password": pw, "hub": "U89141",
                  "day": "2026-12-07", "starts": starts, "nhs": B.nhs_number(7),
                  "practice": "A81001"}))
PY

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 --web web >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
mkdir -p tests/out
node tests/browser/booking.mjs "$URL" "$T/want.json" tests/out "$S" >"$T/browser" 2>&1
rc=$?
while IFS= read -r line; do
    case $line in
    PASS\ *) ok "${line#PASS }" ;;
    FAIL\ *) not_ok "${line#FAIL }" ;;
    *) printf '# %s\n' "$line" ;;
    esac
done <"$T/browser"
check_eq "the browser run exits 0" "$rc" 0
kill -TERM $pid
wait $pid
done_testing
