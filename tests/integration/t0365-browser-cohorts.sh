#!/bin/sh
# The dashboard's population health cohorts table (issue 18) in headless
# chromium (Playwright, tests/browser/cohorts.mjs): a PCN user opens the
# PCN's page and sees its practices' cohort counts equal to python's
# (tests/integration/phm/cohorts.py over the synthetic NDJSON) after
# disclosure control (data/rules/disclosure.csv: 1 to 7 withheld as *,
# the others rounded to the nearest 5), a SYNTHETIC badge and warning,
# the as-at day; at 1280 px the table fits without sideways scroll
# (abbreviated headings, the full label as title). Screenshots:
# tests/out/browser-cohorts.png (1280 px) and browser-cohorts-390.png.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
[ -d web/node_modules/playwright-core ] ||
    skip_all "playwright-core is not installed (scripts/deps: npm ci in web/)"
[ -x "${PCCS_CHROMIUM:-/usr/bin/chromium}" ] ||
    skip_all "no chromium at ${PCCS_CHROMIUM:-/usr/bin/chromium} (scripts/deps installs Debian's)"
[ -f web/vendor/nhsuk.css ] || skip_all "the dashboard's styles are not built (web/build.mjs)"
need_codelists
PCN=U01989
AT=2026-04-01
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/gp-reg-pat-prac-all_2026-04.csv \
    "$DATA"/gp-reg-pat-prac-map_2025-10.csv "$DATA"/qof2021_PREVALENCE_2021_v2.csv
check_eq "NHS files load" "$status" 0
run_pccs --store "$S" synth patients --in $PCN --out "$T/syn" --seed 5 --at $AT
check_eq "synth patients" "$status" 0
run_pccs --store "$S" load --quiet "$T"/syn/*.ndjson
check_eq "NDJSON loads" "$status" 0
pw='a long enough passphrase'
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add pete --role pcn --scope $PCN 2>/dev/null

python3 tests/integration/phm/cohorts.py "$T/syn" "$CL" data/rules $AT >"$T/py.csv"
python3 - "$T/py.csv" "$pw" $PCN $AT data/rules/disclosure.csv >"$T/want.json" <<'PY'
import csv, json, sys
py, pw, pcn, at, rules = sys.argv[1:6]
par = {r["parameter"]: float(r["value"]) for r in csv.DictReader(open(rules))}
cols = ["registered", "efi_moderate", "efi_severe", "care_home", "smr_priority",
        "anticipatory_care", "ld_health_check_due", "dementia_review_due"]
def sdc(n):
    if n == 0:
        return "0"
    if n <= par["suppress_max"]:
        return "*"
    r = par["round_to"]
    return "{:,}".format(int(r * int(n / r + 0.5)))
pr = {r["code"]: {c: sdc(int(r[c])) for c in cols} for r in csv.DictReader(open(py))}
print(json.dumps({"user": "pete", "password": pw, "pcn": pcn, "at": at, "practices": pr,
                  "stars": sum(v == "*" for p in pr.values() for v in p.values())}))
PY
check_eq "python ran" "$?" 0

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 --web web >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
mkdir -p tests/out
node tests/browser/cohorts.mjs "$URL" "$T/want.json" tests/out >"$T/browser" 2>&1
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
