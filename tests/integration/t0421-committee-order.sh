#!/bin/sh
# The committee paper's sections in the order a reader expects (issues
# 17-19 follow-up): with hub sessions loaded the enhanced access section
# comes straight after section 4 (Access, PCN entitlements and ARRS) as
# section 5, the sections after it renumbered, the contents list in
# section 1 naming every numbered section in the order and with the
# numbers of the headings, and the references to a section's number
# (the recommendations, appendix B, section 4's link) following it.
# Without sessions the numbering is 1 to 9 as before. The enhanced
# access line chart, whose values are all >= 0, has its axis from 0, not
# from a gridline below it. Sessions are synthetic, made here.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2025-10.csv" \
    "$DATA/gp-reg-pat-prac-all_2026-04.csv" \
    "$DATA/gp-reg-pat-prac-all_2021-01.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
check_eq "load" "$status" 0
run_pccs --store "$S" report committee --in 16C --out "$T/none.html"
check_eq "report without sessions: exit 0" "$status" 0
PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY'
import sys
from datetime import date, timedelta
import spc
spc.write_sessions(f"{sys.argv[1]}/sessions.csv", [
    ("U89141", "Hub", (date(2026, 10, 6) + timedelta(weeks=w)).isoformat(), "18:30",
     "20:00" if w % 2 else "19:00", "GP", 15, "pcn") for w in range(8)])
PY
run_pccs --store "$S" load --quiet "$T/sessions.csv"
check_eq "load the sessions register" "$status" 0
run_pccs --store "$S" report committee --in 16C --out "$T/ea.html"
check_eq "report with sessions: exit 0" "$status" 0

PYTHONPATH=$ROOT/tests/integration /usr/bin/python3 - "$T" <<'PY' >"$T/res"
import html, re, sys
from spc import check, line_chart, section
t = sys.argv[1]
fixed = ["Population", "Capacity against population growth",
         "Access, PCN entitlements and ARRS",
         "Workforce per 10,000 weighted patients", "QOF prevalence",
         "Payments per weighted patient", "Practices rated red or amber",
         "Local registers"]
ea = "Enhanced access: minutes required, offered and delivered"
for f, titles in (("none", fixed), ("ea", fixed[:3] + [ea] + fixed[3:])):
    s = open(f"{t}/{f}.html").read()
    heads = [(int(n), html.unescape(x)) for n, x in re.findall(r"<h2>(\d+)\. ([^<]*)</h2>", s)]
    want = [(1, "Purpose and data sources")] + [(i + 2, x) for i, x in enumerate(titles)]
    check(f"{f}: headings numbered 1 to {len(want)} in order", heads == want, heads)
    sec1 = s[s.index("<h2>1. "):]
    sec1 = sec1[:sec1.index("</section>")]
    items = [html.unescape(re.sub("<[^>]*>", "", x))
             for x in re.findall(r"<li>(.*?)</li>", sec1[sec1.index("Contents"):])]
    check(f"{f}: the contents list = the headings", items == [f"{n}. {x}" for n, x in want], items)
    links = re.findall(r'<a href="#([^"]+)">', sec1)
    ids = re.findall(r'<section class="major" id="([^"]+)"><h2>\d+\.', s)
    check(f"{f}: each contents link leads to its section", links == ids, (links, ids))
    num = {x: n for n, x in want}
    check(f"{f}: the recommendations cite the red or amber section ({num['Practices rated red or amber']})",
          f"red or amber (section {num['Practices rated red or amber']} and appendix B)" in s
          and f"milestones (section {num['Local registers']})" in s)
    if "Appendix B." in s:
        check(f"{f}: appendix B cites it too",
              f"red or amber in section {num['Practices rated red or amber']}," in s)
s = open(f"{t}/ea.html").read()
check("ea: section 4 links to section 5", 'in section <a href="#access">5. Enhanced access</a>' in s)
vals, grid = line_chart(section(s, "access"))
check("ea chart: every value >= 0", vals and min(vals) >= 0, vals[:5])
check("ea chart: the axis starts at 0, no gridline below", grid and min(grid) == 0, grid)
check("ea chart: the axis reaches the highest value", grid and max(grid) >= max(vals), (grid, max(vals or [0])))
PY
while IFS='	' read -r res name; do
    case $res in
    ok) ok "$name" ;;
    *) not_ok "$name" ;;
    esac
done <"$T/res"
[ -s "$T/res" ] || not_ok "the python checks ran"
done_testing
