/* SPDX-License-Identifier: MIT */
/*
 * A table of results: named, typed columns; rows of cells; provenance
 * notes and the sources the figures rest on. Builders in model/ fill one;
 * the writers in report/table.h print it, so the CLI, the API and the
 * report show the same numbers the same way.
 */
#ifndef PCCS_RESULT_H
#define PCCS_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

enum pccs_coltype { PCCS_COL_TEXT, PCCS_COL_INT, PCCS_COL_NUM };

struct pccs_table_col {
    const char *name;
    enum pccs_coltype type;
    int decimals; /* for PCCS_COL_NUM in text output */
    bool sdc;     /* a count of individuals pccs derives: --suppress */
};

struct pccs_cell {
    bool null;
    double num;
    const char *text; /* arena copy for text cells; on a null cell of a
                         number column, a marker shown instead ("*") */
};

struct pccs_table {
    const char *title;
    struct pccs_table_col *cols;
    size_t ncols, cols_cap;
    struct pccs_cell *cells;      /* nrows * ncols */
    size_t nrows, cells_cap, cur; /* cur: cells filled in the last row */
    const char **notes;           /* provenance lines */
    size_t nnotes, notes_cap;
    struct pccs_arena arena;
    int64_t *sources; /* ids of the loaded files the figures rest on */
    size_t nsources, sources_cap;
    unsigned marks; /* PCCS_TABLE_SYNTHETIC | PCCS_TABLE_EXAMPLE */
};

/* A table resting on a generated file, or on example rows. */
#define PCCS_TABLE_SYNTHETIC 1u
#define PCCS_TABLE_EXAMPLE 2u

/** Record that the table rests on source id (each once). */
void pccs_table_source(struct pccs_table *t, int64_t id);
/** Start an empty table; title is copied. */
void pccs_table_init(struct pccs_table *t, const char *title);
void pccs_table_release(struct pccs_table *t);
/** Add a column (name copied). Only before the first row. */
void pccs_table_col(struct pccs_table *t, const char *name,
                    enum pccs_coltype type, int decimals);
/** Mark the last column added as a count of individuals (--suppress). */
void pccs_table_col_sdc(struct pccs_table *t);
/** Replace cell (row, col) by a number. */
void pccs_table_set_num(struct pccs_table *t, size_t row, size_t col, double v);
/** Replace cell (row, col) by a marker shown instead of a value ("*"). */
void pccs_table_set_mark(struct pccs_table *t, size_t row, size_t col,
                         const char *mark);
/**
 * Insert a text column called name at position col (0..ncols) of a
 * finished table, every cell null; fill it with pccs_table_set_text().
 */
void pccs_table_insert_col(struct pccs_table *t, size_t col, const char *name);
/** Keep the rows whose keep[row] is true, in order; drop the others. */
void pccs_table_keep_rows(struct pccs_table *t, const bool *keep);
/** Replace cell (row, col) by text (copied; NULL: null). */
void pccs_table_set_text(struct pccs_table *t, size_t row, size_t col,
                         const char *s);
/** Start a new row; then one call per column, left to right. */
void pccs_table_row(struct pccs_table *t);
void pccs_table_text(struct pccs_table *t, const char *s); /* NULL: null */
void pccs_table_int(struct pccs_table *t, int64_t v);
void pccs_table_num(struct pccs_table *t, double v);
void pccs_table_null(struct pccs_table *t);
/** Add a provenance note ("registered: Patients Registered ..."). */
void pccs_table_note(struct pccs_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Cell (row, col); for tests and for callers that read tables back. */
const struct pccs_cell *pccs_table_cell(const struct pccs_table *t, size_t row,
                                        size_t col);
/** Index of the column called name, or -1. */
int pccs_table_col_index(const struct pccs_table *t, const char *name);

#endif
