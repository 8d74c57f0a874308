/* SPDX-License-Identifier: MIT */
/*
 * Allocation that never returns NULL: on failure it prints a message and
 * aborts, so call sites do not check. Test builds can make the n-th
 * allocation fail with pccs_alloc_fail_after() to drive error paths.
 */
#ifndef PCCS_XALLOC_H
#define PCCS_XALLOC_H

#include <stddef.h>

/** The number of elements of array a. */
#define PCCS_LEN(a) (sizeof(a) / sizeof((a)[0]))

/** malloc(n) or abort. Owned by the caller; free with free(3). */
void *pccs_xmalloc(size_t n);
/** calloc(nmemb, size) or abort, with overflow checking. */
void *pccs_xcalloc(size_t nmemb, size_t size);
/** realloc(p, n) or abort. */
void *pccs_xrealloc(void *p, size_t n);
/** reallocarray-style growth with overflow checking. */
void *pccs_xreallocarray(void *p, size_t nmemb, size_t size);
/**
 * Room for at least need elements of size bytes in the array p of
 * capacity *cap: when short, the capacity doubles (from 16, or to need if
 * more) and *cap says so. Returns p or its new place, never NULL; the
 * elements past the old capacity are not initialised.
 */
void *pccs_xgrow(void *p, size_t *cap, size_t need, size_t size);
/** Copy of a NUL-terminated string; owned by the caller. */
char *pccs_xstrdup(const char *s);
/** Copy of the first len bytes of p, NUL-terminated; owned. */
char *pccs_xstrndup(const char *p, size_t len);
/** free(3) each of the n pointers of p (any may be NULL). */
void pccs_free_n(void *const *p, size_t n);
/** free(3) each of the pointers given: PCCS_FREE(r->a, r->b, r->c). */
#define PCCS_FREE(...)                                                         \
    pccs_free_n((void *const[]){__VA_ARGS__},                                  \
                PCCS_LEN(((void *const[]){__VA_ARGS__})))

#endif
