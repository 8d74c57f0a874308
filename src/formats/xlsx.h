/* SPDX-License-Identifier: MIT */
/*
 * Streaming reader for xlsx workbooks (Office Open XML spreadsheets),
 * built on libzip and expat.
 *
 * It knows the workbook's sheet names, the shared strings table, and the
 * cells of a sheet row by row: shared strings, inline strings, numbers,
 * booleans and formula results as their cached values. Dates are Excel
 * serial numbers (use pccs_xlsx_serial_to_day). It does not evaluate
 * formulas or read styles.
 */
#ifndef PCCS_XLSX_H
#define PCCS_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "base/str.h"

struct pccs_xlsx;
struct pccs_xlsx_sheet;

enum pccs_xlsx_type {
    PCCS_XLSX_EMPTY = 0,
    PCCS_XLSX_STRING,
    PCCS_XLSX_NUMBER,
    PCCS_XLSX_BOOL,
    PCCS_XLSX_ERROR
};

struct pccs_xlsx_cell {
    enum pccs_xlsx_type type;
    struct pccs_str text; /* the value as text ("" when empty); for a
                             number, the digits as stored ("43556") */
    double num;           /* the value of a NUMBER or BOOL cell */
};

struct pccs_xlsx_row {
    struct pccs_xlsx_cell *cells; /* borrowed: valid until the next call */
    size_t ncells;                /* up to the last non-empty cell; gaps
                                     are PCCS_XLSX_EMPTY */
    int64_t row;                  /* 1-based row number in the sheet */
};

/**
 * Open a workbook. name (borrowed, copied; NULL means path) is used in
 * messages. Errors: PCCS_EIO (cannot open), PCCS_EPARSE (not a zip, or
 * not a workbook). *out is owned: pccs_xlsx_free().
 */
int pccs_xlsx_open(struct pccs_xlsx **out, const char *path, const char *name,
                   struct pccs_err *err);
/**
 * Open a workbook held in memory (borrowed; must outlive the workbook).
 * For tests and the fuzzer.
 */
int pccs_xlsx_open_mem(struct pccs_xlsx **out, const void *data, size_t len,
                       const char *name, struct pccs_err *err);
/** Number of sheets, and the name of sheet i (borrowed, until free). */
size_t pccs_xlsx_sheet_count(const struct pccs_xlsx *x);
const char *pccs_xlsx_sheet_name(const struct pccs_xlsx *x, size_t i);
/**
 * Open the sheet called name (exact match, then case-insensitive).
 * PCCS_ENOTFOUND if there is none. *out is owned:
 * pccs_xlsx_sheet_free(); it must be freed before the workbook.
 */
int pccs_xlsx_sheet_open(struct pccs_xlsx *x, const char *name,
                         struct pccs_xlsx_sheet **out, struct pccs_err *err);
/**
 * Next row that has at least one cell element. Returns 1 with *row
 * filled, 0 at the end of the sheet, or a negative PCCS_E* code; errors
 * are reported as "FILE[SHEET]:ROW:COL: ...".
 */
int pccs_xlsx_sheet_next(struct pccs_xlsx_sheet *s, struct pccs_xlsx_row *row,
                         struct pccs_err *err);
void pccs_xlsx_sheet_free(struct pccs_xlsx_sheet *s);
void pccs_xlsx_free(struct pccs_xlsx *x);

/**
 * Convert an Excel serial date (1900 date system, with its phantom
 * 29 February 1900) to a day number. PCCS_EPARSE if out of range.
 */
int pccs_xlsx_serial_to_day(double serial, pccs_day *out);

#endif
