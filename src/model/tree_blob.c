/* SPDX-License-Identifier: MIT */
/*
 * The organisation tree as one blob (model/tree.h): written to the
 * store's cache when files are loaded, read back in one query by every
 * command, so a start does not rebuild the tree from every source.
 *
 * The blob is this binary's own layout (native integers, the structs'
 * sizes in the header); a blob of another layout is not read, and the
 * tree is built from the tables instead. It holds the tree's own arrays
 * as they are in memory: the orgs, every org's links one after the other,
 * every org's names, and a pool of the strings, each distinct string
 * once (a name is given again by every file). Where the tree has a
 * pointer the blob has an index (into the links or names) or an offset
 * into the pool (0 for NULL); reading turns them back into pointers in
 * place, so a start reads the tree with one copy and no allocation per
 * organisation.
 */
#include "model/tree.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

#define BLOB_MAGIC "pccstree"
#define BLOB_VERSION 3u

struct blob_head {
    char magic[8];
    uint32_t version, link_size, name_size, org_size;
    uint64_t norgs, nlinks, nnames, pool_len;
    uint64_t nsource_levels, ncensus, nasof, nslots;
    int32_t england, latest;
};

static void
pad8(struct pccs_buf *b)
{
    static const char zero[8];
    if (b->len % 8)
        pccs_buf_add(b, zero, 8 - b->len % 8);
}

/* The strings of a blob being written, each once, by first use. */
struct pool {
    struct pccs_buf text;  /* text.p[0] is the empty string at offset 0 */
    struct pccs_hmap seen; /* string -> offset */
};

static uintptr_t
pool_str(struct pool *p, const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    bool created;
    struct pccs_hmap_entry *e = pccs_hmap_put(&p->seen, s, n, &created);
    if (created) {
        e->ival = (int64_t)p->text.len;
        pccs_buf_add(&p->text, s, n + 1);
    }
    return (uintptr_t)e->ival;
}

/* Org o as written: pointers turned into indexes and pool offsets. */
static struct pccs_tree_org
blob_org(struct pool *p, const struct pccs_tree_org *o, size_t first_link,
         size_t first_name)
{
    struct pccs_tree_org w;
    memset(&w, 0, sizeof(w)); /* no padding bytes left unset */
    w.code = (char *)pool_str(p, o->code);
    w.name = (char *)pool_str(p, o->name);
    w.postcode = (char *)pool_str(p, o->postcode);
    w.ons_code = (char *)pool_str(p, o->ons_code);
    w.status = (char *)pool_str(p, o->status);
    w.level_name = (char *)pool_str(p, o->level_name);
    w.level = o->level;
    w.open_date = o->open_date;
    w.close_date = o->close_date;
    w.as_of = o->as_of;
    w.source_id = o->source_id;
    w.links = (struct pccs_tree_link *)first_link;
    w.nlinks = o->nlinks;
    w.names = (struct pccs_tree_name *)first_name;
    w.nnames = o->nnames;
    return w;
}

static void
put_links(struct pccs_buf *b, const struct pccs_tree *t)
{
    for (size_t i = 0; i < t->norgs; i++) {
        const struct pccs_tree_org *o = &t->orgs[i];
        for (size_t k = 0; k < o->nlinks; k++) {
            struct pccs_tree_link l; /* field by field: no padding bytes */
            memset(&l, 0, sizeof(l));
            l.parent = o->links[k].parent;
            l.start = o->links[k].start;
            l.end = o->links[k].end;
            l.source_id = o->links[k].source_id;
            l.level = o->links[k].level;
            l.observed = o->links[k].observed;
            pccs_buf_add(b, &l, sizeof(l));
        }
    }
    pad8(b);
}

