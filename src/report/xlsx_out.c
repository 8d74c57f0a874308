/* SPDX-License-Identifier: MIT */
/*
 * Writing a result table as an xlsx workbook with libxlsxwriter: a sheet
 * with a bold header row frozen in place, numbers as numbers (thousands
 * separators, the table's decimals), ISO dates as dates, and a second
 * sheet "sources" with the table's provenance notes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "base/date.h"
#include "report/table.h"

static bool
iso_date(const char *s, lxw_datetime *out)
{
    pccs_day d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        pccs_date_parse(pccs_str_from(s), &d))
        return false;
    int y, m, dd;
    pccs_date_to_ymd(d, &y, &m, &dd);
    *out = (lxw_datetime){y, m, dd, 0, 0, 0};
    return true;
}

/*
 * A sheet name Excel accepts, from a table's title: at most 31 characters
 * (cut on a UTF-8 character boundary), none of [ ] : * ? / \, no
 * apostrophe at either end, and not "sources" or "History" (the first is
 * the provenance sheet, the second reserved by Excel): "table" then.
 */
static void
sheet_name(char out[32], const char *title)
{
    size_t n = 0;
    for (const char *p = title; *p && n < 31; p++)
        out[n++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    if (((unsigned char)title[n] & 0xC0) == 0x80) {
        /* the cut fell inside a character: drop all of it */
        while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0)
            n--;
    }
    while (n > 0 && (out[n - 1] == '\'' || out[n - 1] == ' '))
        n--;
    out[n] = '\0';
    size_t start = strspn(out, "' ");
    memmove(out, out + start, n - start + 1);
    if (!out[0] || !strcasecmp(out, "sources") || !strcasecmp(out, "history"))
        snprintf(out, 32, "table");
}

int
pccs_table_write_xlsx(const struct pccs_table *t, const char *path,
                      struct pccs_err *err)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return pccs_err_set(err, PCCS_EIO, "%s: cannot create the workbook",
                            path);
    char sheet[32];
    sheet_name(sheet, t->title);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws) {
        lxw_workbook_free(wb);
        return pccs_err_set(err, PCCS_EINVAL, "%s: cannot add sheet \"%s\"",
                            path, sheet);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *ints = workbook_add_format(wb);
    format_set_num_format(ints, "#,##0");
    lxw_format *decs[7];
    for (int d = 0; d < 7; d++) {
        char f[32];
        snprintf(f, sizeof(f), "#,##0%s%.*s", d ? "." : "", d, "000000");
        decs[d] = workbook_add_format(wb);
        format_set_num_format(decs[d], f);
    }
    for (size_t c = 0; c < t->ncols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name, bold);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             t->cols[c].type == PCCS_COL_TEXT ? 24 : 14, NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t r = 0; r < t->nrows; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        for (size_t c = 0; c < t->ncols; c++) {
            const struct pccs_cell *cell = pccs_table_cell(t, r, c);
            const struct pccs_table_col *col = &t->cols[c];
            if (cell->null) {
                if (cell->text)
                    worksheet_write_string(ws, row, (lxw_col_t)c, cell->text,
                                           NULL);
                continue;
            }
            lxw_datetime dt;
            if (col->type == PCCS_COL_TEXT) {
                if (iso_date(cell->text, &dt))
                    worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, date);
                else
                    worksheet_write_string(ws, row, (lxw_col_t)c, cell->text,
                                           NULL);
            }
            else {
                int d = col->type == PCCS_COL_INT ? 0 : col->decimals;
                worksheet_write_number(ws, row, (lxw_col_t)c, cell->num,
                                       col->type == PCCS_COL_INT
                                           ? ints
                                           : decs[d < 0   ? 0
                                                  : d > 6 ? 6
                                                          : d]);
            }
        }
    }
    lxw_worksheet *src = workbook_add_worksheet(wb, "sources");
    worksheet_set_column(src, 0, 0, 120, NULL);
    worksheet_write_string(src, 0, 0, "Where these figures come from", bold);
    for (size_t i = 0; i < t->nnotes; i++)
        worksheet_write_string(src, (lxw_row_t)(i + 1), 0, t->notes[i], NULL);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return pccs_err_set(err, PCCS_EIO, "%s: cannot write the workbook: %s",
                            path, lxw_strerror(e));
    return PCCS_OK;
}
