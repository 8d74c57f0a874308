#!/bin/sh
# The committee report's enhanced access section (issue 19): with booking
# sessions loaded, `pccs report committee --in 16C` has a section giving,
# per PCN of 16C with hub sessions, the weeks of the period, the minutes
# offered and delivered over them (python from the sessions file and the
# appointments file), required not known without populations, the period
# (financial year 2026-27: today's, or the latest with sessions up to
# today's when today's has none; first and last week) and the sources named, and a
# chart of the weeks; section 4 no longer says no delivery data. Without sessions there is
# no section. Sessions and appointments are synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
MAP=$DATA/gp-reg-pat-prac-map_2025-10.csv
run_pccs --store "$S" load --quiet "$MAP"
check_eq "load the map" "$status" 0
run_pccs --store "$S" report committee --in 16C --out "$T/none.html"
check_eq "report without sessions: exit 0" "$status" 0
if grep -q 'id="access"' "$T/none.html"; then
    not_ok "no enhanced access section without sessions"
else
    ok "no enhanced access section without sessions"
fi
/usr/bin/python3 - "$T" <<'PY'
import random, sys
from datetime import date, timedelta
t = sys.argv[1]
rnd = random.Random(76)
rows = []
for w in range(9):
    d = date(2026, 10, 5) + timedelta(weeks=w)
    rows.append(("U89141", (d + timedelta(days=1)).isoformat(), "18:30", "20:00", 15))
    if w % 3:
        rows.append(("U07032", (d + timedelta(days=5)).isoformat(), "09:00", "11:00", 20))
rows.append(("A81001", "2026-10-06", "08:00", "10:00", 10))   # a practice's own: not counted
rows.append(("U89141", "2026-03-10", "18:30", "19:00", 15))   # the year before: not this period
with open(f"{t}/sessions.csv", "w") as f:
    f.write("session_org_code,site,service,session_date,start_time,end_time,staff_role,slot_minutes,bookable_by\n")
    for org, day, a, b, n in rows:
        f.write(f"{org},Hub,Enhanced access,{day},{a},{b},GP,{n},pcn\n")
