#!/bin/sh
# The committee report for a real ICB (QHM, Cumbria and North East, as the
# 2021 files place it): one self-contained HTML file whose figures are the
# ones pccs table prints and match python over the raw files; printed to
# PDF with Debian's headless Chromium, its pages counted, its text (from
# pdftotext) checked for the same figures, and its first pages saved as
# PNGs in tests/out/.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
scripts/gen-reg-age --out "$T/gen" --only quin
G="$T/General Practice - September 2022 Practice Level - Detailed.csv"
python3 scripts/gen-gpw --out "$G"
# A January 2022 snapshot (every list moved -5% .. +8%, fixed seed) for
# the growth over 12 months.
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
# Every bundled file but the April 2026 list, so the January 2022 one
# above is the latest snapshot.
run_pccs --store "$S" load --quiet $(ls "$DATA"/*.csv | grep -v _2026-04) \
    "$DATA"/*.xlsx "$T/reg-2022.csv" \
    "$T/gen/gp-reg-pat-prac-quin-age.csv" "$G" data/templates/*.csv
check_eq "load (with the local register templates)" "$status" 0
run_pccs --store "$S" synth appointments --in QHM --months 13 --out "$T/a.csv"
run_pccs --store "$S" load --quiet "$T/a.csv"
check_eq "appointments load" "$status" 0

run_pccs --store "$S" report committee --in QHM --out "$T/r.html"
check_eq "report: exit 0" "$status" 0
H=$T/r.html
check_eq "self-contained: no external script, style, image or link" \
    "$(grep -Ec '<script|<link|<img|src=|href=[^"]|href="[^#]|url\(' "$H")" 0
check_eq "the contents list links to the paper's own sections" \
    "$(grep -Eo 'href="#[^"]*"' "$H" | sort -u | wc -l | tr -d ' ')" 8
check_eq "every section there" "$(grep -c '<h2>' "$H")" 9
check_match "OGL attribution" "$(cat "$H")" "Open Government Licence v3.0"
check_eq "nothing missing" "$(grep -c 'Not available' "$H")" 0
check_eq "charts inline: pyramid, 2 SPC, bar, the PCN workforce SPC" "$(grep -c '<svg ' "$H")" 5
check_match "registers: the programme status total row" "$(cat "$H")" \
    "<td>Total</td><td class=\"n\">[0-9]+</td>"
check_match "registers: the risk with the highest score first" \
    "$(grep -A6 'Risks by score' "$H" | tr -d '\n')" "<tbody><tr><td>R001</td>"

# Provenance (issue 12): the GP workforce, the age bands and the
# appointments here are generated and the registers are the templates'
# examples: every section resting on them says so in a box before its
# tables, the sources list marks those files, sections on published data
# alone are unmarked, and resilience rates without the generated figures.
python3 - "$H" >"$T/prov" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
for sec in re.split(r'(?=<section)', s)[1:]:
    h2 = re.search(r'<h2>(\d+)\.', sec)
    kinds = sorted(set(' '.join(re.findall(r'class="prov" data-provenance="([a-z ]+)"', sec)).split()))
    print(h2.group(1) if h2 else '?', ','.join(kinds) or '-')
PY
check_match "population (age bands generated): SYNTHETIC box" "$(cat "$T/prov")" "^2 .*synthetic"
check_match "capacity (pccs synth appointments): SYNTHETIC box" "$(cat "$T/prov")" "^3 .*synthetic"
check_match "workforce (gen-gpw): SYNTHETIC box" "$(cat "$T/prov")" "^5 .*synthetic"
check_match "registers (templates): EXAMPLE box" "$(cat "$T/prov")" "^9 example$"
check_match "QOF (published only): no box" "$(cat "$T/prov")" "^6 -$"
check_match "payments (published only): no box" "$(cat "$T/prov")" "^7 -$"
check_match "sources: a box saying some files are not published data" \
    "$(cat "$T/prov")" "^1 example,synthetic$"
check_eq "sources: 3 files marked SYNTHETIC, 10 EXAMPLE" \
    "$(grep -c '<span class="mark">SYNTHETIC: generated file' "$H") $(grep -c '<span class="mark">EXAMPLE: template example rows' "$H")" "3 10"
check_eq "resilience: no reason rests on GP FTE or DNA (generated)" \
    "$(grep -Ec '(gp_fte_per_10000|dna_pct) [0-9]' "$H")" 0
check_match "... and it says they were left out" "$(cat "$H")" \
    "gp_fte_per_10000: left out: it rests on synthetic"

# QHM's registered list and a PCN's weighted list, from python over the
# raw files, as the report shows them.
python3 - "$DATA" "$T/reg-2022.csv" >"$T/want" <<'PY'
import csv, sys
d = sys.argv[1]
m = list(csv.DictReader(open(d + '/gp-reg-pat-prac-map_2020-09.csv', newline='')))
ccgs = {r['CCG_CODE'] for r in m if r['STP_CODE'] == 'QHM'}
tot = lambda f: sum(int(r['NUMBER_OF_PATIENTS']) for r in csv.DictReader(open(f, newline='')) if r['CCG_CODE'] in ccgs)
a, b = tot(d + '/gp-reg-pat-prac-all_2021-01.csv'), tot(sys.argv[2])
print(f"{b:,}")
print(f"Registered list on 2021-01-01: {a:,}; on 2022-01-01: {b:,}; growth over 12 months: <strong>{(b / a - 1) * 100:.2f}%</strong>")
PY
want=$(head -n 1 "$T/want")
growth=$(tail -n 1 "$T/want")
check_match "QHM registered (python) in the report" "$(cat "$H")" "<td class=\"n\">$want</td>"
check_match "QHM list growth over 12 months (python)" "$(cat "$H")" "$growth"
# Every PCN's registered and weighted as pccs table prints them.
run_pccs --store "$S" table populations --level pcn --in QHM --format csv
printf '%s\n' "$out" | tsv | awk -F'\t' 'NR > 1 { print $1 }' >"$T/pcns"
bad=0
for p in $(head -n 5 "$T/pcns"); do
    reg=$("$PCCS" --store "$S" table populations --level pcn --in "$p" --format csv |
        python3 -c 'import csv, sys; r = list(csv.DictReader(sys.stdin))[0]; print(format(float(r["registered"]), ",.0f"))')
    [ -n "$reg" ] && grep -q "<td class=\"n\">$reg</td>" "$H" || bad=$((bad + 1))
done
check_eq "PCN registered as pccs table prints it (5 PCNs)" "$bad" 0

# Print to PDF and look.
if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$T/r.pdf" "file://$H" >/dev/null 2>&1
    pages=$(pdfinfo "$T/r.pdf" | awk '/^Pages:/ { print $2 }')
    check_eq "PDF: at least a page per section (9 to 200 pages)" \
        "$(test "${pages:-0}" -ge 9 && test "$pages" -le 200 && echo yes)" yes
    pdftotext -layout "$T/r.pdf" "$T/r.txt"
    check_match "PDF text: the title" "$(cat "$T/r.txt")" "Primary care commissioning report"
    check_match "PDF text: QHM registered (python)" "$(cat "$T/r.txt")" "$want"
    check_match "PDF text: OGL attribution" "$(cat "$T/r.txt")" "Open Government Licence"
    mkdir -p "$ROOT/tests/out"
    rm -f "$ROOT"/tests/out/report-page-*.png
    pdftoppm -png -r 60 -f 1 -l 4 "$T/r.pdf" "$ROOT/tests/out/report-page"
    check_eq "PNGs of the first 4 pages in tests/out" \
        "$(ls "$ROOT"/tests/out/report-page-*.png | wc -l | tr -d ' ')" 4
    # The page where the workforce section starts, with its SYNTHETIC box
    # (the last page naming it: the contents list on page 3 names it too).
    wp=$(python3 -c 'import sys
pages = open(sys.argv[1]).read().split("\f")
print(max(i + 1 for i, p in enumerate(pages) if "5. Workforce per 10,000" in p))' "$T/r.txt")
    check_match "PDF text: the workforce page says not published data" \
        "$(python3 -c 'import sys
print(open(sys.argv[1]).read().split("\f")[int(sys.argv[2]) - 1])' "$T/r.txt" "$wp" | tr -s ' \n' '  ')" \
        "Not published data: the figures below rest on a generated"
    rm -f "$ROOT"/tests/out/report-workforce-*.png
    pdftoppm -png -r 60 -f "$wp" -l "$wp" "$T/r.pdf" "$ROOT/tests/out/report-workforce"
else
    ok "# SKIP chromium or poppler-utils not installed: no PDF"
fi

# 2023-24: every DES line of data/maps/pcn_lines.csv and of the rates
# has a row in the entitlements table, with an amount and its rate, or
# the reason it has none; the ARRS amount is the PCNs' entitlements ARRS.
run_pccs --store "$S" report committee --in QHM --period 2023-24 --out "$T/y.html"
check_eq "report 2023-24: exit 0" "$status" 0
run_pccs --store "$S" table entitlements --in QHM --level pcn --year 2023-24 --format csv
arrs=$(printf '%s\n' "$out" | python3 -c 'import csv,sys
print("{:,.0f}".format(sum(float(r["arrs"]) for r in csv.DictReader(sys.stdin))))')
got=$(python3 - "$T/y.html" "$arrs" <<'PY'
import csv, glob, html, re, sys
s = open(sys.argv[1]).read()
seg = s[s.index('PCN entitlements by line'):]
seg = seg[:seg.index('</table>')]
rows = [[html.unescape(re.sub(r'<[^>]+>', '', c)).strip()
         for c in re.findall(r'<td[^>]*>(.*?)</td>', tr, re.S)]
        for tr in re.findall(r'<tr>(.*?)</tr>', seg, re.S)]
rows = [r for r in rows if r]
meta = list(csv.DictReader(open('data/maps/pcn_lines.csv')))
lines = [r['line'] for r in meta]
for r in csv.DictReader(open('data/rates/pcn.csv')):
    for suf in ('_per_registered', '_per_adjusted', '_per_weighted', '_per_bed',
                '_per_pcn', '_national_sum'):
        it = r['item']
        if it.endswith(suf) and it[:-len(suf)] not in lines:
            lines.append(it[:-len(suf)])
bad = [r for r in rows if not ((r[2] and re.search(r'per |derived', r[3]))
       or re.match(r'(not paid in 2023-24|rate unknown: .+|.*not computed: .+)', r[3]))]
label = {m['line']: m['label'] for m in meta}
arrs = [r[2] for r in rows if r[0] == label['arrs']]
print(len(rows) == len(lines), bad, arrs == [sys.argv[2]])
PY
)
check_eq "2023-24 entitlements: every line filled or marked with its reason" \
    "$got" "True [] True"

run_pccs --store "$S" report committee --in A81001 --out "$T/p.html"
check_eq "a practice has no children: exit 1" "$status" 1
check_eq "... and no file" "$(test -e "$T/p.html" || echo none)" none
run_pccs --store "$S" report committee --in NOPE --out "$T/n.html"
check_eq "unknown organisation: exit 1" "$status" 1

done_testing
