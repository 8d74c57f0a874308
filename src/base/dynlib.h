/* SPDX-License-Identifier: MIT */
/*
 * A shared library opened with dlopen on first use, its functions
 * resolved by name all at once: src/store/pq_load.c and
 * src/web/mhd_load.c define libpq's and libmicrohttpd's functions through
 * it, so a command that needs neither never maps them.
 */
#ifndef PCCS_DYNLIB_H
#define PCCS_DYNLIB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct pccs_dynlib {
    const char *path;         /* borrowed: the soname to dlopen */
    const char *const *names; /* borrowed: the n symbols, in order */
    void **fns;               /* borrowed: n slots for their addresses */
    size_t n;
    atomic_int state; /* 0 not tried, 1 loaded, -1 failed */
};

/**
 * Copy the address of l's symbol i into *fn (a function pointer of size
 * bytes), opening l on the first call (thread-safe). false, having said
 * why on stderr once, when the library or a symbol is missing.
 */
bool pccs_dynlib_fn(struct pccs_dynlib *l, size_t i, void *fn, size_t size);

/* Define name as a call through l's symbol SYM_name (X-macro helpers). */
#define PCCS_DYNLIB_DEFINE(l, ret, name, params, args)                         \
    ret name params                                                            \
    {                                                                          \
        ret(*f) params;                                                        \
        if (!pccs_dynlib_fn(&l, SYM_##name, &f, sizeof(f)))                    \
            return (ret)0;                                                     \
        return f args;                                                         \
    }
#define PCCS_DYNLIB_DEFINE_VOID(l, ret, name, params, args)                    \
    ret name params                                                            \
    {                                                                          \
        ret(*f) params;                                                        \
        if (pccs_dynlib_fn(&l, SYM_##name, &f, sizeof(f)))                     \
            f args;                                                            \
    }

/*
 * With a list X(ret, name, params, args) of a library's functions: each
 * one's index (SYM_name), its name, and its definition through the file's
 * struct pccs_dynlib, which these expect to be called lib.
 */
#define PCCS_DYNLIB_SYM(ret, name, params, args) SYM_##name,
#define PCCS_DYNLIB_NAME(ret, name, params, args) #name,
#define PCCS_DYNLIB_FN(ret, name, params, args)                                \
    PCCS_DYNLIB_DEFINE(lib, ret, name, params, args)
#define PCCS_DYNLIB_VOID_FN(ret, name, params, args)                           \
    PCCS_DYNLIB_DEFINE_VOID(lib, ret, name, params, args)

#endif
