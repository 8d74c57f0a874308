/* SPDX-License-Identifier: MIT */
/*
 * A shared library opened with dlopen on first use, its functions
 * resolved by name all at once: src/store/pq_load.c and
 * src/web/mhd_load.c define libpq's and libmicrohttpd's functions through
 * it (src/formats/zip_load.c, expat_load.c and src/report/xlsxwriter_load.c
 * those of the xlsx reader's and writer's libraries), so a command that
 * needs none of them never maps them.
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
 * What the string functions defined with PCCS_DYNLIB_STR_FN return when
 * their library cannot be loaded, so an error message built from one
 * still reads (the reason is already on stderr).
 */
extern char pccs_dynlib_missing[];

/* Define name as PCCS_DYNLIB_DEFINE does, returning fallback on failure. */
#define PCCS_DYNLIB_DEFINE_OR(l, ret, name, params, args, fallback)            \
    ret name params                                                            \
    {                                                                          \
        ret(*f) params;                                                        \
        if (!pccs_dynlib_fn(&l, SYM_##name, &f, sizeof(f)))                    \
            return fallback;                                                   \
        return f args;                                                         \
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
#define PCCS_DYNLIB_STR_FN(ret, name, params, args)                            \
    PCCS_DYNLIB_DEFINE_OR(lib, ret, name, params, args, pccs_dynlib_missing)

#endif
