/* SPDX-License-Identifier: MIT */
/*
 * Rates as data: the CSV files of data/rates (financial_year, item, value,
 * unit, source, confidence), then the CSVs of a local directory whose rows
 * replace the bundled ones for the same year and item. An empty value is
 * a rate known to be unknown.
 */
#ifndef PCCS_RATES_H
#define PCCS_RATES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct pccs_rate {
    int year;   /* financial year start, e.g. 2020 for 2020-21 */
    char *item; /* e.g. "qof_pounds_per_point" */
    bool known; /* false when the value is empty */
    double value;
    char *unit, *source, *confidence;
    char *file; /* where the row came from */
};

struct pccs_rates {
    struct pccs_rate *r;
    size_t n, cap;
};

#define PCCS_RATES_INIT                                                        \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/**
 * Read every *.csv in dir (in name order), then in local_dir (NULL for
 * none). A missing dir is not an error (no rates). Bad rows are refused
 * with FILE:LINE:COL. Release with pccs_rates_release().
 */
int pccs_rates_load(struct pccs_rates *rs, const char *dir,
                    const char *local_dir, struct pccs_err *err);
/** Load from $PCCS_RATES (default "data/rates") and $PCCS_RATES_LOCAL. */
int pccs_rates_load_default(struct pccs_rates *rs, struct pccs_err *err);
/**
 * The path of every rates file pccs_rates_load_default() reads, in its
 * order, to fn(ctx, path); stops at fn's first non-zero answer and
 * returns it (or the error of a missing data/rates).
 */
int pccs_rates_each_file(int (*fn)(void *ctx, const char *path), void *ctx,
                         struct pccs_err *err);
/** The row for item in financial year fy, or NULL if there is none. */
const struct pccs_rate *pccs_rates_get(const struct pccs_rates *rs,
                                       const char *item, int fy);
void pccs_rates_release(struct pccs_rates *rs);

/**
 * The numeric parameters of a rules file (parameter,value,source,
 * confidence): file in $PCCS_RULES when it is there, else the bundled
 * data/rules/file. values[i] gets names[i]'s value and source[i] (sn
 * bytes each) its source; every name must be present, a value that is
 * not a number is refused with FILE:LINE:COL. path (pn bytes) gets the
 * file read, for the notes that cite it.
 */
int pccs_rules_params(const char *file, const char *const *names, size_t n,
                      double *values, char (*source)[512], char *path,
                      size_t pn, struct pccs_err *err);

#endif
