#!/bin/sh
# --format xlsx --out: read the workbook back with python's zipfile and XML
# parser (not pccs's reader) and compare it with the CSV of the same table:
# numbers are numeric cells, ISO dates are date serials, the header row is
# frozen, and the sources sheet carries the provenance and the OGL line.
. "$(dirname "$0")/lib.sh"

S=$T/s.db
run_pccs --store "$S" load --quiet "$DATA/pcn-workforce-individual-level_2022-09.csv" \
    "$DATA/nhs-payments-to-general-practice_2022-23.csv"
run_pccs --store "$S" table workforce --level region --format csv
printf '%s\n' "$out" >"$T/w.csv"
run_pccs --store "$S" table workforce --level region --format xlsx --out "$T/w.xlsx"
check_eq "xlsx written: exit 0" "$status" 0
got=$(python3 - "$T/w.xlsx" "$T/w.csv" <<'PY'
import csv, datetime, sys, zipfile
import xml.etree.ElementTree as ET
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
sst = [''.join(t.text or '' for t in si.iter('{%s}t' % ns['m']))
       for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)]
def sheet(name):
    root = ET.fromstring(z.read(name))
    rows = []
    for r in root.find('m:sheetData', ns).findall('m:row', ns):
        row = {}
        for c in r.findall('m:c', ns):
            col = ''.join(ch for ch in c.get('r') if ch.isalpha())
            v = c.find('m:v', ns)
            row[col] = ('s', sst[int(v.text)]) if c.get('t') == 's' else ('n', float(v.text))
        rows.append(row)
    return root, rows
root, rows = sheet('xl/worksheets/sheet1.xml')
want = list(csv.reader(open(sys.argv[2], newline='')))
frozen = root.find('.//m:pane', ns).get('state') == 'frozen'
cols = 'ABCDEFGHIJK'
bad = 0
for i, w in enumerate(want):
    for j, val in enumerate(w):
        cell = rows[i].get(cols[j])
        if val == '':
            bad += cell is not None
        elif i > 0 and j in (5, 6, 7, 8, 9):
            bad += not (cell[0] == 'n' and abs(cell[1] - float(val)) < 1e-6)
        elif i > 0 and j == 10:
            serial = (datetime.date.fromisoformat(val) - datetime.date(1899, 12, 30)).days
            bad += not (cell[0] == 'n' and cell[1] == serial)
        else:
            bad += cell != ('s', val)
_, src = sheet('xl/worksheets/sheet2.xml')
ogl = any('Open Government Licence' in r.get('A', ('', ''))[1] for r in src)
print(len(rows), bad, frozen, ogl)
PY
)
want_rows=$(wc -l <"$T/w.csv")
check_eq "cells equal the CSV; dates as serials; frozen; OGL on sources" \
    "$got" "$want_rows 0 True True"
run_pccs --store "$S" table workforce --format xlsx
check_eq "xlsx without --out: exit 2" "$status" 2
run_pccs --store "$S" table workforce --level region --format csv \
    --out "$T/w2.csv"
check_eq "--out for csv writes the same table" "$(cat "$T/w2.csv")" \
    "$(cat "$T/w.csv")"

done_testing
