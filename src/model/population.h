/* SPDX-License-Identifier: MIT */
/*
 * The populations table: registered and weighted patients per
 * organisation at one level, rolled up from practices.
 *
 * Registered comes from a registrations snapshot (`at`, default the
 * latest) or from a payments year (`period` "2022-23", the year's
 * figure); weighted (global sum, Carr-Hill) from the payments file of the
 * same financial year, or the latest earlier one. Practices are placed in
 * the tree as at the snapshot date (or the end of the financial year),
 * preferring the memberships recorded by the file the figures come from.
 */
#ifndef PCCS_POPULATION_H
#define PCCS_POPULATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "model/tree.h"
#include "model/result.h"
#include "store/store.h"

struct pccs_pop_query {
    enum pccs_level level;
    const char *in;     /* an organisation code, or NULL for all */
    pccs_day at;        /* PCCS_DAY_NONE: the latest snapshot */
    const char *period; /* NULL, a snapshot date or a financial year */
    /* True: the populations of the Network Contract DES for financial year
     * des_fy (model/period.h: the list and weighted population at 1
     * January before it); at and period are then ignored, and a note says
     * which loaded period stands in for a missing one. */
    bool des;
    int des_fy;
};

/* One row of the populations table: an organisation at the level. */
struct pccs_pop_row {
    int org;                 /* index in the tree */
    const char *code;        /* the tree's (borrowed) */
    const char *name;        /* the tree's name as at pccs_pop.at */
    const char *parent_code; /* "" when it has none */
    int64_t practices;       /* practices rolled up into the row */
    double registered;
    double weighted; /* NaN: no weighted figure for any practice */
};

/*
 * The populations as typed rows, sorted by code, for builders that need
 * them (entitlements, workforce ...): the table is emitted from these.
 */
struct pccs_pop {
    struct pccs_pop_row *rows;
    size_t nrows;
    pccs_day at;        /* organisations as at */
    bool registered_fy; /* registered is a year's figure (payments file) */
    char source[200];   /* the source column: "kind period[; kind period]" */
    char **notes;       /* the table's provenance notes, in order */
    size_t nnotes;
};

/**
 * The populations for q as rows into out (release with
 * pccs_pop_release, also after an error). Errors as
 * pccs_population_table.
 */
int pccs_population_rows(struct pccs_store *st, const struct pccs_tree *t,
                         const struct pccs_pop_query *q, struct pccs_pop *out,
                         struct pccs_err *err);
void pccs_pop_release(struct pccs_pop *p);

/**
 * Build the table into out (initialised here; release with
 * pccs_table_release). Columns: code, name, parent_code, practices,
 * registered, weighted, source. Errors: PCCS_ENOTFOUND (unknown code, no
 * figures for the period), PCCS_EINVAL (a level above --in's level).
 */
int pccs_population_table(struct pccs_store *st, const struct pccs_tree *t,
                          const struct pccs_pop_query *q,
                          struct pccs_table *out, struct pccs_err *err);

/* The age bands of one organisation, from the age-bands table. */
#define PCCS_AGE_NBANDS 20 /* 0-4 ... 90-94, 95+ */
struct pccs_age_pyramid {
    const char *band[PCCS_AGE_NBANDS]; /* borrowed from the table */
    double male[PCCS_AGE_NBANDS], female[PCCS_AGE_NBANDS];
    size_t n;
    const char *snapshot; /* the registrations snapshot, or "" */
};

/**
 * The rows of organisation code in t, a table built by
 * pccs_age_bands_table (read by column name), into out.
 */
void pccs_age_pyramid_of(const struct pccs_table *t, const char *code,
                         struct pccs_age_pyramid *out);

#endif
