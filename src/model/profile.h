/* SPDX-License-Identifier: MIT */
/*
 * One organisation's profile as at a day: its details, its names over
 * time, its parents up to England and its children (each with the file
 * that places it), and its populations for every loaded period through
 * the populations table (pccs_table_run: disclosure control and explain
 * apply as to any table). `pccs show CODE` and GET /api/orgs/CODE only
 * format it.
 */
#ifndef PCCS_PROFILE_H
#define PCCS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/date.h"
#include "base/err.h"
#include "model/result.h"
#include "model/tree.h"
#include "store/store.h"

/* An organisation named in a profile (strings borrowed from the tree). */
struct pccs_profile_org {
    int org; /* its index in the tree */
    const char *code;
    const char *name;  /* as at the profile's day; "" when none */
    const char *level; /* its level's name */
    char source[160];  /* parents: the file placing the child in it */
};

/* A name the organisation had, from the first file that gave it. */
struct pccs_profile_name {
    char from[16];    /* YYYY-MM-DD, "" when undated */
    const char *name; /* borrowed from the tree */
    char source[160]; /* "kind period" of the file */
};

/* Its populations in one loaded period: the populations table's row. */
struct pccs_profile_pop {
    char period[32];
    struct pccs_table table; /* one row; cells formatted as tables are */
    int practices, registered, weighted, source; /* its columns */
};

struct pccs_profile_query {
    const char *code; /* any case: pccs_query_org() */
    pccs_day at;      /* PCCS_DAY_NONE: the tree's default day */
    bool suppress;    /* disclosure control on the tables */
    bool explain;     /* each figure's formula in the tables' notes */
    bool latest;      /* also the populations table of the latest period */
};

struct pccs_profile {
    struct pccs_profile_org self;
    const struct pccs_tree_org *o; /* details: postcode, dates, status */
    pccs_day at;
    struct pccs_profile_name *names;
    size_t nnames;
    struct pccs_profile_org *parents; /* nearest first */
    size_t nparents;
    struct pccs_profile_org *children; /* those with practices, by code */
    size_t nchildren;
    struct pccs_profile_pop *pops; /* every loaded period, oldest first */
    size_t npops;
    struct pccs_table latest; /* with q->latest: populations, latest period */
    bool has_latest;
};

/**
 * The profile of q->code in t. PCCS_ENOTFOUND (with suggestions) for an
 * unknown organisation, store errors as they come. Release with
 * pccs_profile_release() (also after an error).
 */
int pccs_profile_get(struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_profile_query *q,
                     struct pccs_profile *out, struct pccs_err *err);

void pccs_profile_release(struct pccs_profile *p);

/**
 * Benchmarks of a practice or PCN (issue 16): for each figure of the
 * comparison (registered and weighted patients, payments per registered
 * and weighted patient in the latest payments year, QOF prevalence of
 * hypertension and diabetes), its value, the same figure for its ICB,
 * region and England, and its rank from the highest and decile among
 * every organisation at its level in England, each from the table
 * `pccs table` prints (pccs_table_run) with its period and source.
 * Columns: figure, label, unit, value, icb, region, england, rank,
 * peers, decile, period, decimals (those its own table shows the figure
 * with: 0 for a count). A figure without data is a row of
 * nulls saying why. PCCS_EINVAL for another level. out is initialised.
 */
int pccs_profile_compare(struct pccs_store *st, const struct pccs_tree *t,
                         const struct pccs_profile *p, bool suppress,
                         struct pccs_table *out, struct pccs_err *err);

#endif
