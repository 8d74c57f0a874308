/* SPDX-License-Identifier: MIT */
/*
 * Growable byte buffer, always NUL-terminated (after PCCS_BUF_INIT p
 * points at a static empty string, so it can be printed at once).
 */
#ifndef PCCS_BUF_H
#define PCCS_BUF_H

#include <stddef.h>

struct pccs_buf {
    char *p;
    size_t len, cap;
};

extern char pccs_buf_empty[1];
#define PCCS_BUF_INIT                                                          \
    {                                                                          \
        pccs_buf_empty, 0, 0                                                   \
    }

/** Make room for at least extra more bytes. */
void pccs_buf_grow(struct pccs_buf *b, size_t extra);
/** Append (p, len). */
void pccs_buf_add(struct pccs_buf *b, const void *p, size_t len);
/** Append a NUL-terminated string. */
void pccs_buf_addstr(struct pccs_buf *b, const char *s);
/** Append one byte. */
void pccs_buf_addch(struct pccs_buf *b, char c);
/** Append printf-style. */
void pccs_buf_addf(struct pccs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Empty the buffer, keeping its storage. */
void pccs_buf_reset(struct pccs_buf *b);
/** Free the storage; b is back to PCCS_BUF_INIT. */
void pccs_buf_release(struct pccs_buf *b);
/** Hand the string to the caller (free with free(3)); b is reset. */
char *pccs_buf_detach(struct pccs_buf *b, size_t *len);

#endif