static void
put_names(struct pccs_buf *b, struct pool *p, const struct pccs_tree *t)
{
    for (size_t i = 0; i < t->norgs; i++) {
        const struct pccs_tree_org *o = &t->orgs[i];
        for (size_t k = 0; k < o->nnames; k++) {
            struct pccs_tree_name n;
            memset(&n, 0, sizeof(n));
            n.name = (char *)pool_str(p, o->names[k].name);
            n.from = o->names[k].from;
            n.source_id = o->names[k].source_id;
            pccs_buf_add(b, &n, sizeof(n));
        }
    }
    pad8(b);
}

void
pccs_tree_to_blob(const struct pccs_tree *t, struct pccs_buf *b)
{
    struct pool p = {PCCS_BUF_INIT, PCCS_HMAP_INIT};
    pccs_buf_addch(&p.text, '\0');
    struct blob_head h = {.version = BLOB_VERSION,
                          .link_size = sizeof(struct pccs_tree_link),
                          .name_size = sizeof(struct pccs_tree_name),
                          .org_size = sizeof(struct pccs_tree_org),
                          .norgs = t->norgs,
                          .nsource_levels = t->nsource_levels,
                          .ncensus = t->ncensus,
                          .nasof = t->nasof,
                          .nslots = t->nslots,
                          .england = t->england,
                          .latest = t->latest};
    memcpy(h.magic, BLOB_MAGIC, sizeof(h.magic));
    size_t head_at = b->len;
    pccs_buf_add(b, &h, sizeof(h));
    pad8(b);
    pccs_buf_add(b, t->source_levels,
                 t->nsource_levels * sizeof(*t->source_levels));
    pccs_buf_add(b, t->census, t->ncensus * sizeof(*t->census));
    pccs_buf_add(b, t->asof, t->nasof * sizeof(*t->asof));
    pad8(b);
    for (size_t i = 0; i < t->norgs; i++) {
        struct pccs_tree_org w =
            blob_org(&p, &t->orgs[i], (size_t)h.nlinks, (size_t)h.nnames);
        h.nlinks += t->orgs[i].nlinks;
        h.nnames += t->orgs[i].nnames;
        pccs_buf_add(b, &w, sizeof(w));
    }
    pccs_buf_add(b, t->slots, t->nslots * sizeof(*t->slots));
    pad8(b);
    put_links(b, t);
    put_names(b, &p, t);
    h.pool_len = p.text.len;
    pccs_buf_add(b, p.text.p, p.text.len);
    memcpy(b->p + head_at, &h, sizeof(h));
    pccs_buf_release(&p.text);
    pccs_hmap_release(&p.seen);
}

/* A reader over the blob; ok turns false at the first short read. */
struct cursor {
    char *p;
    size_t len, at;
    bool ok;
};

static void *
take(struct cursor *c, size_t n, size_t count)
{
    if (!c->ok || (n && count > SIZE_MAX / n) || n * count > c->len - c->at) {
        c->ok = false;
        return NULL;
    }
    void *r = c->p + c->at;
    c->at += n * count;
    return r;
}

static void
skip8(struct cursor *c)
{
    if (c->at % 8)
        take(c, 1, 8 - c->at % 8);
}

/* A copy of n elements of size sz (NULL when n is 0), for the arrays the
 * tree owns and may grow. */
static void *
take_copy(struct cursor *c, size_t n, size_t sz)
{
    const void *p = take(c, sz, n);
    if (!p || !n)
        return NULL;
    void *r = pccs_xreallocarray(NULL, n, sz);
    memcpy(r, p, n * sz);
    return r;
}

/* The arrays and the pool of the blob, with their lengths. */
struct parts {
    struct pccs_tree_link *links;
    struct pccs_tree_name *names;
    char *pool;
    size_t nlinks, nnames, pool_len, norgs;
};

/* A pool offset as a string; false if out of the pool. */
static bool
fix_str(const struct parts *pt, char **s, bool need)
{
    uintptr_t off = (uintptr_t)*s;
    if (off >= pt->pool_len || (need && !off))
        return false;
    *s = off ? pt->pool + off : NULL;
    return true;
}

