/* SPDX-License-Identifier: MIT */
/*
 * The named tables of `pccs table NAME` (and of the API and the report,
 * which call the same function): one registry from name to builder.
 */
#ifndef PCCS_TABLES_H
#define PCCS_TABLES_H

#include <stdbool.h>

#include "base/date.h"
#include "base/err.h"
#include "model/tree.h"
#include "model/result.h"
#include "store/store.h"

struct pccs_table_query {
    enum pccs_level level; /* PCCS_LEVEL_NONE: the table's default */
    const char *in;        /* organisation code or NULL */
    pccs_day at;           /* PCCS_DAY_NONE: latest */
    const char *period;    /* NULL: latest */
    const char *group;     /* a QOF disease group, or NULL for all */
    const char *compare;   /* a second financial year (payments) */
    bool explain;          /* add each figure's formula to the notes */
    bool suppress;         /* disclosure control on derived counts, for
                              every row (the reader owns none) */
    /*
     * Who reads, for disclosure control: NULL the data's owner (the
     * command line's default: whoever holds the store loaded its data),
     * nothing controlled unless suppress; else an organisation code (pccs
     * serve: the signed-in user's scope; "" owns nothing: an admin), who
     * sees the rows it owns as they are and every other row's counts
     * controlled. Which rows are whose, the table says (model/result.h).
     */
    const char *viewer;
    const char *contract; /* a contract type (payments), or NULL */
    /*
     * Resilience: rate with indicators resting on synthetic (generated)
     * files too; by default they are left out, and the notes say which.
     */
    bool include_synthetic;
    /* list-growth: the two periods compared, each a snapshot date or a
     * financial year (NULL: the earliest and the latest snapshot). */
    const char *from, *to;
};

/* A table's builder: rows for q into out (initialised by the builder). */
typedef int pccs_table_build_fn(struct pccs_store *st,
                                const struct pccs_tree *t,
                                const struct pccs_table_query *q,
                                struct pccs_table *out, struct pccs_err *err);

struct pccs_table_def {
    const char *name;
    const char *summary;
    enum pccs_level default_level;
    pccs_table_build_fn *build;
    /*
     * "column = expression" for --explain, NULL-terminated; column names
     * in the expression are shown with the row's values. NULL when the
     * builder explains itself (entitlements).
     */
    const char *const *formulas;
    bool needs_year; /* --year (a financial year) is required */
    bool local;      /* rows from a local register (unpublished data) */
};

/*
 * The builders, one per table (model/<name>_table.c and
 * model/register_tables.c), declared here once so that every definition
 * and every use is checked against the same prototype. The populations
 * builder takes its own query (model/population.h).
 */
pccs_table_build_fn pccs_qof_prevalence_table;
pccs_table_build_fn pccs_entitlements_table;
pccs_table_build_fn pccs_workforce_table;
pccs_table_build_fn pccs_payments_table;
pccs_table_build_fn pccs_weighting_table;
pccs_table_build_fn pccs_arrs_table;
pccs_table_build_fn pccs_capacity_table;
pccs_table_build_fn pccs_resilience_table;
pccs_table_build_fn pccs_age_bands_table;
pccs_table_build_fn pccs_register_table;
pccs_table_build_fn pccs_programme_status_table;
pccs_table_build_fn pccs_milestones_table;
pccs_table_build_fn pccs_risks_table;
pccs_table_build_fn pccs_estates_table;
pccs_table_build_fn pccs_budget_table;
pccs_table_build_fn pccs_list_closures_table;
pccs_table_build_fn pccs_support_payments_table;
pccs_table_build_fn pccs_visits_table;
pccs_table_build_fn pccs_enhanced_access_table;
pccs_table_build_fn pccs_cohorts_table;
pccs_table_build_fn pccs_list_growth_table;

/** Every table, NULL-terminated. */
extern const struct pccs_table_def *const pccs_table_defs[];

/** The definition called name, or NULL. */
const struct pccs_table_def *pccs_table_def_find(const char *name);

/**
 * The latest financial year of NHS payments loaded, as "2022-23", into
 * fy (8 bytes); "" when none. The default year of the year tables.
 */
int pccs_latest_payments_year(struct pccs_store *st, char fy[8],
                              struct pccs_err *err);

/**
 * Build table def for q: the builder, then --explain (each formula with
 * the values of the --in organisation's rows, or of the first rows) and
 * --suppress (disclosure control, data/rules/disclosure.csv, on the
 * columns marked as counts of individuals). The CLI, the API and the
 * report all come through here.
 */
int pccs_table_run(const struct pccs_table_def *def, struct pccs_store *st,
                   const struct pccs_tree *t, const struct pccs_table_query *q,
                   struct pccs_table *out, struct pccs_err *err);

/**
 * The disclosure control step of pccs_table_run() (when q->suppress or
 * q->viewer) on a finished table t: its sdc columns controlled for the
 * reader (model/result.h says how a table declares them), a note saying
 * what was done. Rules from data/rules/disclosure.csv.
 */
int pccs_table_disclose(struct pccs_table *t, const struct pccs_tree *tree,
                        const struct pccs_table_query *q, struct pccs_err *err);

#endif
