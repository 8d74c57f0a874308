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
#include "report/table.h"
#include "store/store.h"

struct pccs_table_query {
    enum pccs_level level; /* PCCS_LEVEL_NONE: the table's default */
    const char *in;        /* organisation code or NULL */
    pccs_day at;           /* PCCS_DAY_NONE: latest */
    const char *period;    /* NULL: latest */
    const char *group;     /* a QOF disease group, or NULL for all */
    const char *compare;   /* a second financial year (payments) */
    bool explain;          /* add each figure's formula to the notes */
};

struct pccs_table_def {
    const char *name;
    const char *summary;
    enum pccs_level default_level;
    int (*build)(struct pccs_store *st, const struct pccs_tree *t,
                 const struct pccs_table_query *q, struct pccs_table *out,
                 struct pccs_err *err);
};

/** Every table, NULL-terminated. */
extern const struct pccs_table_def *const pccs_table_defs[];

/** The definition called name, or NULL. */
const struct pccs_table_def *pccs_table_def_find(const char *name);

#endif
