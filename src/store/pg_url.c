/* SPDX-License-Identifier: MIT */
/* PostgreSQL store names: which they are, and how to show them. */
#include "store/pg_url.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"

bool
pccs__pg_url_is(const char *spec)
{
    return spec && (strncmp(spec, "postgres://", 11) == 0 ||
                    strncmp(spec, "postgresql://", 13) == 0);
}

/* The query parameters of q (after '?') but password=..., into b. */
static void
add_query(struct pccs_buf *b, const char *q)
{
    bool first = true;
    while (*q) {
        size_t len = strcspn(q, "&");
        if (!(len >= 9 && strncmp(q, "password=", 9) == 0)) {
            pccs_buf_addch(b, first ? '?' : '&');
            pccs_buf_add(b, q, len);
            first = false;
        }
        q += len;
        if (*q == '&')
            q++;
    }
}

char *
pccs__pg_url_safe(const char *url, char *buf, size_t n)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    const char *rest = strstr(url, "://");
    rest = rest ? rest + 3 : url;
    pccs_buf_add(&b, url, (size_t)(rest - url));
    /* The authority ends at the first '/', '?' or '#'. */
    size_t auth = strcspn(rest, "/?#");
    const char *at = memchr(rest, '@', auth);
    if (at) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        pccs_buf_add(&b, rest, (size_t)((colon ? colon : at) - rest));
        pccs_buf_add(&b, at, auth - (size_t)(at - rest));
    }
    else {
        pccs_buf_add(&b, rest, auth);
    }
    rest += auth;
    size_t path = strcspn(rest, "?");
    pccs_buf_add(&b, rest, path);
    if (rest[path] == '?')
        add_query(&b, rest + path + 1);
    snprintf(buf, n, "%s", b.p);
    pccs_buf_release(&b);
    return buf;
}
