#!/usr/bin/python3
"""What the SPC and enhanced access tests share (t0375, t0420, t0421,
t0446, t0447): hub sessions files, python's weekly minutes of a PCN from
them (a week with no session between its first and last is 0), the
Making Data Count XmR chart computed from its definition (mean, moving
ranges screened at 3.267 x their mean, limits at 2.66 x), a pccs serve
started on a store, and the committee paper's sections and line charts
read back from its HTML. Written from the definitions, not from pccs.
"""
import csv
import html
import re
import subprocess
from datetime import date, timedelta

SESSIONS_HEADER = ("session_org_code,site,service,session_date,start_time,"
                   "end_time,staff_role,slot_minutes,bookable_by\n")


def write_sessions(path, rows):
    """rows: (org, site, day, start, end, role, slot_minutes, bookable_by)."""
    with open(path, "w") as f:
        f.write(SESSIONS_HEADER)
        for org, site, day, start, end, role, slot, by in rows:
            f.write(f"{org},{site},Enhanced access,{day},{start},{end},"
                    f"{role},{slot},{by}\n")


def minutes(hhmm):
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


def week(day):
    """The Monday of day's week (ISO text in, ISO text out)."""
    d = date.fromisoformat(day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def weekly_minutes(sessions, pcn, what="offered", appointments=None):
    """{week: minutes} of pcn's sessions in the file sessions: the minutes
    of whole slots (offered), or of the appointments (a CSV of org, start,
    outcome) attended in them (delivered); every week from the first to
    the last, 0 for a week with no session (pccs fills the weeks of a
    financial year: the tests' sessions fall in one)."""
    pts = {}
    appts = list(csv.DictReader(open(appointments))) if appointments else []
    for s in csv.DictReader(open(sessions)):
        if s["session_org_code"] != pcn:
            continue
        a, b = minutes(s["start_time"]), minutes(s["end_time"])
        n = int(s["slot_minutes"])
        k = (b - a) // n
        wk = week(s["session_date"])
        pts.setdefault(wk, 0)
        if what == "offered":
            pts[wk] += k * n
        for r in appts:
            m = minutes(r["start"][11:16])
            if (what == "delivered" and r["org"] == pcn
                    and r["outcome"] == "fulfilled"
                    and r["start"][:10] == s["session_date"]
                    and a <= m and m + n <= a + k * n):
                pts[wk] += n
    if pts:
        d = date.fromisoformat(min(pts))
        while d.isoformat() < max(pts):
            pts.setdefault(d.isoformat(), 0)
            d += timedelta(weeks=1)
    return dict(sorted(pts.items()))


def xmr(y, floor=None):
    """(mean, lpl, upl) of the XmR chart of y, the lower limit no lower
    than floor when one is given; unscreened moving ranges of 3.267 x
    their mean or more are left out of the average moving range."""
    mean = sum(y) / len(y)
    mr = [abs(y[i] - y[i - 1]) for i in range(1, len(y))]
    amr = sum(mr) / len(mr)
    kept = [r for r in mr if r < 3.267 * amr]
    amr = sum(kept) / len(kept)
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    if floor is not None:
        lpl = max(lpl, floor)
    return mean, lpl, upl


def assurance(target, lpl, upl, increase=True):
    """Making Data Count assurance of a target against the last limits."""
    if target > upl:
        return "consistent_fail" if increase else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increase else "consistent_fail"
    return "inconsistent"


def chart_rows(points, floor=None):
    """"date,value,mean,lpl,upl" lines (6 decimals) of {date: value}."""
    mean, lpl, upl = xmr(list(points.values()), floor)
    return [f"{d},{v:.6f},{mean:.6f},{lpl:.6f},{upl:.6f}"
            for d, v in points.items()]


def serve(pccs, store, log):
    """Start pccs serve on store at a free port: (process, base URL)."""
    p = subprocess.Popen([pccs, "--store", store, "serve", "--listen",
                          "127.0.0.1:0"], stdout=subprocess.PIPE,
                         stderr=open(log, "a"), text=True)
    line = p.stdout.readline()
    while line and "listening on " not in line:
        line = p.stdout.readline()
    if not line:
        raise RuntimeError(f"pccs serve did not start (see {log})")
    return p, line.split("listening on ")[1].split()[0].rstrip("/")


def stop(p):
    p.terminate()
    p.wait()


def section(page, sid):
    """The body of the paper's <section class="major" id=sid>, or ""."""
    m = re.search(rf'<section class="major" id="{sid}">(.*?)</section>',
                  page, re.S)
    return m.group(1) if m else ""


def table_cells(part):
    """The rows of the first table in part: lists of cell texts."""
    t = part[part.index("<tbody>"):part.index("</tbody>")] \
        if "<tbody>" in part else ""
    return [[html.unescape(re.sub("<[^>]*>", "", c))
             for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", t, re.S)]


def line_chart(part):
    """(values, gridlines) of the first SVG line chart in part: the
    values its description lists and the y axis's labelled gridlines."""
    svg = part[part.index("<svg"):] if "<svg" in part else ""
    d = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    vals = [float(v.replace(",", "")) for v in
            re.findall(r" (-?[\d,]+(?:\.\d+)?)(?:,|\.)", d.group(1))] \
        if d else []
    grid = [float(v.replace(",", "")) for v in re.findall(
        r'text-anchor="end" fill="[^"]*">(-?[\d,.]+)</text>', svg)]
    return vals, grid


def check(name, cond, got=""):
    """A line the test's shell loop turns into ok / not ok."""
    print(f"{'ok' if cond else 'FAIL'}\t{name}"
          f"{'' if cond else f' (got {got})'}")
