/* SPDX-License-Identifier: MIT */
/* Shared libraries opened on first use (base/dynlib.h). */
#include "base/dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

char pccs_dynlib_missing[] = "library not loaded";

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

static int
open_all(struct pccs_dynlib *l)
{
    void *h = dlopen(l->path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "pccs: cannot load %s: %s\n", l->path, dlerror());
        return -1;
    }
    for (size_t i = 0; i < l->n; i++) {
        l->fns[i] = dlsym(h, l->names[i]);
        if (!l->fns[i]) {
            fprintf(stderr, "pccs: %s: no %s\n", l->path, l->names[i]);
            return -1;
        }
    }
    return 1;
}

bool
pccs_dynlib_fn(struct pccs_dynlib *l, size_t i, void *fn, size_t size)
{
    int s = atomic_load_explicit(&l->state, memory_order_acquire);
    if (!s) {
        pthread_mutex_lock(&open_lock);
        s = atomic_load_explicit(&l->state, memory_order_relaxed);
        if (!s) {
            s = open_all(l);
            atomic_store_explicit(&l->state, s, memory_order_release);
        }
        pthread_mutex_unlock(&open_lock);
    }
    if (s < 0)
        return false;
    /* ISO C has no cast from an object pointer to a function pointer. */
    memcpy(fn, &l->fns[i], size);
    return true;
}
