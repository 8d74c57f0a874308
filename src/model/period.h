/* SPDX-License-Identifier: MIT */
/*
 * Which loaded period a question uses: the one place that decides
 * "latest", "as at DATE", "12 months earlier", the census of a financial
 * year and the populations a Network Contract DES rule uses for a year.
 * The arithmetic is in calc/period.h; this module reads the loaded
 * periods of a measure from the store and says, in pick->note, when the
 * period used is not the one asked for. Show that note wherever the
 * figure is shown (table note, --explain line, report paragraph): a
 * figure of another date is never used silently.
 *
 * Usage:
 *     struct pccs_period_pick p;
 *     rc = pccs_period_des_population(st, PCCS_PERIOD_REGISTERED, 2022, &p,
 *                                     err);
 *     // p.period "2021-01-01", p.wanted "2022-01-01", p.exact false,
 *     // p.note "list at 2021-01-01 used in place of 2022-01-01"
 *
 * Every function returns PCCS_OK (pick->found tells whether a period
 * qualified) or a store error.
 */
#ifndef PCCS_MODEL_PERIOD_H
#define PCCS_MODEL_PERIOD_H

#include <stdbool.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

struct pccs_period_pick {
    bool found;      /* a loaded period qualified */
    bool exact;      /* and it is the one asked for */
    char period[32]; /* the loaded period used: "2021-01-01" or "2020-21" */
    char wanted[32]; /* the period the rule asks for */
    char note[200];  /* "" when exact, else what stands in for what */
};

/* The populations of the Network Contract DES for a financial year. */
enum pccs_period_pop {
    /* The registered list at 1 January before the year: that snapshot,
     * else the latest earlier snapshot or payments year (a payments
     * file's "last known" list taken as at the 1 January in its year). */
    PCCS_PERIOD_REGISTERED,
    /* The contractor weighted population at 1 January before the year:
     * the payments year containing that day, else the latest earlier. */
    PCCS_PERIOD_WEIGHTED,
};

/** The latest dated snapshot of measure (periods YYYY-MM-DD). */
int pccs_period_latest(struct pccs_store *st, const char *measure,
                       struct pccs_period_pick *out, struct pccs_err *err);
/** The snapshot of measure as at day: the latest on or before it. */
int pccs_period_as_at(struct pccs_store *st, const char *measure, pccs_day day,
                      struct pccs_period_pick *out, struct pccs_err *err);
/** The snapshot 12 months before day (nearest 365 days, 330 to 400). */
int pccs_period_year_earlier(struct pccs_store *st, const char *measure,
                             pccs_day day, struct pccs_period_pick *out,
                             struct pccs_err *err);
/** The latest financial year loaded for measure, or -1 in *fy. */
int pccs_period_latest_fy(struct pccs_store *st, const char *measure, int *fy,
                          struct pccs_err *err);
/** The financial-year period of measure for day: the year containing it,
 * else the latest earlier year (noted). */
int pccs_period_fy_for(struct pccs_store *st, const char *measure, pccs_day day,
                       struct pccs_period_pick *out, struct pccs_err *err);
/** The census of measure for financial year fy: within the year, nearest
 * 1 October; else the latest before it (noted). */
int pccs_period_census(struct pccs_store *st, const char *measure, int fy,
                       struct pccs_period_pick *out, struct pccs_err *err);
/** The period of a DES population for financial year fy (see above). */
int pccs_period_des_population(struct pccs_store *st, enum pccs_period_pop pop,
                               int fy, struct pccs_period_pick *out,
                               struct pccs_err *err);

#endif
