/* SPDX-License-Identifier: MIT */
/*
 * Answers already given: the store and the tree do not change while the
 * server runs (restart it after loading files; a register edit bumps the
 * server's generation, part of every key), so the same question from a
 * user of the same role and scope always gets the same answer. Only
 * successful answers are kept (refusals are decided, and audited, every
 * time).
 *
 * The key is the generation, the role, the scope, the path and the
 * canonical parameters: sorted by name, the first of a repeated name,
 * empty values and defaults (format=json, a flag that is not set)
 * dropped, so one question has one key. Parameters a route does not take
 * are refused before (400), so they never make entries.
 *
 * At most max_bytes are kept, evicted least recently used first, in two
 * segments (a segmented LRU): a new answer enters on probation; asked
 * again, it moves to the protected segment (at most 80% of the bytes).
 * Eviction takes the probation segment's oldest first, so a flood of
 * one-off questions cycles through probation and does not push out the
 * answers people ask again and again. A body is reference-counted: an
 * answer being sent keeps its body after eviction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "web/web.h"

#define CACHE_BUCKETS 65536
#define PROTECTED_SHARE 0.8

struct pccs_web_cache_body {
    unsigned refs; /* the entry and every answer being sent */
    size_t len;
    char data[];
};

struct pccs_web_cache_entry {
    struct pccs_web_cache_entry *hnext;       /* the bucket's chain */
    struct pccs_web_cache_entry *prev, *next; /* its segment, newest first */
    uint64_t hash;
    bool protected;
    char *key;
    struct pccs_web_cache_body *body;
    const char *type;
    size_t bytes; /* what it counts against max_bytes */
};

static uint64_t
fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void
pccs_web_cache_init(struct pccs_web_cache *c, size_t max_bytes)
{
    memset(c, 0, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->bucket = pccs_xcalloc(CACHE_BUCKETS, sizeof(*c->bucket));
    c->max_bytes = max_bytes;
}

struct arg {
    const char *k, *v;
};

struct args {
    struct arg a[PCCS_WEB_MAX_ARGS];
    size_t n;
};

static bool
is_default(const char *k, const char *v)
{
    if (!strcmp(k, "format"))
        return !strcmp(v, "json");
    if (!strcmp(k, "explain") || !strcmp(k, "suppress") ||
        !strcmp(k, "include_synthetic"))
        return strcmp(v, "1") != 0 && strcmp(v, "true") != 0;
    return false;
}

static enum MHD_Result
add_arg(void *ctx, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct args *a = ctx;
    if (!v || !*v || is_default(k, v) || a->n == PCCS_WEB_MAX_ARGS)
        return MHD_YES;
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->a[i].k, k))
            return MHD_YES; /* the first counts, as arg() reads it */
    a->a[a->n++] = (struct arg){.k = k, .v = v};
    return MHD_YES;
}

static int
by_name(const void *x, const void *y)
{
    return strcmp(((const struct arg *)x)->k, ((const struct arg *)y)->k);
}

char *
pccs_web_cache_key(struct pccs_web_server *sv,
                   const struct pccs_web_request *rq)
{
    struct args a = {.n = 0};
    MHD_get_connection_values(rq->c, MHD_GET_ARGUMENT_KIND, add_arg, &a);
    qsort(a.a, a.n, sizeof(a.a[0]), by_name);
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addf(&b, "%u|%s|%s|%s?",
                  __atomic_load_n(&sv->generation, __ATOMIC_ACQUIRE),
                  pccs_role_name(rq->sess.role), rq->sess.scope, rq->url);
    for (size_t i = 0; i < a.n; i++)
        pccs_buf_addf(&b, "&%s=%s", a.a[i].k, a.a[i].v);
    return pccs_buf_detach(&b, NULL);
}

static void
body_release(struct pccs_web_cache_body *b)
{
    if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(b);
}

void
pccs_web_cache_done(void *body)
{
    body_release(body);
}

static struct pccs_web_cache_entry **
segment(struct pccs_web_cache *c, bool protected)
{
    return protected ? &c->protected_head : &c->probation_head;
}

static struct pccs_web_cache_entry **
segment_tail(struct pccs_web_cache *c, bool protected)
{
    return protected ? &c->protected_tail : &c->probation_tail;
}

static void
unlink_lru(struct pccs_web_cache *c, struct pccs_web_cache_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        *segment(c, e->protected) = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        *segment_tail(c, e->protected) = e->prev;
    e->prev = e->next = NULL;
    if (e->protected)
        c->protected_bytes -= e->bytes;
}

