/* SPDX-License-Identifier: MIT */
/*
 * The libxlsxwriter functions the xlsx writer calls, resolved with dlopen
 * the first time one is called, so only a command (or server request)
 * that writes an xlsx file loads libxlsxwriter and libminizip with it.
 * report/xlsx_out.c calls them as declared in <xlsxwriter.h>; this file
 * defines them.
 *
 * When libxlsxwriter.so.4 cannot be loaded, workbook_new says why on
 * stderr and returns NULL, as when it cannot create the workbook, and the
 * writer fails there; nothing else is called without a workbook.
 */
#include <xlsxwriter.h>

#include "base/dynlib.h"

#define XLSXWRITER_LIBRARY "libxlsxwriter.so.4"

/* The functions that return a value: type, name, parameters, arguments. */
#define LXW_FUNCS(X)                                                           \
    X(lxw_format *, workbook_add_format, (lxw_workbook * workbook),            \
      (workbook))                                                              \
    X(lxw_worksheet *, workbook_add_worksheet,                                 \
      (lxw_workbook * workbook, const char *sheetname), (workbook, sheetname)) \
    X(lxw_error, workbook_close, (lxw_workbook * workbook), (workbook))        \
    X(lxw_workbook *, workbook_new, (const char *filename), (filename))        \
    X(lxw_error, worksheet_set_column,                                         \
      (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col,     \
       double width, lxw_format *format),                                      \
      (worksheet, first_col, last_col, width, format))                         \
    X(lxw_error, worksheet_write_datetime,                                     \
      (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,                \
       lxw_datetime * datetime, lxw_format * format),                          \
      (worksheet, row, col, datetime, format))                                 \
    X(lxw_error, worksheet_write_number,                                       \
      (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col, double number, \
       lxw_format *format),                                                    \
      (worksheet, row, col, number, format))                                   \
    X(lxw_error, worksheet_write_string,                                       \
      (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,                \
       const char *string, lxw_format *format),                                \
      (worksheet, row, col, string, format))

/* The one that returns a message. */
#define LXW_STRS(X) X(char *, lxw_strerror, (lxw_error error_num), (error_num))

/* The functions that return nothing. */
#define LXW_VOIDS(X)                                                           \
    X(void, format_set_bold, (lxw_format * format), (format))                  \
    X(void, format_set_num_format,                                             \
      (lxw_format * format, const char *num_format), (format, num_format))     \
    X(void, lxw_workbook_free, (lxw_workbook * workbook), (workbook))          \
    X(void, worksheet_freeze_panes,                                            \
      (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col),               \
      (worksheet, row, col))

enum {
    LXW_FUNCS(PCCS_DYNLIB_SYM) LXW_STRS(PCCS_DYNLIB_SYM)
        LXW_VOIDS(PCCS_DYNLIB_SYM) NSYMS
};
static const char *const names[NSYMS] = {LXW_FUNCS(PCCS_DYNLIB_NAME) LXW_STRS(
    PCCS_DYNLIB_NAME) LXW_VOIDS(PCCS_DYNLIB_NAME)};
static void *fns[NSYMS];
static struct pccs_dynlib lib = {XLSXWRITER_LIBRARY, names, fns, NSYMS, 0};

LXW_FUNCS(PCCS_DYNLIB_FN)
LXW_STRS(PCCS_DYNLIB_STR_FN)
LXW_VOIDS(PCCS_DYNLIB_VOID_FN)
