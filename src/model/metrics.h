/* SPDX-License-Identifier: MIT */
/*
 * Metrics: named series pccs holds for an organisation, read from a table
 * (so a point is the figure `pccs table` prints), for SPC charts
 * (`pccs spc --metric NAME --org CODE`), the API and the report. A
 * monthly metric reads one run of its table, rows keyed by "month"; a
 * metric over loaded periods (.over) runs its table once per period the
 * store holds for that measure (every payments year, registrations
 * snapshot or workforce census), a point per run dated by the period
 * (a financial year by its first day, 1 April).
 */
#ifndef PCCS_METRICS_H
#define PCCS_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "calc/spc.h"
#include "model/tree.h"
#include "model/result.h"
#include "store/store.h"

struct pccs_metric_def {
    const char *name;
    const char *table;  /* the table the series comes from */
    const char *column; /* its value column; rows keyed by "month" */
    enum pccs_spc_direction improvement;
    const char *summary;
    /* A series over loaded periods: the measure whose periods are run
     * (NULL: one run keyed by "month"), and whether they are financial
     * years (else dates YYYY-MM-DD; periods of the other form skipped). */
    const char *over;
    bool over_fy;
    const char *group;   /* --group of each run, or NULL */
    const char *key_col; /* only the organisation's rows with */
    const char *key_val; /* key_col = key_val, summed (NULL: all) */
    /* One run whose rows are keyed by date_col (NULL: "month"); the
     * target is target_col's value on the last point's row (NULL: none). */
    const char *date_col;
    const char *target_col;
    /* Why the measure cannot be negative (its SPC lower limits are
     * floored at zero), or NULL: limits as computed. */
    const char *floor_zero;
};

/** Every metric, NULL-terminated. */
extern const struct pccs_metric_def *const pccs_metric_defs[];
const struct pccs_metric_def *pccs_metric_find(const char *name);

struct pccs_series {
    char **date; /* YYYY-MM-DD, oldest first */
    double *y;
    size_t n;
    char **notes; /* the table's provenance notes */
    size_t nnotes;
    bool has_target; /* the metric's target_col on the last point */
    double target;
};

/**
 * The series of metric m for organisation org (its own level). Errors:
 * PCCS_ENOTFOUND (unknown organisation, no data). Release with
 * pccs_series_release().
 */
int pccs_metric_series(struct pccs_store *st, const struct pccs_tree *t,
                       const struct pccs_metric_def *m, const char *org,
                       struct pccs_series *out, struct pccs_err *err);
void pccs_series_release(struct pccs_series *s);

#endif
