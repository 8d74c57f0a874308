/* SPDX-License-Identifier: MIT */
/*
 * A table of results (named, typed columns; rows of cells; provenance
 * notes) and its writers: aligned text for a terminal, CSV (RFC 4180) and
 * JSON. Every listing pccs prints goes through here, so the CLI, the API
 * and the report show the same numbers the same way.
 */
#ifndef PCCS_TABLE_H
#define PCCS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/err.h"

enum pccs_coltype { PCCS_COL_TEXT, PCCS_COL_INT, PCCS_COL_NUM };

enum pccs_format { PCCS_FMT_TEXT, PCCS_FMT_CSV, PCCS_FMT_JSON, PCCS_FMT_XLSX };

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
void pccs_table_set_num(struct pccs_table *t, size_t row, size_t col,
                        double v);
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
/**
 * Append cell (row, col) as the terminal shows it (thousands separators,
 * the column's decimals; a marker or nothing for a null) to b.
 */
struct pccs_buf;
void pccs_table_format_cell(struct pccs_buf *b, const struct pccs_table *t,
                            size_t row, size_t col);
/** Index of the column called name, or -1. */
int pccs_table_col_index(const struct pccs_table *t, const char *name);

/** Parse "text", "csv", "json" or "xlsx". PCCS_EINVAL otherwise. */
int pccs_format_parse(const char *s, enum pccs_format *out);
/**
 * Write t as an xlsx workbook at path (report/xlsx_out.c): numbers as
 * numbers, ISO dates as dates, a frozen bold header row, and the notes on
 * a "sources" sheet. PCCS_EIO on failure.
 */
int pccs_table_write_xlsx(const struct pccs_table *t, const char *path,
                          struct pccs_err *err);

/**
 * Write t to f in the given text format (not xlsx). PCCS_EIO on a write
 * error.
 */
int pccs_table_write(const struct pccs_table *t, enum pccs_format fmt, FILE *f,
                     struct pccs_err *err);

#endif
