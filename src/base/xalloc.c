/* SPDX-License-Identifier: MIT */
/* Allocation wrappers that abort instead of returning NULL. */
#include "base/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
die_oom(size_t n)
{
    fprintf(stderr, "pccs: out of memory allocating %zu bytes\n", n);
    abort();
}

void *
pccs_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die_oom(n);
    return p;
}

void *
pccs_xcalloc(size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        die_oom(SIZE_MAX);
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        die_oom(nmemb * size);
    return p;
}

void *
pccs_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom(n);
    return q;
}

void *
pccs_xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        die_oom(SIZE_MAX);
    return pccs_xrealloc(p, nmemb * size);
}

void *
pccs_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    p = pccs_xreallocarray(p, n, size);
    *cap = n;
    return p;
}

char *
pccs_xstrndup(const char *p, size_t len)
{
    char *s = pccs_xmalloc(len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

char *
pccs_xstrdup(const char *s)
{
    return pccs_xstrndup(s, strlen(s));
}

void
pccs_free_n(void *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
}
