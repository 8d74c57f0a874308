/* SPDX-License-Identifier: MIT */
/*
 * The organisation tree as one blob (model/tree.h): written to the
 * store's cache when files are loaded, read back in one query by every
 * command, so a start does not rebuild the tree from every source.
 *
 * The blob is this binary's own layout (native integers, the structs'
 * sizes in the header); a blob of another layout is not read, and the
 * tree is built from the tables instead. Strings are NUL-terminated in
 * the blob and the tree points into it; link and name arrays too, aligned
 * to 8 bytes.
 */
#include "model/tree.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

#define BLOB_MAGIC "pccstree"
#define BLOB_VERSION 1u
#define NO_STRING UINT32_MAX

struct blob_head {
    char magic[8];
    uint32_t version, link_size, name_size, org_size;
    uint64_t norgs, nsource_levels, ncensus, nasof;
    int32_t england, latest;
};

static void
pad8(struct pccs_buf *b)
{
    static const char zero[8];
    if (b->len % 8)
        pccs_buf_add(b, zero, 8 - b->len % 8);
}

static void
put_u32(struct pccs_buf *b, uint32_t v)
{
    pccs_buf_add(b, &v, sizeof(v));
}

static void
put_str(struct pccs_buf *b, const char *s)
{
    if (!s) {
        put_u32(b, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    pccs_buf_add(b, s, n + 1);
}

/* An org's fixed fields, as written. */
struct blob_org {
    int32_t level, open_date, close_date, as_of;
    int64_t source_id;
    uint32_t nlinks, nnames;
};

static void
put_org(struct pccs_buf *b, const struct pccs_tree_org *o)
{
    pad8(b);
    struct blob_org h = {o->level,           o->open_date, o->close_date,
                         o->as_of,           o->source_id, (uint32_t)o->nlinks,
                         (uint32_t)o->nnames};
    pccs_buf_add(b, &h, sizeof(h));
    for (size_t i = 0; i < o->nlinks; i++) {
        struct pccs_tree_link l; /* field by field: no padding bytes */
        memset(&l, 0, sizeof(l));
        l.parent = o->links[i].parent;
        l.level = o->links[i].level;
        l.start = o->links[i].start;
        l.end = o->links[i].end;
        l.observed = o->links[i].observed;
        l.source_id = o->links[i].source_id;
        pccs_buf_add(b, &l, sizeof(l));
    }
    for (size_t i = 0; i < o->nnames; i++) {
        pad8(b);
        struct pccs_tree_name n;
        memset(&n, 0, sizeof(n));
        n.from = o->names[i].from;
        n.source_id = o->names[i].source_id;
        pccs_buf_add(b, &n, sizeof(n));
        put_str(b, o->names[i].name);
    }
    const char *s[] = {o->code,     o->name,   o->postcode,
                       o->ons_code, o->status, o->level_name};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        put_str(b, s[i]);
}

void
pccs_tree_to_blob(const struct pccs_tree *t, struct pccs_buf *b)
{
    struct blob_head h = {.version = BLOB_VERSION,
                          .link_size = sizeof(struct pccs_tree_link),
                          .name_size = sizeof(struct pccs_tree_name),
                          .org_size = sizeof(struct blob_org),
                          .norgs = t->norgs,
                          .nsource_levels = t->nsource_levels,
                          .ncensus = t->ncensus,
                          .nasof = t->nasof,
                          .england = t->england,
                          .latest = t->latest};
    memcpy(h.magic, BLOB_MAGIC, sizeof(h.magic));
    pccs_buf_add(b, &h, sizeof(h));
    pad8(b);
    pccs_buf_add(b, t->source_levels,
                 t->nsource_levels * sizeof(*t->source_levels));
    pccs_buf_add(b, t->census, t->ncensus * sizeof(*t->census));
    pccs_buf_add(b, t->asof, t->nasof * sizeof(*t->asof));
    for (size_t i = 0; i < t->norgs; i++)
        put_org(b, &t->orgs[i]);
}

/* A reader over the blob; ok turns false at the first short read. */
struct cursor {
    const char *p;
    size_t len, at;
    bool ok;
};

static const void *
take(struct cursor *c, size_t n)
{
    if (!c->ok || n > c->len - c->at) {
        c->ok = false;
        return NULL;
    }
    const void *r = c->p + c->at;
    c->at += n;
    return r;
}

static void
skip8(struct cursor *c)
{
    if (c->at % 8)
        take(c, 8 - c->at % 8);
}

static char *
take_str(struct cursor *c)
{
    const void *n = take(c, sizeof(uint32_t));
    uint32_t len = NO_STRING;
    if (n)
        memcpy(&len, n, sizeof(len));
    if (len == NO_STRING)
        return NULL;
    char *s = (char *)take(c, (size_t)len + 1);
    if (s && s[len] != '\0')
        c->ok = false;
    return c->ok ? s : NULL;
}

/* A copy of n elements of size sz (NULL when n is 0), for the arrays the
 * tree owns and may grow. */
static void *
take_copy(struct cursor *c, size_t n, size_t sz)
{
    const void *p = take(c, n * sz);
    if (!p || !n)
        return NULL;
    void *r = pccs_xreallocarray(NULL, n, sz);
    memcpy(r, p, n * sz);
    return r;
}

static bool
take_org(struct cursor *c, struct pccs_tree_org *o)
{
    skip8(c);
    const struct blob_org *h = take(c, sizeof(*h));
    if (!h)
        return false;
    memset(o, 0, sizeof(*o));
    o->level = (enum pccs_level)h->level;
    o->open_date = h->open_date;
    o->close_date = h->close_date;
    o->as_of = h->as_of;
    o->source_id = h->source_id;
    o->nlinks = h->nlinks;
    /* Borrowed from the blob (links_cap 0): pccs_tree_add_link copies. */
    const void *links = take(c, h->nlinks * sizeof(*o->links));
    o->links = h->nlinks ? (struct pccs_tree_link *)links : NULL;
    o->nnames = h->nnames;
    if (h->nnames)
        o->names = pccs_xreallocarray(NULL, h->nnames, sizeof(*o->names));
    o->names_cap = o->nnames;
    for (size_t i = 0; c->ok && i < o->nnames; i++) {
        skip8(c);
        const struct pccs_tree_name *n = take(c, sizeof(*n));
        if (n) {
            o->names[i] = *n;
            o->names[i].name = take_str(c);
        }
    }
    char **s[] = {&o->code,     &o->name,   &o->postcode,
                  &o->ons_code, &o->status, &o->level_name};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        *s[i] = take_str(c);
    return c->ok && o->code && o->level_name;
}

static bool
head_ok(const struct blob_head *h)
{
    return h && !memcmp(h->magic, BLOB_MAGIC, sizeof(h->magic)) &&
           h->version == BLOB_VERSION &&
           h->link_size == sizeof(struct pccs_tree_link) &&
           h->name_size == sizeof(struct pccs_tree_name) &&
           h->org_size == sizeof(struct blob_org) && h->norgs < INT32_MAX;
}

bool
pccs_tree_from_blob(struct pccs_tree *t, char *blob, size_t len)
{
    struct cursor c = {blob, len, 0, true};
    const struct blob_head *h = take(&c, sizeof(*h));
    if (!head_ok(h))
        return false;
    *t = (struct pccs_tree)PCCS_TREE_INIT;
    t->blob = blob;
    t->blob_len = len;
    skip8(&c);
    t->nsource_levels = h->nsource_levels;
    t->source_levels =
        take_copy(&c, h->nsource_levels, sizeof(*t->source_levels));
    t->ncensus = h->ncensus;
    t->census = take_copy(&c, h->ncensus, sizeof(*t->census));
    t->nasof = h->nasof;
    t->asof = take_copy(&c, h->nasof, sizeof(*t->asof));
    t->england = h->england;
    t->latest = h->latest;
    t->cap = h->norgs ? h->norgs : 1;
    t->orgs = pccs_xreallocarray(NULL, t->cap, sizeof(*t->orgs));
    for (size_t i = 0; c.ok && i < h->norgs; i++) {
        if (!take_org(&c, &t->orgs[i])) {
            free(t->orgs[i].names);
            break;
        }
        t->norgs++;
        struct pccs_hmap_entry *e = pccs_hmap_put(
            &t->index, t->orgs[i].code, strlen(t->orgs[i].code), NULL);
        e->ival = (int64_t)i;
    }
    if (!c.ok || t->norgs != h->norgs || c.at != len || t->england < 0 ||
        (size_t)t->england >= t->norgs) {
        pccs_tree_release(t); /* frees the blob too */
        return false;
    }
    return true;
}
