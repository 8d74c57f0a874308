#!/bin/sh
# The committee paper's enhanced access table prints one number of
# decimals a column: a PCN that delivered nothing is "0.0" in the
# percent columns where another PCN's is "0.3", not "0". Two PCNs of 16C
# run hub sessions; appointments in Stockton's (U89141) are booked over
# the API and attended, none in the other's. Python sums the minutes
# offered and delivered from the sessions and appointments (spc.py);
# sessions are synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    "$DATA/gp-reg-pat-prac-all_2026-04.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load" "$status" 0
export PYTHONPATH=$ROOT/tests/integration
/usr/bin/python3 - "$T" <<'PY'
import sys
from datetime import date, timedelta
import spc
t = sys.argv[1]
rows = []
for w in range(4):
    d = date(2026, 10, 6) + timedelta(weeks=w)
    rows.append(("U89141", "Hub", d.isoformat(), "18:30", "19:30", "GP", 15, "pcn"))
    rows.append(("U07032", "Hub", (d + timedelta(days=4)).isoformat(), "09:00", "10:00", "GP", 20, "pcn"))
spc.write_sessions(f"{t}/sessions.csv", rows)
with open(f"{t}/appointments.csv", "w") as f:
    f.write("org,start,outcome\n")
    for w in range(4):
        d = date(2026, 10, 6) + timedelta(weeks=w)
        f.write(f"U89141,{d.isoformat()}T18:30:00,fulfilled\n")
        f.write(f"U89141,{d.isoformat()}T18:45:00,{'fulfilled' if w % 2 else 'noshow'}\n")
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
printf 'a long enough passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
/usr/bin/python3 - "$PCCS" "$S" "$T" <<'PY' >"$T/booked"
import csv, json, sys
import booking as B
import spc
pccs, store, t = sys.argv[1:4]
p, url = spc.serve(pccs, store, f"{t}/log")
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/fhir/Slot")
slot = {(s["schedule"]["display"], s["start"][:19]): s["id"]
        for s in (e["resource"] for e in json.loads(body)["entry"])}
bad = 0
for i, r in enumerate(csv.DictReader(open(f"{t}/appointments.csv"))):
    st, body = B.book(root, slot[(r["org"], r["start"])], B.nhs_number(i), "A81001", f"k{i}")
    if st != 201:
        bad += 1
        continue
    st, body, _ = root.call("PATCH", f"/fhir/Appointment/{json.loads(body)['id']}",
                            [{"op": "replace", "path": "/status", "value": r["outcome"]}])
    bad += st != 200
spc.stop(p)
print(bad)
PY
check_eq "the appointments booked and closed over the API" "$(cat "$T/booked")" 0
run_pccs --store "$S" report committee --in 16C --out "$T/paper.html"
check_eq "report committee: exit 0" "$status" 0

/usr/bin/python3 - "$T" <<'PY' >"$T/res"
import re, sys
import spc
t = sys.argv[1]
sec = spc.section(open(f"{t}/paper.html").read(), "access")
head = [re.sub("<[^>]*>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", sec)]
rows = {r[0]: r for r in spc.table_cells(sec)}
col = {h: i for i, h in enumerate(head)}
num = lambda v: float(v.replace(",", ""))
for pcn in ("U89141", "U07032"):
    off = sum(spc.weekly_minutes(f"{t}/sessions.csv", pcn).values())
    dl = sum(spc.weekly_minutes(f"{t}/sessions.csv", pcn, "delivered", f"{t}/appointments.csv").values())
    r = rows.get(pcn, [])
    spc.check(f"{pcn}: offered {off} and delivered {dl} minutes (= python)",
              r and num(r[col["Offered"]]) == off and num(r[col["Delivered"]]) == dl, r)
for h in ("Offered, % of required", "Delivered, % of required"):
    vals = [r[col[h]] for r in rows.values()] if h in col else []
    dec = {len(v.split(".")[1]) if "." in v else 0 for v in vals}
    spc.check(f"{h}: one number of decimals (1) in every row", dec == {1}, vals)
spc.check("U07032 delivered nothing: 0.0, not 0",
          "Delivered, % of required" in col and rows["U07032"][col["Delivered, % of required"]] == "0.0",
          rows.get("U07032"))
PY
while IFS='	' read -r res name; do
    case $res in
    ok) ok "$name" ;;
    *) not_ok "$name" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
