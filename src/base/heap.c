/* SPDX-License-Identifier: MIT */
/* The heap in huge pages: see heap.h. */
#define _DEFAULT_SOURCE /* sbrk, madvise MADV_HUGEPAGE */
#include "base/heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
static void *kept; /* the heap's first ranges, in 4 KiB pages */
#endif

void
pccs_heap_huge(size_t pad)
{
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    /*
     * glibc: each growth of the heap adds pad beyond the request, the
     * heap is not given back until pad is free at its top, and blocks up
     * to 32 MiB (glibc's most) come from it while it has room.
     */
    if (pad < 2 * huge || pad > INT32_MAX || !mallopt(M_TOP_PAD, (int)pad) ||
        !mallopt(M_TRIM_THRESHOLD, (int)pad) ||
        !mallopt(M_MMAP_THRESHOLD, 32 << 20))
        return;
    /*
     * A first block from the heap makes it grow now, by pad. Its header
     * and the top's were written before the advice, so the 2 MiB ranges
     * they lie in keep 4 KiB pages: the block is grown in place to the
     * end of the second and kept, and the heap goes on from a range the
     * kernel has not yet touched.
     */
    char *lo = sbrk(0);
    char *p = malloc(huge);
    char *hi = sbrk(0);
    if (!p || lo == (char *)-1 || hi == (char *)-1 || hi <= lo ||
        (uintptr_t)p + huge > (uintptr_t)hi) {
        /* the heap did not grow (a limit on address space), or the
         * block is not from it (a sanitizer's allocator): grow as glibc
         * would */
        (void)mallopt(M_TOP_PAD, 128 << 10);
        free(p);
        return;
    }
    (void)madvise(lo, (size_t)(hi - lo), MADV_HUGEPAGE);
    uintptr_t chunk = (uintptr_t)p - 2 * sizeof(size_t);
    uintptr_t fresh =
        ((uintptr_t)p + huge + 2 * sizeof(size_t) + huge - 1) & ~(huge - 1);
    if (fresh < (uintptr_t)hi)
        kept = realloc(p, fresh - chunk - sizeof(size_t));
    if (!kept)
        free(p);
#else
    (void)pad;
#endif
}
