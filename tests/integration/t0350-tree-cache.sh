#!/bin/sh
# The organisation tree cached in the store: pccs load leaves the tree of
# the sources it loaded in the store's cache, every command reads it back,
# and it is the same, byte for byte, as a tree built afresh from the
# tables (PCCS_TREE=check); loading a new file, or any change to the rows
# it is built from, moves the store's generation on, so a stale tree is
# never read. The memberships shown are checked against the raw files.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
S=$T/s.db
# q QUERY: the store's tables read or changed behind pccs's back (the
# sqlite3 shell; psql on PostgreSQL, whose generation and caches tables
# are the same).
q() {
    if on_pg; then
        pg_sql "$S" "$1"
    else
        sqlite3 -batch -noheader "$S" "$1"
    fi
}
gen() { q "SELECT n FROM generation"; }
cached() {
    q "SELECT count(*) FROM caches c JOIN generation g ON
       c.generation = g.n WHERE c.name = 'tree'"
}
# pcn_of FILE PRACTICE: the practice's PCN in a raw file (python3): the
# practice map's, or ePCN's open-ended relationship.
pcn_of() {
    python3 - "$1" "$2" <<'PY'
import csv, re, sys, zipfile
f, code = sys.argv[1], sys.argv[2]
if f.endswith('.csv'):
    for r in csv.DictReader(open(f, newline='', encoding='utf-8-sig')):
        if r['PRACTICE_CODE'] == code:
            print(r['PCN_CODE'])
    sys.exit(0)
z = zipfile.ZipFile(f)
ss = [re.sub('<[^>]+>', '', s) for s in
      re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(),
                 re.S)]
x = z.read('xl/worksheets/sheet2.xml').decode()
for row in re.findall(r'<row[^>]*>(.*?)</row>', x, re.S):
    v = [ss[int(val)] if 't="s"' in a and val else val for a, val in
         re.findall(r'<c ([^>]*?)(?:/>|>(?:<f>.*?</f>)?<v>(.*?)</v></c>)', row)]
    if v and v[0] == code and v[9] == '':
        print(v[4])
PY
}

run_pccs --store "$S" load --quiet "$DATA/gp-reg-pat-prac-map_2020-09.csv" \
    "$DATA/epraccur_2022.csv"
check_eq "load" "$status" 0
check_eq "load leaves the tree cached for the store's generation" "$(cached)" 1
g1=$(gen)

PCCS_TREE=check run_pccs --store "$S" show G82080
check_eq "show with the cached tree checked" "$status" 0
check_match "the cached tree is the one built from the tables" "$errout" \
    "tree: cached for generation ${g1:-[0-9]+}, the same as a fresh build"
want=$(pcn_of "$DATA/gp-reg-pat-prac-map_2020-09.csv" G82080)
check_match "G82080's PCN is the map's ($want)" "$out" "pcn +$want "

# The same answers from the cache and from a tree built afresh.
for args in "show QHM" "orgs --level pcn --in 91Q" \
    "table populations --level pcn --in 91Q --format csv"; do
    # shellcheck disable=SC2086
    a=$("$PCCS" --store "$S" $args 2>&1)
    # shellcheck disable=SC2086
    b=$(PCCS_TREE=rebuild "$PCCS" --store "$S" $args 2>&1)
    check_eq "$args: cached and rebuilt trees answer the same" "$a" "$b"
done

# A new file moves the generation on; its memberships are in the tree.
run_pccs --store "$S" load --quiet "$DATA/ePCN_2022.xlsx"
check_eq "load ePCN" "$status" 0
g2=$(gen)
if [ "$g2" -gt "$g1" ]; then ok "loading a file moves the generation on"
else not_ok "loading a file moves the generation on" "$g1 -> $g2"; fi
check_eq "the tree of generation $g1 is not the current one" \
    "$(q "SELECT count(*) FROM caches WHERE generation = $g1")" 0
check_eq "load caches the new tree" "$(cached)" 1
PCCS_TREE=check run_pccs --store "$S" show G82080
check_match "the new cached tree is the one built from the tables" "$errout" \
    "tree: cached for generation ${g2:-[0-9]+}, the same as a fresh build"
want=$(pcn_of "$DATA/ePCN_2022.xlsx" G82080)
check_match "G82080's PCN is now ePCN 2022's ($want)" "$out" "pcn +$want "

# A change to the rows the tree is built from by another writer (here a
# link deleted in the sqlite3 shell, or psql) makes the cached tree stale: it is
# not read, and the next command rebuilds it.
q "DELETE FROM links WHERE child = 'G82080' AND parent = 'U50767'" >/dev/null
check_eq "a changed link leaves no tree for the generation" "$(cached)" 0
PCCS_TREE=check run_pccs --store "$S" show G82080
check_match "a stale tree is not read" "$errout" "tree: no cache for generation"
run_pccs --store "$S" show G82080
check_match "the rebuilt tree has lost the link" "$out" "pcn +$(pcn_of "$DATA/gp-reg-pat-prac-map_2020-09.csv" G82080) "
check_eq "the next command caches the rebuilt tree" "$(cached)" 1
PCCS_TREE=check run_pccs --store "$S" show G82080
check_match "and it is the one built from the tables" "$errout" \
    "the same as a fresh build"

# SQLite: the cached tree is also kept in a file beside the store, read in
# one go at a start; it is used only when it holds the blob of the store's
# own cache row (the same generation and random tag), so a store replaced
# by another does not read the other's tree, and a damaged file is not
# read.
if ! on_pg; then
    C=$S-tree.cache
    check_eq "the cached tree is written beside the store" \
        "$([ -s "$C" ] && echo yes)" yes
    cp "$C" "$T/a.cache"
    B=$T/b.db
    run_pccs --store "$B" load --quiet "$DATA/epraccur_2022.csv"
    check_eq "load another store" "$status" 0
    rm -f "$S-wal" "$S-shm"
    cp "$B" "$S"
    PCCS_TREE=check run_pccs --store "$S" show G82080
    check_match "a store replaced by another does not read the old file" \
        "$errout" "the same as a fresh build"
    check_eq "and the replaced store's file is written afresh" \
        "$(cmp -s "$C" "$T/a.cache" || echo rewritten)" rewritten
    check_eq "G82080 is in no PCN in the other store" \
        "$(echo "$out" | grep -c '^ *pcn ')" 0
    printf 'not a cache' | dd of="$C" conv=notrunc status=none
    PCCS_TREE=check run_pccs --store "$S" show G82080
    check_match "a damaged file is not read" "$errout" \
        "the same as a fresh build"
fi

# A read-only store is read from its cache and not written.
chmod a-w "$T"
if [ ! -w "$T" ]; then
    PCCS_TREE=check run_pccs --store "$S" show G82080
    check_match "a read-only store reads its cached tree" "$errout" \
        "the same as a fresh build"
fi
chmod u+w "$T"
done_testing
