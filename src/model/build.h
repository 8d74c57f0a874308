/* SPDX-License-Identifier: MIT */
/*
 * What every table builder does the same way, in one place: resolving
 * --in to an organisation, asking whether an organisation is inside it,
 * declaring the columns from a list, starting a row with the code, name
 * and parent code, and the licence note. The builders gather their facts,
 * compute through calc/, and emit rows with these.
 */
#ifndef PCCS_MODEL_BUILD_H
#define PCCS_MODEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "model/result.h"
#include "model/tree.h"
#include "store/store.h"

/** One column of a table: name, type and decimals. */
struct pccs_build_col {
    const char *name;
    enum pccs_coltype type;
    int decimals;
};

/* Column list entries: text, whole numbers, numbers with d decimals. */
#define PCCS_BUILD_TEXT(n)                                                     \
    {                                                                          \
        .name = (n), .type = PCCS_COL_TEXT, .decimals = 0                      \
    }
#define PCCS_BUILD_INT(n)                                                      \
    {                                                                          \
        .name = (n), .type = PCCS_COL_INT, .decimals = 0                       \
    }
#define PCCS_BUILD_NUM(n, d)                                                   \
    {                                                                          \
        .name = (n), .type = PCCS_COL_NUM, .decimals = (d)                     \
    }

/** The three columns pccs_build_org_row() fills, to open a column list. */
#define PCCS_BUILD_ORG_COLS                                                    \
    PCCS_BUILD_TEXT("code"), PCCS_BUILD_TEXT("name"),                          \
        PCCS_BUILD_TEXT("parent_code")

/** Declare the n columns of cols in out, in order. */
void pccs_build_cols(struct pccs_table *out, const struct pccs_build_col *cols,
                     size_t n);

/** pccs_build_cols() over a whole array. */
#define PCCS_BUILD_COLS(out, cols)                                             \
    pccs_build_cols((out), (cols), sizeof(cols) / sizeof((cols)[0]))

/**
 * The organisation --in names: *in_org is its index, or -1 when in is
 * NULL. PCCS_ENOTFOUND ("unknown organisation CODE") when in is unknown.
 */
int pccs_build_in(const struct pccs_tree *t, const char *in, int *in_org,
                  struct pccs_err *err);

/**
 * Whether org is inside in_org (its ancestor at in_org's level as at at,
 * by source src, 0 for any); always true when in_org is -1.
 */
bool pccs_build_within(const struct pccs_tree *t, int org, int in_org,
                       pccs_day at, int64_t src);

/**
 * The organisation at level that the organisation called code rolls up
 * to as at at (by source src, 0 for any), or -1 when the code is unknown,
 * it has none at that level, or it is outside in_org (-1: anywhere).
 */
int pccs_build_group(const struct pccs_tree *t, const char *code, int in_org,
                     enum pccs_level level, pccs_day at, int64_t src);

/**
 * The last code pccs_build_group_memo grouped and its answer: facts come
 * an organisation at a time, so most look-ups repeat the one before.
 * Zero-initialise one per pass over facts; codes of 32 bytes or more are
 * not kept.
 */
struct pccs_build_memo {
    char code[32];
    int in_org;
    enum pccs_level level;
    pccs_day at;
    int64_t src;
    int group;
    bool set;
};

/** pccs_build_group, answered from m when it asks what m last asked. */
int pccs_build_group_memo(struct pccs_build_memo *m, const struct pccs_tree *t,
                          const char *code, int in_org, enum pccs_level level,
                          pccs_day at, int64_t src);

/**
 * Start a row with org's code, its name as at at and the code of parent
 * ("" when parent is -1).
 */
void pccs_build_org_row(struct pccs_table *out, const struct pccs_tree *t,
                        int org, int parent, pccs_day at);
/**
 * pccs_build_org_row() with the name already looked up (pccs_tree_name):
 * for a table with several rows an org, which looks it up once.
 */
void pccs_build_org_row_named(struct pccs_table *out, const struct pccs_tree *t,
                              int org, const char *name, int parent);

/**
 * The note "what: publication, period (path)" for the loaded file
 * source, when the store knows it; err is left clear.
 */
void pccs_build_source_note(struct pccs_table *out, struct pccs_store *st,
                            int64_t source, const char *what,
                            const char *period, struct pccs_err *err);

/** The Open Government Licence note every table of published data has. */
void pccs_build_ogl_note(struct pccs_table *out);

#endif
