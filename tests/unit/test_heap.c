/* SPDX-License-Identifier: MIT */
/*
 * pccs_heap_huge (base/heap.c): after it, the heap's blocks are in 2 MiB
 * pages where the kernel gives them on request, and malloc still works
 * (a block written and read back, freed, a large one from its own
 * mapping). Skipped where transparent huge pages are off, or under a
 * sanitizer (its allocator is not glibc's).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

/* Does the kernel give huge pages on request (madvise or always)? */
static int
thp_on_request(void)
{
    char line[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return 0;
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    return strstr(line, "[madvise]") || strstr(line, "[always]");
}

/* kB of the heap's anonymous memory in huge pages, from smaps. */
static long
heap_huge_kb(void)
{
    char line[256];
    long kb = 0;
    int in_heap = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f)) {
        long v;
        unsigned long from, to;
        if (sscanf(line, "%lx-%lx ", &from, &to) == 2) /* a mapping */
            in_heap = strstr(line, "[heap]") != NULL;
        else if (in_heap && sscanf(line, "AnonHugePages: %ld kB", &v) == 1)
            kb += v;
    }
    fclose(f);
    return kb;
}

static void
test_heap_blocks_in_huge_pages(void **state)
{
    (void)state;
    if (UNDER_SANITIZER || !thp_on_request())
        skip();
    long before = heap_huge_kb();
    pccs_heap_huge((size_t)256 << 20);
    /* 24 MiB in blocks of 64 KiB, as a table's cells and text grow */
    enum { N = 384, SIZE = 64 << 10 };
    unsigned char *b[N];
    for (int i = 0; i < N; i++) {
        b[i] = malloc(SIZE);
        assert_non_null(b[i]);
        memset(b[i], i & 0xff, SIZE);
    }
    long after = heap_huge_kb();
    for (int i = 0; i < N; i++) {
        assert_int_equal(b[i][0], i & 0xff);
        assert_int_equal(b[i][SIZE - 1], i & 0xff);
        free(b[i]);
    }
    /* most of the 24 MiB: all but the ranges at either end */
    assert_true(after - before >= 16 * 1024);
    void *big = malloc((size_t)48 << 20); /* over 32 MiB: a mapping */
    assert_non_null(big);
    memset(big, 1, (size_t)48 << 20);
    free(big);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_blocks_in_huge_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
