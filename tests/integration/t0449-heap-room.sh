#!/bin/sh
# The heap in huge pages (base/heap.c): a command asks for 1 GiB of heap
# room and advises huge pages over it; where the address space is limited
# (ulimit -v) it cannot have that room, and the heap grows as glibc's
# would: the same answer, no advice given.
. "$(dirname "$0")/lib.sh"
on_pg && skip_all "on PostgreSQL: the heap is the same, the test reads a SQLite file"
command -v strace >/dev/null || skip_all "no strace"
ldd "$PCCS" 2>/dev/null | grep -q libasan &&
    skip_all "AddressSanitizer's allocator: no glibc heap, and it needs more address space than ulimit -v allows"

run_pccs --store "$T/s.db" load --quiet "$DATA"/gp-reg-pat-prac-map_2020-09.csv \
    "$DATA"/gp-reg-pat-prac-all_2021-01.csv
check_eq "load" "$status" 0

# The room asked for and advised: one madvise over at least 1 GiB.
advised() { grep -c 'madvise(.*, 10[0-9]\{8\}, MADV_HUGEPAGE) = 0' "$1"; }
strace -e trace=madvise -o "$T/trace" "$PCCS" --store "$T/s.db" table populations \
    --level region --period 2021-01-01 --format csv >"$T/free.csv" 2>"$T/err"
check_eq "unlimited: answers" "$?" 0
check_eq "... with 1 GiB of heap advised for huge pages" "$(advised "$T/trace")" 1

# 700 MB of address space: the room cannot be had.
(ulimit -v 700000 && strace -e trace=madvise -o "$T/trace2" "$PCCS" \
    --store "$T/s.db" table populations --level region --period 2021-01-01 \
    --format csv >"$T/limited.csv" 2>"$T/err2")
check_eq "ulimit -v 700000: answers (exit 0)" "$?" 0
check_eq "... no heap room advised" "$(advised "$T/trace2")" 0
check_eq "... the same table" "$(cmp -s "$T/free.csv" "$T/limited.csv" && echo same)" same
check_eq "... seven regions and a header" "$(wc -l <"$T/limited.csv" | tr -d ' ')" 8
done_testing
