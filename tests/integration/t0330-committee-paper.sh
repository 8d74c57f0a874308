#!/bin/sh
# The committee paper as a committee would table it (issue 16), for QHM
# (an ICB, the cover's defaults) and 10X (Southampton, a sub-ICB, the
# cover from the template paper file): cover sheet and recommendations,
# an executive summary whose every figure is the cell (or row count) of
# the pccs table it names, checked against `pccs table ... --format csv`;
# then printed to PDF by `pccs report committee --pdf` (headless
# chromium) and read back with pdftotext and pdftoppm: no blank page, no
# page whose only text is a heading, the summary's figures on its pages.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
G="$T/General Practice - September 2022 Practice Level - Detailed.csv"
python3 scripts/gen-gpw --out "$G"
# A January 2022 snapshot (every list moved -5% .. +8%, fixed seed): the
# growth over 12 months the summary states.
python3 - "$DATA/gp-reg-pat-prac-all_2021-01.csv" "$T/reg-2022.csv" <<'PY'
import csv, random, sys
rng = random.Random(3)
rows = list(csv.reader(open(sys.argv[1], newline='')))
w = csv.writer(open(sys.argv[2], 'w', newline=''))
w.writerow(rows[0])
for r in rows[1:]:
    r[1] = '01JAN2022'
    r[9] = str(int(int(r[9]) * rng.uniform(0.95, 1.08)))
    w.writerow(r)
