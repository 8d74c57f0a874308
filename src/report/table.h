/* SPDX-License-Identifier: MIT */
/*
 * The writers of a result table (model/result.h): aligned text for a
 * terminal, CSV (RFC 4180), JSON and xlsx.
 */
#ifndef PCCS_TABLE_H
#define PCCS_TABLE_H

#include <stdio.h>

#include "base/err.h"
#include "model/result.h"

enum pccs_format { PCCS_FMT_TEXT, PCCS_FMT_CSV, PCCS_FMT_JSON, PCCS_FMT_XLSX };

/**
 * Append cell (row, col) as the terminal shows it (thousands separators,
 * the column's decimals; a marker or nothing for a null) to b.
 */
struct pccs_buf;
void pccs_table_format_cell(struct pccs_buf *b, const struct pccs_table *t,
                            size_t row, size_t col);
/**
 * As pccs_table_format_cell(), without decimals when the value is whole
 * at the column's (52,039 rather than 52,039.00): one figure on its own.
 */
void pccs_table_format_text(struct pccs_buf *b, const struct pccs_table *t,
                            size_t row, size_t col);
/**
 * Internal, for the writers and their unit test: v with d decimals into
 * out (size bytes, at least 64 for the fast path), the same text as
 * snprintf's "%.*f" without printf's multiple precision.
 */
void pccs__table_fixed(char *out, size_t size, int d, double v);
/**
 * Internal, for the writers and their unit test: v as the CSV shows it
 * (the fewest decimals that give v back to 13 significant digits),
 * appended to b.
 */
void pccs__table_plain(struct pccs_buf *b, double v);
/** Internal: v in decimal, as "%lld" prints it, into out (24 bytes). */
void pccs__table_int(char *out, long long v);
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

/**
 * Write t as an HTML table of the columns cols names, each
 * "column=Heading" (NULL-terminated; columns t lacks are left out). The
 * first two are text, the rest numbers (class "n"); an empty number cell
 * says unknown. A number column has one number of decimals, as in text
 * (its own, or none when every value is whole at them).
 */
void pccs_table_write_html_cols(FILE *f, const struct pccs_table *t,
                                const char *const *cols, const char *unknown);

#endif