/* Turn org o's indexes and offsets into pointers; false if out of range. */
static bool
fix_org(const struct parts *pt, struct pccs_tree_org *o)
{
    uintptr_t l = (uintptr_t)o->links, n = (uintptr_t)o->names;
    if (l > pt->nlinks || o->nlinks > pt->nlinks - l || n > pt->nnames ||
        o->nnames > pt->nnames - n || o->links_cap || o->names_cap)
        return false;
    o->links = o->nlinks ? pt->links + l : NULL;
    o->names = o->nnames ? pt->names + n : NULL;
    return fix_str(pt, &o->code, true) && fix_str(pt, &o->name, false) &&
           fix_str(pt, &o->postcode, false) &&
           fix_str(pt, &o->ons_code, false) && fix_str(pt, &o->status, false) &&
           fix_str(pt, &o->level_name, true);
}

static bool
head_ok(const struct blob_head *h)
{
    return h && !memcmp(h->magic, BLOB_MAGIC, sizeof(h->magic)) &&
           h->version == BLOB_VERSION &&
           h->link_size == sizeof(struct pccs_tree_link) &&
           h->name_size == sizeof(struct pccs_tree_name) &&
           h->org_size == sizeof(struct pccs_tree_org) &&
           h->norgs < INT32_MAX && h->norgs > 0 && h->pool_len > 0 &&
           h->nslots >= 2 * h->norgs && !(h->nslots & (h->nslots - 1));
}

/* Point the orgs, names and links into the blob; false if any is bad. */
static bool
fix_all(struct pccs_tree *t, const struct parts *pt)
{
    if (pt->pool[pt->pool_len - 1] != '\0')
        return false;
    for (size_t i = 0; i < pt->nnames; i++) {
        if (!fix_str(pt, &pt->names[i].name, true))
            return false;
    }
    for (size_t i = 0; i < pt->nlinks; i++) {
        if (pt->links[i].parent < -1 || pt->links[i].parent >= (int)pt->norgs)
            return false;
    }
    /* Every index in range, and empty slots to end every probe. */
    size_t empty = 0;
    for (size_t i = 0; i < t->nslots; i++) {
        if (t->slots[i] < -1 || t->slots[i] >= (int32_t)pt->norgs)
            return false;
        empty += t->slots[i] < 0;
    }
    if (empty < t->nslots - pt->norgs)
        return false;
    for (size_t i = 0; i < pt->norgs; i++) {
        if (!fix_org(pt, &t->orgs[i]))
            return false;
        t->norgs = i + 1;
    }
    return true;
}

bool
pccs_tree_from_blob(struct pccs_tree *t, char *blob, size_t len)
{
    struct cursor c = {blob, len, 0, true};
    const struct blob_head *h = take(&c, sizeof(*h), 1);
    if (!head_ok(h)) {
        free(blob);
        return false;
    }
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
    skip8(&c);
    /* Borrowed from the blob (cap 0): pccs_tree_add_org copies. */
    t->orgs = take(&c, sizeof(*t->orgs), h->norgs);
    /* Borrowed too (slots_owned false): an insert copies the index. */
    t->nslots = h->nslots;
    t->slots = take(&c, sizeof(*t->slots), h->nslots);
    skip8(&c);
    struct parts pt = {.nlinks = h->nlinks,
                       .nnames = h->nnames,
                       .pool_len = h->pool_len,
                       .norgs = h->norgs};
    pt.links = take(&c, sizeof(*pt.links), h->nlinks);
    skip8(&c);
    pt.names = take(&c, sizeof(*pt.names), h->nnames);
    skip8(&c);
    pt.pool = take(&c, 1, h->pool_len);
    if (!c.ok || c.at != len || !fix_all(t, &pt) || t->england < 0 ||
        (size_t)t->england >= t->norgs) {
        /* Nothing of the blob is freed one by one: free the rest. */
        t->norgs = 0;
        pccs_tree_release(t); /* frees the blob too */
        return false;
    }
    return true;
}
