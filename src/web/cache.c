/* SPDX-License-Identifier: MIT */
/*
 * Answers already given: the store and the tree do not change while the
 * server runs (restart it after loading files), so the same question from
 * a user of the same role and scope always gets the same answer. Only
 * successful answers are kept (refusals are decided, and audited, every
 * time); the key holds the role, the scope, the path and the query.
 * Entries are never freed while serving (at most CACHE_MAX_BYTES, then
 * nothing more is added), so a response can point into one without
 * copying.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "web/web.h"

#define CACHE_BUCKETS 4096
#define CACHE_MAX_BYTES ((size_t)64 << 20)

struct pccs_web_cache_entry {
    struct pccs_web_cache_entry *next;
    char *key;
    char *body;
    size_t len;
    const char *type;
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
pccs_web_cache_init(struct pccs_web_cache *c)
{
    memset(c, 0, sizeof(*c));
    pthread_rwlock_init(&c->lock, NULL);
    c->bucket = pccs_xcalloc(CACHE_BUCKETS, sizeof(*c->bucket));
}

static enum MHD_Result
add_arg(void *ctx, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct pccs_buf *b = ctx;
    pccs_buf_addf(b, "&%s=%s", k, v ? v : "");
    return MHD_YES;
}

/* The cache key of a request: role, scope, path and query. */
char *
pccs_web_cache_key(struct pccs_web_server *sv,
                   const struct pccs_web_request *rq)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_buf_addf(&b, "%u|%s|%s|%s?",
                  __atomic_load_n(&sv->generation, __ATOMIC_ACQUIRE),
                  pccs_role_name(rq->sess.role), rq->sess.scope, rq->url);
    MHD_get_connection_values(rq->c, MHD_GET_ARGUMENT_KIND, add_arg, &b);
    return pccs_buf_detach(&b, NULL);
}

bool
pccs_web_cache_get(struct pccs_web_cache *c, const char *key,
                   struct pccs_web_reply *r)
{
    uint64_t h = fnv1a(key) % CACHE_BUCKETS;
    bool hit = false;
    pthread_rwlock_rdlock(&c->lock);
    for (struct pccs_web_cache_entry *e = c->bucket[h]; e && !hit; e = e->next)
        if (!strcmp(e->key, key)) {
            r->type = e->type;
            r->body = e->body;
            r->len = e->len;
            r->cached = hit = true;
        }
    pthread_rwlock_unlock(&c->lock);
    __atomic_add_fetch(hit ? &c->hits : &c->misses, 1, __ATOMIC_RELAXED);
    return hit;
}

void
pccs_web_cache_put(struct pccs_web_cache *c, const char *key,
                   const struct pccs_web_reply *r)
{
    uint64_t h = fnv1a(key) % CACHE_BUCKETS;
    pthread_rwlock_wrlock(&c->lock);
    bool there = false;
    for (struct pccs_web_cache_entry *e = c->bucket[h]; e && !there;
         e = e->next)
        there = !strcmp(e->key, key);
    if (!there && c->bytes + r->len + strlen(key) <= CACHE_MAX_BYTES) {
        struct pccs_web_cache_entry *e = pccs_xmalloc(sizeof(*e));
        e->key = pccs_xstrdup(key);
        e->body = pccs_xmalloc(r->len + 1);
        memcpy(e->body, r->body, r->len);
        e->len = r->len;
        e->type = r->type;
        e->next = c->bucket[h];
        c->bucket[h] = e;
        c->bytes += r->len + strlen(key);
    }
    pthread_rwlock_unlock(&c->lock);
}

void
pccs_web_cache_free(struct pccs_web_cache *c)
{
    for (size_t i = 0; c->bucket && i < CACHE_BUCKETS; i++)
        for (struct pccs_web_cache_entry *e = c->bucket[i], *next; e;
             e = next) {
            next = e->next;
            free(e->key);
            free(e->body);
            free(e);
        }
    free(c->bucket);
    c->bucket = NULL;
    pthread_rwlock_destroy(&c->lock);
}