PY
run_pccs --store "$S" load --quiet $(ls "$DATA"/*.csv | grep -v _2026-04) \
    "$DATA"/*.xlsx "$T/reg-2022.csv" "$G" data/templates/*.csv
check_eq "load" "$status" 0
# Appointments for both areas in one file (one GPAD file is the latest).
"$PCCS" --store "$S" synth appointments --in QHM --months 13 --out "$T/a.csv" 2>/dev/null
"$PCCS" --store "$S" synth appointments --in 10X --months 13 --out "$T/b.csv" 2>/dev/null
{ cat "$T/a.csv"; tail -n +2 "$T/b.csv"; } >"$T/ab.csv"
run_pccs --store "$S" load --quiet "$T/ab.csv"
check_eq "appointments load" "$status" 0

run_pccs --store "$S" report committee --in QHM --out "$T/QHM.html"
check_eq "QHM paper: exit 0" "$status" 0
run_pccs --store "$S" report committee --in 10x \
    --paper data/templates/paper/committee.csv --out "$T/10X.html"
check_eq "10X paper (code in lower case, template paper file): exit 0" \
    "$status" 0

# The cover sheet: what the paper file says (10X), the defaults (QHM).
cover() {
    python3 - "$1" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
c = s[s.index('<section class="cover">'):]
c = c[:c.index('</section>')]
rows = {html.unescape(re.sub('<[^>]+>', '', k)): html.unescape(re.sub('<[^>]+>', '', v)).strip()
        for k, v in re.findall(r'<tr><th scope="row">(.*?)</th><td[^>]*>(.*?)</td></tr>', c, re.S)}
recs = [html.unescape(x) for x in re.findall(r'<li>(.*?)</li>', c, re.S)]
on = re.findall(r'<span class="tick on">[^ ]+ (\w+)</span>', c)
print('|'.join([rows.get('Meeting', ''), rows.get('Date of meeting', ''),
                rows.get('Agenda item', ''), rows.get('Lead', ''), ','.join(on),
                str(len(recs)), str('The Committee is asked to:' in c),
                rows.get('Board Assurance Framework risks', '')[:30]]))
PY
}
check_eq "10X cover: meeting, date, item, lead, purpose, 3 asks, BAF row" \
    "$(cover "$T/10X.html")" \
    "Primary Care Commissioning Committee (meeting in public)|2026-12-10|7.2|Director of Primary Care|Assurance|3|True|Risks scoring 15 or more on th"
check_match "QHM cover: defaults (assurance, today's date, 3 asks)" \
    "$(cover "$T/QHM.html")" \
    "^Primary Care Commissioning Committee\|[0-9]{4}-[0-9]{2}-[0-9]{2}\|Not given\|Not given\|Assurance\|3\|True\|Not assessed"

# Every figure of the summary against the table it names. The checker
# prints one line per figure that differs, then "N figures".
cat >"$T/figs.py" <<'PY'
import csv, html, io, re, shlex, subprocess, sys
pccs, store, path = sys.argv[1:4]
s = open(path).read()
summ = s[s.index('<section class="summary">'):]
summ = summ[:summ.index('</section>')]
spans = re.findall(r'<span class="fig"([^>]*)>(.*?)</span>', summ, re.S)
cache = {}
def table(name, args):
    key = (name, args)
    if key not in cache:
        out = subprocess.run([pccs, '--store', store, 'table', name] + shlex.split(args)
                             + ['--format', 'csv'], capture_output=True, text=True, check=True).stdout
        cache[key] = list(csv.DictReader(io.StringIO(out)))
    return cache[key]
def num(x):
    x = x.replace(',', '').replace('£', '').replace('%', '').strip()
    try:
        return float(x)
    except ValueError:
        return None
bad = []
for attrs, shown in spans:
    a = {k: html.unescape(v) for k, v in re.findall(r'data-([a-z]+)="([^"]*)"', attrs)}
    shown = html.unescape(shown)
    rows = table(a['table'], a['args'])
    if 'count' in a:
        c = a['count']
        if not c:
            want = len(rows)
        elif '>=' in c:
            col, v = c.split('>=')
            want = sum(1 for r in rows if r[col] and float(r[col]) >= float(v))
        else:
            col, v = c.split('=')
            want = sum(1 for r in rows if r[col] == v)
        if int(shown) != want:
            bad.append(f'{a} shows {shown}, the table has {want} rows')
        continue
    where = dict(kv.split('=', 1) for kv in a['where'].split(';'))
    hit = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    if len(hit) != 1:
        bad.append(f'{a}: {len(hit)} rows match')
        continue
    cell = hit[0][a['col']]
    g, w = num(shown), num(cell)
    if g is not None and w is not None:
        d = len(shown.split('.')[1]) if '.' in shown else 0
        ok = abs(g - w) <= 0.5 * 10 ** -d + 1e-9
    else:
        ok = shown == cell
    if not ok:
        bad.append(f'{a}: shows {shown!r}, the table has {cell!r}')
for b in bad:
    print(b)
print(len(spans), 'figures')
print(' '.join(sorted({a for a in re.findall(r'data-table="([a-z-]+)"', summ)})))
PY
for o in QHM 10X; do
    python3 "$T/figs.py" "$PCCS" "$S" "$T/$o.html" >"$T/$o.figs" 2>&1
    n=$(tail -n 2 "$T/$o.figs" | head -n 1 | awk '{ print $1 }')
    check_eq "$o summary: every figure equals its pccs table cell or row count" \
        "$(head -n -2 "$T/$o.figs")" ""
    check_eq "$o summary: at least 20 figures" "$(test "${n:-0}" -ge 20 && echo yes)" yes
    check_eq "$o summary: from populations, capacity, entitlements (this year and last), resilience, risks, programmes" \
        "$(tail -n 1 "$T/$o.figs")" \
        "capacity entitlements populations programme-status resilience risks"
done
check_match "QHM summary: entitlements against last year (2022-23 and 2021-22)" \
    "$(cat "$T/QHM.html")" 'data-args="--level icb --in QHM --year 2021-22"'
check_match "QHM summary: the risks scoring 15 or more (R001 16, R004 15)" \
    "$(tr -d '\n' <"$T/QHM.html" | sed 's/<[^>]*>//g')" \
    "Risks scoring 15 or more. 2 of the 4 risks on the register: R001 Practice resilience in small practices \(score 16, Head of Primary Care\); R004 Winter demand exceeds capacity \(score 15"
check_match "QHM summary: overdue programmes from the programme-status total" \
    "$(tr -d '\n' <"$T/QHM.html" | sed 's/<[^>]*>//g')" \
    "Overdue programmes. 4 of 5 programme milestones are overdue"

# QHM's registered list in the summary, from python over the raw file.
want=$(python3 - "$DATA" "$T/reg-2022.csv" <<'PY'
import csv, sys
m = list(csv.DictReader(open(sys.argv[1] + '/gp-reg-pat-prac-map_2020-09.csv', newline='')))
ccgs = {r['CCG_CODE'] for r in m if r['STP_CODE'] == 'QHM'}
print(f"{sum(int(r['NUMBER_OF_PATIENTS']) for r in csv.DictReader(open(sys.argv[2], newline='')) if r['CCG_CODE'] in ccgs):,}")
PY
)
check_match "QHM summary: registered list (python over the raw file)" \
    "$(tr -d '\n' <"$T/QHM.html" | sed 's/<[^>]*>//g')" \
    "Population. NHS North East and North Cumbria ICB has $want registered patients"

# Structure: a reading opens each section; PCN totals come before their
# practices; the long practice tables are appendices; synthetic marked.
check_eq "QHM: a reading paragraph opens sections 2 to 9" \
    "$(python3 -c 'import re, sys
s = open(sys.argv[1]).read()
print(sorted(int(n) for n in re.findall(r"<h2>(\d+)\.[^<]*</h2>\n(?:<div class=\"prov\".*?</div>\n)?<p class=\"reading\">", s, re.S)))' "$T/QHM.html")" \
    "[2, 3, 4, 5, 6, 7, 8, 9]"
check_match "QHM appendix A: a PCN's total row before its practices" \
    "$(sed -n '/Appendix A\./,/<\/table>/p' "$T/QHM.html" | grep -m 2 '^<tr' | tr -d '\n')" \
    '^<tr class="total">.*PCN</td>.*<tr><td>[A-Z][0-9]{5}</td>'
check_eq "QHM appendices A to D" \
    "$(grep -o 'Appendix [A-D]\. [A-Z][a-z]*' "$T/QHM.html" | tr '\n' ',')" \
    "Appendix A. Population,Appendix B. Practices,Appendix C. Practice,Appendix D. Data,"
check_match "QHM: the cover says some files are synthetic" \
    "$(sed -n '/<section class="cover">/,/<\/section>/p' "$T/QHM.html")" \
    'data-provenance="synthetic example"'

# A bad paper file: file:line:col and what was expected; no paper written.
printf 'key,value\nmeeting,Board\npurpose,maybe\n' >"$T/bad.csv"
run_pccs --store "$S" report committee --in QHM --paper "$T/bad.csv" --out "$T/bad.html"
check_eq "bad paper file: exit 1" "$status" 1
check_match "... names file:3:2 and the purposes expected" "$errout" \
    "bad.csv:3:2: purpose: expected decision, assurance or information"
check_eq "... and no file" "$(ls "$T"/bad.html* 2>/dev/null)" ""

# The PDF, printed by pccs itself.
if ! [ -x "${PCCS_CHROMIUM:-/usr/bin/chromium}" ] ||
    ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    ok "# SKIP no chromium or poppler-utils (scripts/deps installs both): no PDF"
    done_testing
    exit $?
fi
mkdir -p "$ROOT/tests/out"
for o in QHM 10X; do
    paper=
    [ "$o" = 10X ] && paper="--paper data/templates/paper/committee.csv"
    run_pccs --store "$S" report committee --in $o $paper --out "$T/$o.html" --pdf "$T/$o.pdf"
    check_eq "$o: --pdf exit 0" "$status" 0
    pages=$(pdfinfo "$T/$o.pdf" | awk '/^Pages:/ { print $2 }')
    check_eq "$o PDF: 10 to 60 pages" \
        "$(test "${pages:-0}" -ge 10 && test "$pages" -le 60 && echo yes)" yes
    pdftotext -layout "$T/$o.pdf" "$T/$o.txt"
    pdftoppm -gray -r 20 "$T/$o.pdf" "$T/$o-pg"
    # Per page: its text lines, those that are not a heading (h1-h3, a
    # chart's title), and the share of its pixels that are not white.
    python3 - "$T/$o.html" "$T/$o.txt" "$T" "$o" >"$T/$o.pages" <<'PY'
import glob, html, re, sys
src, txt, d, o = sys.argv[1:5]
s = open(src).read()
heads = {' '.join(html.unescape(re.sub('<[^>]+>', '', h)).split())
         for h in re.findall(r'<h[123][^>]*>(.*?)</h[123]>', s, re.S)}
heads |= {' '.join(html.unescape(t).split())
          for t in re.findall(r'font-weight="bold"[^>]*>([^<]+)</text>', s)}
pages = open(txt).read().split('\f')
if pages and not pages[-1].strip():
    pages.pop()
for i, p in enumerate(pages):
    lines = [' '.join(l.split()) for l in p.split('\n') if l.strip()]
    body = [l for l in lines if l not in heads]
    pgm = sorted(glob.glob(f'{d}/{o}-pg-*.pgm'))[i]
    b = open(pgm, 'rb').read()
    parts = b.split(maxsplit=4)
    w, h, px = int(parts[1]), int(parts[2]), parts[4][-int(parts[1]) * int(parts[2]):]
    ink = sum(1 for v in px if v < 200) / (w * h)
    print(i + 1, len(lines), len(body), f'{ink:.4f}')
PY
    check_eq "$o PDF: pdftotext and pdftoppm agree on the page count" \
        "$(wc -l <"$T/$o.pages" | tr -d ' ') $(ls "$T/$o"-pg-*.pgm | wc -l | tr -d ' ')" "$pages $pages"
    check_eq "$o PDF: no page without text" \
        "$(awk '$2 == 0 { print $1 }' "$T/$o.pages" | tr '\n' ' ')" ""
    check_eq "$o PDF: no page whose only text is headings" \
        "$(awk '$3 == 0 { print $1 }' "$T/$o.pages" | tr '\n' ' ')" ""
    check_eq "$o PDF: no blank page image (under 0.2% ink)" \
        "$(awk '$4 < 0.002 { print $1 }' "$T/$o.pages" | tr '\n' ' ')" ""
    first=$(python3 -c 'import sys; print(open(sys.argv[1]).read().split("\f")[0])' "$T/$o.txt" | tr -s ' \n' '  ')
    check_match "$o PDF page 1: the cover (meeting, purpose, asks, implications)" \
        "$first" "Meeting .*Date of meeting .*Agenda item .*Author .*Lead .*Purpose .*Recommendations The Committee is asked to: 1\. note .*Implications Quality and safety .*Board Assurance Framework"
    check_eq "$o PDF: no date or file:// header or footer" \
        "$(grep -c 'file://' "$T/$o.txt")" 0
    # The summary's figures (numbers) are on its pages of the PDF.
    python3 - "$T/$o.html" "$T/$o.txt" >"$T/$o.missing" <<'PY'
import html, re, sys
s = open(sys.argv[1]).read()
summ = s[s.index('<section class="summary">'):s.index('<h2>1.')]
pages = open(sys.argv[2]).read().split('\f')
start = next(i for i, p in enumerate(pages) if 'Executive summary' in p)
end = next(i for i, p in enumerate(pages) if '1. Purpose and data sources' in p)
text = ' '.join(' '.join(pages[start:end + 1]).split())
for shown in re.findall(r'<span class="fig"[^>]*>([^<]*)</span>', summ):
    shown = html.unescape(shown)
    if re.fullmatch(r'[0-9,.\-]+', shown) and shown not in text:
        print(shown)
PY
    check_eq "$o PDF: every number of the summary is on the summary's pages" \
        "$(cat "$T/$o.missing")" ""
    rm -f "$ROOT"/tests/out/committee-$o-*.png
    pdftoppm -png -r 60 "$T/$o.pdf" "$ROOT/tests/out/committee-$o"
done

done_testing
