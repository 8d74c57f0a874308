/* SPDX-License-Identifier: MIT */
/* Open-addressing hash map with FNV-1a hashing and linear probing. */
#include "base/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static uint64_t
fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static struct pccs_hmap_entry *
find_slot(struct pccs_hmap_entry *slots, size_t cap, const char *key,
          size_t klen, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        struct pccs_hmap_entry *e = &slots[i];
        if (!e->key)
            return e;
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0)
            return e;
        i = (i + 1) & (cap - 1);
    }
}

struct pccs_hmap_entry *
pccs_hmap_get(const struct pccs_hmap *m, const char *key, size_t klen)
{
    if (!m->cap)
        return NULL;
    struct pccs_hmap_entry *e =
        find_slot(m->slots, m->cap, key, klen, fnv1a(key, klen));
    return e->key ? e : NULL;
}

static void
rehash(struct pccs_hmap *m, size_t cap)
{
    struct pccs_hmap_entry *slots = pccs_xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < m->cap; i++) {
        struct pccs_hmap_entry *e = &m->slots[i];
        if (e->key)
            *find_slot(slots, cap, e->key, e->klen, e->hash) = *e;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

static void
grow(struct pccs_hmap *m)
{
    rehash(m, m->cap ? m->cap * 2 : 64);
}

void
pccs_hmap_reserve(struct pccs_hmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 64;
    while ((n + 1) * 4 > cap * 3)
        cap *= 2;
    if (cap > m->cap)
        rehash(m, cap);
}

struct pccs_hmap_entry *
pccs_hmap_put(struct pccs_hmap *m, const char *key, size_t klen, bool *created)
{
    if ((m->len + 1) * 4 > m->cap * 3)
        grow(m);
    uint64_t h = fnv1a(key, klen);
    struct pccs_hmap_entry *e = find_slot(m->slots, m->cap, key, klen, h);
    if (created)
        *created = !e->key;
    if (!e->key) {
        e->key = pccs_arena_strndup(&m->keys, key, klen);
        e->klen = klen;
        e->hash = h;
        e->ival = 0;
        e->ptr = NULL;
        m->len++;
    }
    return e;
}

void
pccs_hmap_each(const struct pccs_hmap *m,
               void (*fn)(void *ctx, struct pccs_hmap_entry *e), void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            fn(ctx, &m->slots[i]);
    }
}

void
pccs_hmap_release(struct pccs_hmap *m)
{
    free(m->slots);
    pccs_arena_release(&m->keys);
    m->slots = NULL;
    m->cap = m->len = 0;
}
