/* SPDX-License-Identifier: MIT */
/*
 * A table of results: named, typed columns; rows of cells; provenance
 * notes and the sources the figures rest on. Builders in model/ fill one;
 * the writers in report/table.h print it, so the CLI, the API and the
 * report show the same numbers the same way.
 */
#ifndef PCCS_RESULT_H
#define PCCS_RESULT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

enum pccs_coltype { PCCS_COL_TEXT, PCCS_COL_INT, PCCS_COL_NUM };

struct pccs_table_col {
    const char *name;
    enum pccs_coltype type;
    int decimals;   /* for PCCS_COL_NUM in text output */
    bool sdc;       /* a count of individuals pccs derives: --suppress */
    bool sdc_total; /* sdc, and the sum of its row's sdc columns since the
                       previous total column (or the first column) */
};

/* A row that is the total of rows first .. last-1 (disclosure control). */
struct pccs_table_sdc_span {
    size_t row, first, last;
};

/*
 * Who owns a table's counts, for disclosure control (model/table_run.c):
 * the reader who owns a row sees its counts as they are, everyone else
 * through control. By default (all zero) each row belongs to the
 * organisation named in column 0 when that is a practice (patient
 * records are the practice's), and to no one otherwise.
 */
struct pccs_table_sdc {
    bool by_owner;     /* every row belongs to owner (NULL: to no one) */
    const char *owner; /* arena copy */
    size_t org_col;    /* else the column naming each row's organisation */
    int own_level;     /* rows at this level (enum pccs_level) belong to
                          their organisation; PCCS_PRACTICE (0) */
    bool rollup;       /* rows summed into their parent organisation's */
    struct pccs_table_sdc_span *totals;
    size_t ntotals, totals_cap;
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
    struct pccs_table_sdc sdc;
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
/**
 * Add the columns spec names, left to right: words separated by spaces,
 * "name" a text column, "name:i" an integer, "name:2" a number shown
 * with 2 decimals ("what from to before:2 now:2"). Only before the
 * first row.
 */
void pccs_table_cols(struct pccs_table *t, const char *spec);
/*
 * ===== Disclosure control: what a builder declares =====
 *
 * pccs_table_run() controls the counts marked here for every reader but
 * the one who owns them (struct pccs_table_query's viewer; --suppress for
 * everyone): 1 to 7 shown as "*", others rounded to 5, and one more cell
 * hidden wherever a hidden one could be had by subtraction from a total
 * the table shows (calc/disclosure.h). A builder of counts of people:
 *
 *   pccs_table_col(t, "patients", PCCS_COL_INT, 0);
 *   pccs_table_col_sdc(t);               a count
 *   pccs_table_col(t, "total", PCCS_COL_INT, 0);
 *   pccs_table_col_sdc_total(t);         the sum of the counts before it
 *   ... rows ...
 *   pccs_table_sdc_orgs(t, 0, PCCS_PRACTICE);  column 0 names each row's
 *       organisation; a practice's row is its own; rows are summed into
 *       their parent organisation's (a row of the table, else a total
 *       another question shows, when two or more children are rows here)
 *   pccs_table_sdc_total_row(t, last, 0, last);  a "Total" row
 *
 * A table over a register instead says whose register it is:
 *   pccs_table_sdc_owner(t, "16C");
 * Declare rows only once they are final (no pccs_table_keep_rows after).
 */

/** Mark the last column added as a count of individuals (--suppress). */
void pccs_table_col_sdc(struct pccs_table *t);
/** Mark it as a count that is the total of its row's counts since the
 * previous total column (or the first column). */
void pccs_table_col_sdc_total(struct pccs_table *t);
/** Each row's organisation is in column col; a row at level own_level
 * (enum pccs_level) is that organisation's; rows roll up the tree. */
void pccs_table_sdc_orgs(struct pccs_table *t, size_t col, int own_level);
/** Every row belongs to owner (copied; NULL: to no one). */
void pccs_table_sdc_owner(struct pccs_table *t, const char *owner);
/** Row row is the total of rows first .. last-1. */
void pccs_table_sdc_total_row(struct pccs_table *t, size_t row, size_t first,
                              size_t last);
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
/**
 * A note formatted as pccs_table_note() formats one (at most 1023
 * bytes), for lists of notes kept outside a table. Owned: free(3).
 */
char *pccs_note_vdup(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
/** Add a provenance note ("registered: Patients Registered ..."). */
void pccs_table_note(struct pccs_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Cell (row, col); for tests and for callers that read tables back. */
const struct pccs_cell *pccs_table_cell(const struct pccs_table *t, size_t row,
                                        size_t col);
/** Index of the column called name, or -1. */
int pccs_table_col_index(const struct pccs_table *t, const char *name);

#endif
