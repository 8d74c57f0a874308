/* SPDX-License-Identifier: MIT */
/*
 * Bump allocator for batch- and request-scoped data: allocations are never
 * freed one by one, only all together by pccs_arena_release(). Building
 * with -DPCCS_ARENA_DEBUG makes every allocation its own malloc so ASan
 * and valgrind see each one.
 */
#ifndef PCCS_ARENA_H
#define PCCS_ARENA_H

#include <stddef.h>

struct pccs_arena_block;

struct pccs_arena {
    struct pccs_arena_block *head;
    size_t used, size;
};

#define PCCS_ARENA_INIT                                                        \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/** Allocate n bytes aligned for any type; valid until release. */
void *pccs_arena_alloc(struct pccs_arena *a, size_t n);
/** Zeroed allocation. */
void *pccs_arena_calloc(struct pccs_arena *a, size_t nmemb, size_t size);
/** Copy (p, len) as a NUL-terminated string in the arena. */
char *pccs_arena_strndup(struct pccs_arena *a, const char *p, size_t len);
/** Copy a NUL-terminated string into the arena. */
char *pccs_arena_strdup(struct pccs_arena *a, const char *s);
/** Free every allocation; a is back to PCCS_ARENA_INIT. */
void pccs_arena_release(struct pccs_arena *a);

#endif
