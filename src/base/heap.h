/* SPDX-License-Identifier: MIT */
/*
 * The heap in huge pages. On a virtual machine a page fault can cost
 * 10-15 microseconds, and a table for all of England touches thousands of
 * fresh 4 KiB pages (its cells, their text, the store's page cache): more
 * time than the table's own work. Called once at the start of main().
 */
#ifndef PCCS_HEAP_H
#define PCCS_HEAP_H

#include <stddef.h>

/**
 * Grow the heap by pad bytes ahead of need and ask the kernel for
 * transparent huge pages over that room (madvise, honoured where
 * /sys/kernel/mm/transparent_hugepage/enabled allows it), so the first
 * pad bytes a command allocates fault 2 MiB at a time. The room is
 * address space, not memory: a page is taken when first touched (so
 * resident memory grows in 2 MiB steps). Blocks up to 32 MiB come from
 * the heap rather than a mapping of their own. Where the address space
 * is limited, or the allocator is not glibc's (a sanitizer's), the heap
 * grows as it would have; never fails.
 */
void pccs_heap_huge(size_t pad);

#endif
