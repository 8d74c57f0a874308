/* SPDX-License-Identifier: MIT */
/*
 * Hash map from byte-string keys to an int64 value and a pointer, with
 * open addressing. Keys are copied into the map's own arena. Used for
 * duplicate detection and aggregation in loaders and for code lookups in
 * the model.
 */
#ifndef PCCS_HMAP_H
#define PCCS_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

struct pccs_hmap_entry {
    const char *key; /* NUL-terminated copy, owned by the map */
    size_t klen;
    uint64_t hash;
    int64_t ival;
    void *ptr;
};

struct pccs_hmap {
    struct pccs_hmap_entry *slots;
    size_t cap, len;
    struct pccs_arena keys;
};

#define PCCS_HMAP_INIT                                                         \
    {                                                                          \
        NULL, 0, 0, PCCS_ARENA_INIT                                            \
    }

/** Find key; NULL if absent. The entry is valid until the next insert. */
struct pccs_hmap_entry *pccs_hmap_get(const struct pccs_hmap *m,
                                      const char *key, size_t klen);
/**
 * Find or insert key. *created says which; a new entry has ival 0 and
 * ptr NULL. Valid until the next insert.
 */
struct pccs_hmap_entry *pccs_hmap_put(struct pccs_hmap *m, const char *key,
                                      size_t klen, bool *created);
/** Make room for n entries in all, so n inserts do not rehash. */
void pccs_hmap_reserve(struct pccs_hmap *m, size_t n);
/** Call fn for each entry in unspecified order. */
void pccs_hmap_each(const struct pccs_hmap *m,
                    void (*fn)(void *ctx, struct pccs_hmap_entry *e),
                    void *ctx);
/** Free everything; m is back to PCCS_HMAP_INIT. */
void pccs_hmap_release(struct pccs_hmap *m);

#endif
