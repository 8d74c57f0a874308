/* SPDX-License-Identifier: MIT */
/*
 * Reference data: the CSV files under data/ (rates, rules, maps, weights)
 * that tables read beside the store. Each file is read once per process,
 * parsed into records and kept with its SHA-256, so a server answering
 * many questions reads it once and the files a process used can be
 * listed. A file is assumed not to change while pccs runs.
 */
#ifndef PCCS_REFDATA_H
#define PCCS_REFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/str.h"

struct pccs_refdata_record {
    const struct pccs_str *fields;
    size_t nfields;
    int64_t line; /* where the record starts, 1-based */
};

struct pccs_refdata {
    const char *path;                          /* as given */
    char sha256[65];                           /* of the file's bytes */
    const struct pccs_refdata_record *records; /* the header first */
    size_t nrecords;
};

/**
 * The file at path, read and parsed (CSV, flags as pccs_csv_open's) the
 * first time it is asked for; afterwards the same records. *out is owned
 * by the module and lives as long as the process. PCCS_EIO for a file
 * that cannot be read, PCCS_EPARSE (FILE:LINE:COL) for bad CSV; errors
 * are not kept, so a later call tries again. Thread-safe.
 */
int pccs_refdata_get(const char *path, unsigned flags,
                     const struct pccs_refdata **out, struct pccs_err *err);

/*
 * A reference file pccs reads, by its place under data/ (base/path.h):
 * what it is, the environment variable that names another one, and how
 * it is parsed. Every reader names its file here (pccs_refdata_files[]),
 * so that pccs sources --reference can list them all.
 */
struct pccs_refdata_file {
    const char *rel;  /* "rules/risk.csv" */
    const char *env;  /* names another file, or NULL */
    unsigned flags;   /* pccs_csv_open's */
    const char *what; /* for the listing */
};

extern const struct pccs_refdata_file pccs_refdata_files[];

/**
 * Where reference file rel (one of pccs_refdata_files[]) is read from,
 * into path (n bytes): the file its environment variable names when set;
 * for rules/NAME, $PCCS_RULES/NAME when that is there; else the bundled
 * data/rel.
 * False when there is no such file.
 */
bool pccs_refdata_path(const char *rel, char *path, size_t n);

/** Reference file rel, found by pccs_refdata_path() and read once. */
int pccs_refdata_load(const char *rel, const struct pccs_refdata **out,
                      struct pccs_err *err);

/**
 * pccs_refdata_load(), then check that the file's header starts with the
 * columns names[0..n) (ignoring case and surrounding spaces): PCCS_EPARSE
 * FILE:LINE:COL 'expected the column "NAME"' at the first that differs.
 * A file with no record passes.
 */
int pccs_refdata_load_cols(const char *rel, const char *const *names, size_t n,
                           const struct pccs_refdata **out,
                           struct pccs_err *err);

/* A reference file in use, as pccs sources --reference lists it. */
struct pccs_refdata_use {
    const char *rel;  /* its name under data/ ("rules/risk.csv") */
    const char *what; /* what it is */
    const struct pccs_refdata *f;
    size_t rows;      /* records after the header */
    char source[600]; /* what its source column says (distinct values) */
};

typedef int (*pccs_refdata_use_fn)(void *ctx, const struct pccs_refdata_use *u);

/**
 * Every reference file pccs would read now (pccs_refdata_files[] that are
 * there, then the rates files of model/rates.h), read and described, to
 * fn(ctx, u) in that order. Stops at an error (unreadable, bad CSV) or at
 * fn's first non-zero answer, and returns it.
 */
int pccs_refdata_list(pccs_refdata_use_fn fn, void *ctx, struct pccs_err *err);

typedef int (*pccs_refdata_fn)(void *ctx, const struct pccs_refdata *r);

/** Every file read so far, in the order first read. */
int pccs_refdata_each(pccs_refdata_fn fn, void *ctx);

#endif