with open(f"{t}/appointments.csv", "w") as f:
    f.write("org,start,outcome\n")
    for org, day, a, b, n in rows:
        m, e = int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])
        while m + n <= e:
            o = rnd.choice(["free", "fulfilled", "fulfilled", "noshow", "cancelled"])
            if o != "free":
                f.write(f"{org},{day}T{m // 60:02d}:{m % 60:02d}:00,{o}\n")
            m += n
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
printf 'a long enough passphrase\n' | "$PCCS" --store "$S" user add root --role admin --scope ENG 2>/dev/null
"$PCCS" --store "$S" serve --listen 127.0.0.1:0 >"$T/out" 2>"$T/log" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q listening "$T/out"; do sleep 0.1; i=$((i + 1)); done
URL=$(sed -n 's|.*\(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$T/out")
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$URL" "$T" <<'PY' >"$T/booked"
import csv, json, sys
import booking as B
url, t = sys.argv[1:3]
root = B.Session(url, "root")
st, body, _ = root.call("GET", "/fhir/Slot")
slot = {(s["schedule"]["display"], s["start"][:19]): s["id"] for s in (e["resource"] for e in json.loads(body)["entry"])}
bad = 0
for i, r in enumerate(csv.DictReader(open(f"{t}/appointments.csv"))):
    st, body = B.book(root, slot[(r["org"], r["start"])], B.nhs_number(i), "A81001", f"k{i}")
    if st == 201 and r["outcome"] != "booked":
        st, body, _ = root.call("PATCH", f"/fhir/Appointment/{json.loads(body)['id']}",
                                [{"op": "replace", "path": "/status", "value": r["outcome"]}])
    bad += st not in (200, 201)
print(bad)
PY
kill "$pid"
wait "$pid" 2>/dev/null
check_eq "the appointments file booked and closed over the API" "$(cat "$T/booked")" 0
run_pccs --store "$S" report committee --in 16C --out "$T/r.html"
check_eq "report with sessions: exit 0" "$status" 0

/usr/bin/python3 - "$T" <<'PY' >"$T/res"
import csv, re, sys
from datetime import date, timedelta
from html.parser import HTMLParser
t = sys.argv[1]
html = open(f"{t}/r.html").read()
out = []
def check(name, ok, detail=""):
    out.append(f"{'ok' if ok else 'FAIL'}\t{name}\t" + str(detail).replace("\n", " ")[:300])
m = re.search(r'<section class="major" id="access">(.*?)</section>', html, re.S)
check("an enhanced access section", m is not None)
sec = m.group(1) if m else ""
# python: hub minutes of financial year 2026-27 by PCN
fy = lambda d: d.year if d.month >= 4 else d.year - 1
def week(d):
    return d - timedelta(days=d.weekday())
offered, delivered, weeks = {}, {}, set()
ses = [s for s in csv.DictReader(open(f"{t}/sessions.csv")) if s["session_org_code"].startswith("U")
       and fy(date.fromisoformat(s["session_date"])) == 2026]
for s in ses:
    a = int(s["start_time"][:2]) * 60 + int(s["start_time"][3:])
    b = int(s["end_time"][:2]) * 60 + int(s["end_time"][3:])
    n = int(s["slot_minutes"])
    org = s["session_org_code"]
    offered[org] = offered.get(org, 0) + (b - a) // n * n
    weeks.add(week(date.fromisoformat(s["session_date"])))
    for r in csv.DictReader(open(f"{t}/appointments.csv")):
        if r["org"] == org and r["start"][:10] == s["session_date"] and r["outcome"] == "fulfilled":
            delivered[org] = delivered.get(org, 0) + n
first, last = min(weeks), max(weeks)
nweeks = (last - first).days // 7 + 1
class T(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cell = None; self.row = None
    def handle_starttag(self, tag, a):
        if tag == "tr": self.row = []
        if tag in ("td", "th"): self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None: self.row.append(self.cell.strip()); self.cell = None
        if tag == "tr" and self.row is not None: self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = T(); p.feed(sec)
head, body = p.rows[0], p.rows[1:]
col = {h: i for i, h in enumerate(head)}
got = {r[0]: r for r in body}
check("one row per PCN with hub sessions in the period (python)", sorted(got) == sorted(offered), sorted(got))
num = lambda v: float(v.replace(",", ""))
check("offered minutes per PCN = python's", all(num(got[o][col["Offered"]]) == offered[o] for o in offered if o in got),
      {o: (got.get(o, [""] * 9)[col["Offered"]], offered[o]) for o in offered})
check("delivered (attended) minutes per PCN = python's", all(num(got[o][col["Delivered"]]) == delivered.get(o, 0) for o in offered if o in got),
      {o: (got.get(o, [""] * 9)[col["Delivered"]], delivered.get(o, 0)) for o in offered})
check(f"weeks = every week from the first to the last of the period ({nweeks})",
      all(num(r[col["Weeks"]]) == nweeks for r in body), [r[col["Weeks"]] for r in body])
check("required not known without populations, and said so", all(r[col["Required"]] == "not known" for r in body))
text = re.sub(r"<[^>]+>", "", sec)
want_period = f"Financial year 2026-27: the {nweeks} weeks from the week of {first.day} {first.strftime('%B')} {first.year} to the week of {last.day} {last.strftime('%B')} {last.year}"
check("the period named (financial year, first and last week)", want_period in text, text[:200])
check("the sources named (access_sessions, data/rates/pcn.csv)", "access_sessions" in text and "data/rates/pcn.csv" in text)
check("a chart of the weeks (SVG)", "<svg" in sec and "required" in sec)
check("section 4 no longer says no delivery data is loaded", "no delivery data loaded" not in html)
print("\n".join(out))
PY
while IFS='	' read -r res name detail; do
    case $res in
    ok) ok "$name" ;;
    FAIL) not_ok "$name" "$detail" ;;
    *) printf '# %s %s %s\n' "$res" "$name" "$detail" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
