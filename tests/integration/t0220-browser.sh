#!/bin/sh
# The dashboard in headless chromium (Playwright, tests/browser/): log in,
# search for a PCN, open it, see a chart drawn and a table with the CLI's
# figures, download a CSV, be refused another PCN's practice as a practice
# user. Screenshots go to tests/out/.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
# Without Playwright or a browser there is nothing to drive: a skip (with
# the reason), not a failure. The dashboard's own files must be built.
[ -d web/node_modules/playwright-core ] ||
    skip_all "playwright-core is not installed (scripts/deps: npm ci in web/)"
[ -x "${PCCS_CHROMIUM:-/usr/bin/chromium}" ] ||
    skip_all "no chromium at ${PCCS_CHROMIUM:-/usr/bin/chromium} (scripts/deps installs Debian's)"
if [ ! -f web/vendor/nhsuk.css ]; then
    not_ok "the dashboard's styles are built" "run scripts/deps (web/build.mjs)"
    done_testing
    exit 1
fi
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA"/*.csv "$DATA"/*.xlsx data/templates/*.csv
check_eq "load" "$status" 0
run_pccs --store "$S" synth appointments --in 16C --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
pw='a long enough passphrase'
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add cara --role commissioner --scope 16C 2>/dev/null
printf '%s\n' "$pw" | "$PCCS" --store "$S" user add prue --role practice --scope A81001 2>/dev/null

# What the CLI says, for the browser to compare with.
"$PCCS" --store "$S" table populations --level pcn --in U89141 --format json >"$T/pcn.json"
"$PCCS" --store "$S" table populations --level practice --in U89141 --format json >"$T/prac.json"
"$PCCS" --store "$S" table populations --level practice --in U89141 --format csv --suppress >"$T/prac.csv"
"$PCCS" --store "$S" table populations --level pcn --in 16C --format json >"$T/pcn16c.json"
/usr/bin/python3 - "$T" "$pw" <<'PY' >"$T/want.json"
import csv, json, sys
t, pw = sys.argv[1], sys.argv[2]
pcn = json.load(open(f"{t}/pcn.json"))["rows"][0]
prac = json.load(open(f"{t}/prac.json"))["rows"]
# The registrations snapshot the CLI's figure rests on ("gp_reg_all
# 2026-04-01; payments 2020-21"): the page must name the same period.
reg_period = [s.split()[1] for s in pcn["source"].split("; ")
              if s.startswith("gp_reg")][0]
# issue 16: a practice in another ICB than 16C's (QHM), from the
# published map; 16C's PCNs as the CLI lists them
other = next(r for r in csv.DictReader(open("data/nhs/gp-reg-pat-prac-map_2025-10.csv"))
             if r["ICB_CODE"] != "QHM" and r["PCN_CODE"].startswith("U"))
reg = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(open("data/nhs/gp-reg-pat-prac-all_2026-04.csv"))
       if r["TYPE"] == "GP" and r["SEX"] == "ALL" and r["AGE"] == "ALL"}
print(json.dumps({"user": "cara", "practice_user": "prue", "password": pw,
                  "pcns_16c": sorted(r["code"] for r in json.load(open(f"{t}/pcn16c.json"))["rows"]),
                  "other": {"code": other["PRACTICE_CODE"], "icb": other["ICB_CODE"], "region": other["COMM_REGION_CODE"],
                            "registered": reg.get(other["PRACTICE_CODE"])},
                  "pcn_registered": pcn["registered"],
                  "reg_period": reg_period,
                  "practices": [{"code": r["code"], "registered": r["registered"]} for r in prac],
                  "practices_csv": open(f"{t}/prac.csv", newline="").read(),
                  "practice_risks": ",".join(r["risk_id"] for r in csv.DictReader(open("data/templates/risks.csv"))
                                             if r["org_code"] == "A81001")}))
PY

"$PCCS" --store "$S" serve --listen 127.0.0.1:0 --web web >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
mkdir -p tests/out
node tests/browser/dashboard.mjs "$URL" "$T/want.json" tests/out >"$T/browser" 2>&1
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