static void
push_lru(struct pccs_web_cache *c, struct pccs_web_cache_entry *e,
         bool protected)
{
    e->protected = protected;
    e->prev = NULL;
    e->next = *segment(c, protected);
    *(e->next ? &e->next->prev : segment_tail(c, protected)) = e;
    *segment(c, protected) = e;
    if (protected)
        c->protected_bytes += e->bytes;
}

static void
evict(struct pccs_web_cache *c, struct pccs_web_cache_entry *e)
{
    unlink_lru(c, e);
    struct pccs_web_cache_entry **p = &c->bucket[e->hash % CACHE_BUCKETS];
    while (*p != e)
        p = &(*p)->hnext;
    *p = e->hnext;
    c->bytes -= e->bytes;
    c->evictions++;
    free(e->key);
    body_release(e->body);
    free(e);
}

static struct pccs_web_cache_entry *
lookup(struct pccs_web_cache *c, const char *key, uint64_t h)
{
    for (struct pccs_web_cache_entry *e = c->bucket[h % CACHE_BUCKETS]; e;
         e = e->hnext)
        if (e->hash == h && !strcmp(e->key, key))
            return e;
    return NULL;
}

/* Asked again: to the front of the protected segment, which, when over
 * its share, hands its oldest back to probation. */
static void
promote(struct pccs_web_cache *c, struct pccs_web_cache_entry *e)
{
    unlink_lru(c, e);
    push_lru(c, e, true);
    while (c->protected_bytes > (size_t)(PROTECTED_SHARE * c->max_bytes) &&
           c->protected_tail != e) {
        struct pccs_web_cache_entry *old = c->protected_tail;
        unlink_lru(c, old);
        push_lru(c, old, false);
    }
}

bool
pccs_web_cache_get(struct pccs_web_cache *c, const char *key,
                   struct pccs_web_reply *r)
{
    uint64_t h = fnv1a(key);
    pthread_mutex_lock(&c->lock);
    struct pccs_web_cache_entry *e = lookup(c, key, h);
    if (e) {
        promote(c, e);
        __atomic_add_fetch(&e->body->refs, 1, __ATOMIC_ACQ_REL);
        r->type = e->type;
        r->body = e->body->data;
        r->len = e->body->len;
        r->cached = e->body;
    }
    pthread_mutex_unlock(&c->lock);
    __atomic_add_fetch(e ? &c->hits : &c->misses, 1, __ATOMIC_RELAXED);
    return e != NULL;
}

void
pccs_web_cache_put(struct pccs_web_cache *c, const char *key,
                   const struct pccs_web_reply *r)
{
    uint64_t h = fnv1a(key);
    size_t bytes = r->len + strlen(key) + sizeof(struct pccs_web_cache_entry);
    if (bytes > c->max_bytes / 4)
        return; /* one answer never takes a quarter of the cache */
    struct pccs_web_cache_body *b = pccs_xmalloc(sizeof(*b) + r->len + 1);
    b->refs = 1;
    b->len = r->len;
    memcpy(b->data, r->body, r->len);
    b->data[r->len] = '\0';
    pthread_mutex_lock(&c->lock);
    if (lookup(c, key, h)) {
        pthread_mutex_unlock(&c->lock);
        free(b);
        return;
    }
    struct pccs_web_cache_entry *e = pccs_xcalloc(1, sizeof(*e));
    *e = (struct pccs_web_cache_entry){.hnext = c->bucket[h % CACHE_BUCKETS],
                                       .hash = h,
                                       .key = pccs_xstrdup(key),
                                       .body = b,
                                       .type = r->type,
                                       .bytes = bytes};
    c->bucket[h % CACHE_BUCKETS] = e;
    push_lru(c, e, false);
    c->bytes += bytes;
    /*
     * evict() unlinks the tail, so the tail moves to its predecessor; the
     * analyzer cannot see that a tail has no next and reports the new tail
     * as the freed one.
     */
    while (c->bytes > c->max_bytes && (c->probation_tail || c->protected_tail))
        evict(c, c->probation_tail ? c->probation_tail /* NOLINT */
                                   : c->protected_tail);
    pthread_mutex_unlock(&c->lock);
}

void
pccs_web_cache_free(struct pccs_web_cache *c)
{
    /* Every entry is in exactly one bucket's chain: free them from there. */
    for (size_t i = 0; c->bucket && i < CACHE_BUCKETS; i++) {
        struct pccs_web_cache_entry *e = c->bucket[i];
        while (e) {
            struct pccs_web_cache_entry *next = e->hnext;
            free(e->key);
            body_release(e->body);
            free(e);
            e = next;
        }
    }
    c->probation_head = c->probation_tail = NULL;
    c->protected_head = c->protected_tail = NULL;
    c->bytes = c->protected_bytes = 0;
    free(c->bucket);
    c->bucket = NULL;
    pthread_mutex_destroy(&c->lock);
}
