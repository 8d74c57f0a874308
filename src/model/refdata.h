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

typedef int (*pccs_refdata_fn)(void *ctx, const struct pccs_refdata *r);

/** Every file read so far, in the order first read. */
int pccs_refdata_each(pccs_refdata_fn fn, void *ctx);

#endif
