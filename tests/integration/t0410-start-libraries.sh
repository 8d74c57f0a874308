#!/bin/sh
# Issue 17, a fast start: a command on a SQLite store does not load libpq
# or libmicrohttpd (and the dozen libraries they bring); src/store/pq_load.c
# and src/web/mhd_load.c open them when a PostgreSQL store or the server
# needs them. t0190 and make check-pg run those paths in full.
. "$(dirname "$0")/lib.sh"

cd "$ROOT" || exit 1
if ! head -c 4 "$PCCS" | grep -q ELF; then
    skip_all "PCCS is not the binary itself (make check-pg wraps it)"
fi
needed=$(readelf -d "$PCCS" | grep NEEDED)
check_eq "neither libpq nor libmicrohttpd is linked" \
    "$(printf '%s\n' "$needed" | grep -Ec 'libpq|libmicrohttpd')" 0

S=$T/s.db
run_pccs --store "$S" load --quiet data/nhs/gp-reg-pat-prac-map_2020-09.csv \
    data/nhs/gp-reg-pat-prac-all_2021-01.csv
check_eq "load" "$status" 0
LD_DEBUG=files "$PCCS" --store "$S" table populations --level region \
    --format csv >"$T/out" 2>"$T/ld"
check_eq "a table on a SQLite store" "$?" 0
check_eq "it loads no libpq, gnutls or libmicrohttpd" \
    "$(grep -Ec 'file=(libpq|libgnutls|libmicrohttpd|libgssapi)' "$T/ld")" 0

# A PostgreSQL store loads libpq on first use: nothing listens on port 1,
# so the connection is refused, with libpq's own message.
LD_DEBUG=files "$PCCS" --store "postgresql://127.0.0.1:1/none" \
    table populations >"$T/out" 2>"$T/ld"
check_eq "a PostgreSQL store that cannot be reached fails" "$?" 1
check_match "libpq is loaded for it" "$(grep -c 'file=libpq.so.5 ' "$T/ld")" \
    '^[1-9]'
check_match "and says why, as libpq does" \
    "$(grep -v '^ *[0-9]*:' "$T/ld")" "cannot connect to PostgreSQL: .*(refused|127\.0\.0\.1)"
done_testing
