/* SPDX-License-Identifier: MIT */
/*
 * One SPC run: a series (a metric pccs holds for an organisation, or a
 * CSV file of dates and values), calc/spc.c applied to it with its
 * options (direction of improvement, target, phases from rebase dates,
 * limits fixed after the first points), and the result as a table (date,
 * value, mean, lpl, upl, point_type) with its notes, and the points for a
 * chart. `pccs spc`, GET /api/spc/METRIC/CODE and the committee report
 * only format it.
 *
 * Use: pccs_spc_run_metric() or pccs_spc_run_file() (the series), set
 * fields of run.o if the caller's options differ from the metric's own,
 * then pccs_spc_run_compute(); release with pccs_spc_run_release().
 */
#ifndef PCCS_SPC_RUN_H
#define PCCS_SPC_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "calc/spc.h"
#include "model/metrics.h"
#include "model/result.h"
#include "model/tree.h"
#include "store/store.h"

struct pccs_spc_run {
    const struct pccs_metric_def *metric; /* NULL for a file's series */
    char *what;                    /* the organisation code or the file */
    struct pccs_series s;          /* dates, values, the table's notes */
    struct pccs_spc_options o;     /* the metric's direction by default */
    size_t *rebase;                /* owned: the phases o.rebase names */
    struct pccs_spc_point *points; /* s.n, after compute */
    enum pccs_spc_assurance assurance;
    bool short_group;        /* a phase with fewer than PCCS_SPC_MIN_POINTS */
    struct pccs_table table; /* the run as a table, with its notes */
};

/**
 * The series of metric (a name in pccs_metric_defs) for organisation org
 * (its code as the tree spells it) into run. PCCS_ENOTFOUND for an
 * unknown metric (the message lists them), organisation or no data.
 */
int pccs_spc_run_metric(struct pccs_spc_run *run, struct pccs_store *st,
                        const struct pccs_tree *t, const char *metric,
                        const char *org, struct pccs_err *err);

/**
 * The series of a CSV file at path with columns date_col (YYYY-MM-DD,
 * increasing) and value_col. PCCS_EIO or PCCS_EPARSE naming
 * file:line:column.
 */
int pccs_spc_run_file(struct pccs_spc_run *run, const char *path,
                      const char *date_col, const char *value_col,
                      struct pccs_err *err);

/**
 * Compute the run with run->o: rebase, when not NULL, lists the dates
 * where a new phase starts ("2022-04-01,2023-04-01"). PCCS_EINVAL for a
 * rebase that is not a date or not within the series, its option named
 * names "rebase" ("--" on the command line).
 */
int pccs_spc_run_compute(struct pccs_spc_run *run, const char *rebase,
                         const char *names, struct pccs_err *err);

/** Free what run holds; a zeroed run is left. */
void pccs_spc_run_release(struct pccs_spc_run *run);

#endif
