/* SPDX-License-Identifier: MIT */
/* Growable NUL-terminated byte buffer. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

char pccs_buf_empty[1];

void
pccs_buf_grow(struct pccs_buf *b, size_t extra)
{
    if (b->cap && b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    if (!b->cap) {
        b->p = pccs_xmalloc(cap);
        b->p[0] = '\0';
    }
    else {
        b->p = pccs_xrealloc(b->p, cap);
    }
    b->cap = cap;
}

void
pccs_buf_add(struct pccs_buf *b, const void *p, size_t len)
{
    pccs_buf_grow(b, len);
    if (len)
        memcpy(b->p + b->len, p, len);
    b->len += len;
    b->p[b->len] = '\0';
}

void
pccs_buf_addstr(struct pccs_buf *b, const char *s)
{
    pccs_buf_add(b, s, strlen(s));
}

void
pccs_buf_addch(struct pccs_buf *b, char c)
{
    pccs_buf_add(b, &c, 1);
}

void
pccs_buf_addf(struct pccs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        pccs_buf_add(b, tmp, (size_t)n);
        return;
    }
    pccs_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
pccs_buf_reset(struct pccs_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->p[0] = '\0';
}

void
pccs_buf_release(struct pccs_buf *b)
{
    if (b->cap)
        free(b->p);
    b->p = pccs_buf_empty;
    b->len = b->cap = 0;
}

char *
pccs_buf_detach(struct pccs_buf *b, size_t *len)
{
    char *s = b->cap ? b->p : pccs_xstrdup("");
    if (len)
        *len = b->len;
    b->p = pccs_buf_empty;
    b->len = b->cap = 0;
    return s;
}
