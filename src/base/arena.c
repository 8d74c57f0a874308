/* SPDX-License-Identifier: MIT */
/* Bump allocator with a linked list of blocks. */
#include "base/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct pccs_arena_block {
    struct pccs_arena_block *next;
    alignas(max_align_t) unsigned char data[];
};

#define ARENA_BLOCK 65536

void *
pccs_arena_alloc(struct pccs_arena *a, size_t n)
{
    size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
#ifdef PCCS_ARENA_DEBUG
    struct pccs_arena_block *b = pccs_xmalloc(sizeof(*b) + n);
    b->next = a->head;
    a->head = b;
    return b->data;
#else
    if (!a->head || a->used + n > a->size) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        struct pccs_arena_block *b = pccs_xmalloc(sizeof(*b) + size);
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
#endif
}

void *
pccs_arena_calloc(struct pccs_arena *a, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        abort();
    void *p = pccs_arena_alloc(a, nmemb * size);
    memset(p, 0, nmemb * size);
    return p;
}

char *
pccs_arena_strndup(struct pccs_arena *a, const char *p, size_t len)
{
    char *s = pccs_arena_alloc(a, len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

char *
pccs_arena_strdup(struct pccs_arena *a, const char *s)
{
    return pccs_arena_strndup(a, s, strlen(s));
}

void
pccs_arena_release(struct pccs_arena *a)
{
    struct pccs_arena_block *b = a->head;
    while (b) {
        struct pccs_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->size = 0;
}
