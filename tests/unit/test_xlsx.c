/* SPDX-License-Identifier: MIT */
/*
 * xlsx reader tests: the real ePCN workbook, and small workbooks in
 * tests/data/xlsx (written with python3's zipfile) for inline and rich
 * text strings, booleans, errors, gaps and broken files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "formats/xlsx.h"

#define EPCN "data/nhs/ePCN_2022.xlsx"
#define DIR "tests/data/xlsx/"

static void
assert_text(const struct pccs_xlsx_cell *c, const char *want)
{
    if (c->text.len != strlen(want) ||
        memcmp(c->text.p, want, c->text.len) != 0)
        fail_msg("cell \"%.*s\", want \"%s\"", (int)c->text.len, c->text.p,
                 want);
}

static long
count_rows(struct pccs_xlsx *x, const char *sheet)
{
    struct pccs_xlsx_sheet *s;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_xlsx_sheet_open(x, sheet, &s, &err), PCCS_OK);
    struct pccs_xlsx_row row;
    long n = 0;
    int rc;
    while ((rc = pccs_xlsx_sheet_next(s, &row, &err)) == 1)
        n++;
    assert_int_equal(rc, 0);
    pccs_xlsx_sheet_free(s);
    return n;
}

/*
 * Independently (python3 zipfile + xml.etree over the workbook): sheets
 * PCNDetails (1,319 rows with the header) and PCN Core Partner Details
 * (7,360 rows); A1 of the partner sheet is "Partner\nOrganisation\nCode";
 * PCNDetails row 2 is U16464, BARNSLEY PCN, 02P, opened "20191001".
 */
static void
test_xlsx_reads_the_real_epcn_workbook(void **state)
{
    (void)state;
    struct pccs_xlsx *x;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_xlsx_open(&x, EPCN, NULL, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_count(x), 2);
    assert_string_equal(pccs_xlsx_sheet_name(x, 0), "PCNDetails");
    assert_string_equal(pccs_xlsx_sheet_name(x, 1), "PCN Core Partner Details");
    assert_int_equal(count_rows(x, "PCNDetails"), 1319);
    assert_int_equal(count_rows(x, "PCN Core Partner Details"), 7360);

    struct pccs_xlsx_sheet *s;
    struct pccs_xlsx_row row;
    assert_int_equal(
        pccs_xlsx_sheet_open(x, "pcn core partner details", &s, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_int_equal(row.row, 1);
    assert_int_equal(row.ncells, 11);
    assert_text(&row.cells[0], "Partner\nOrganisation\nCode");
    assert_text(&row.cells[2], "Practice\nParent\nCCG Code");
    pccs_xlsx_sheet_free(s);

    assert_int_equal(pccs_xlsx_sheet_open(x, "PCNDetails", &s, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_text(&row.cells[2], "Current Clinical \nCommissioning \nGroup Code");
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_int_equal(row.row, 2);
    assert_text(&row.cells[0], "U16464");
    assert_text(&row.cells[1], "BARNSLEY PCN");
    assert_text(&row.cells[2], "02P");
    assert_text(&row.cells[4], "20191001");
    assert_text(&row.cells[5], ""); /* an empty shared string */
    pccs_xlsx_sheet_free(s);
    assert_int_equal(pccs_xlsx_sheet_open(x, "Nope", &s, &err), PCCS_ENOTFOUND);
    pccs_xlsx_free(x);
}

static void
test_xlsx_inline_strings_gaps_and_booleans(void **state)
{
    (void)state;
    struct pccs_xlsx *x;
    struct pccs_xlsx_sheet *s;
    struct pccs_xlsx_row row;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_xlsx_open(&x, DIR "inline.xlsx", NULL, &err),
                     PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_open(x, "Sheet1", &s, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_int_equal(row.ncells, 3);
    assert_text(&row.cells[0], "code");
    assert_int_equal(row.cells[1].type, PCCS_XLSX_EMPTY);
    assert_text(&row.cells[2], "n");
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_int_equal(row.cells[2].type, PCCS_XLSX_NUMBER);
    assert_true(row.cells[2].num == 4098);
    assert_int_equal(row.cells[3].type, PCCS_XLSX_BOOL);
    assert_true(row.cells[3].num == 1);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 0);
    pccs_xlsx_sheet_free(s);
    pccs_xlsx_free(x);
}

static void
test_xlsx_rich_text_shared_strings_and_serial_dates(void **state)
{
    (void)state;
    struct pccs_xlsx *x;
    struct pccs_xlsx_sheet *s;
    struct pccs_xlsx_row row;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_xlsx_open(&x, DIR "shared.xlsx", NULL, &err),
                     PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_open(x, "PCNDetails", &s, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_text(&row.cells[1], "Open Date"); /* two runs joined */
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    pccs_day d;
    assert_int_equal(pccs_xlsx_serial_to_day(row.cells[1].num, &d), 0);
    assert_int_equal(d, pccs_date_from_ymd(2019, 4, 1));
    pccs_xlsx_sheet_free(s);
    pccs_xlsx_free(x);
    assert_int_equal(pccs_xlsx_serial_to_day(1, &d), 0);
    assert_int_equal(d, pccs_date_from_ymd(1900, 1, 1));
    assert_int_equal(pccs_xlsx_serial_to_day(61, &d), 0);
    assert_int_equal(d, pccs_date_from_ymd(1900, 3, 1));
    assert_int_equal(pccs_xlsx_serial_to_day(60, &d), PCCS_EPARSE);
    assert_int_equal(pccs_xlsx_serial_to_day(0, &d), PCCS_EPARSE);
}

static void
test_xlsx_without_shared_strings(void **state)
{
    (void)state;
    struct pccs_xlsx *x;
    struct pccs_xlsx_sheet *s;
    struct pccs_xlsx_row row;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_xlsx_open(&x, DIR "nostrings.xlsx", NULL, &err),
                     PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_open(x, "S", &s, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_next(s, &row, &err), 1);
    assert_true(row.cells[0].num == 1.5);
    assert_int_equal(row.cells[1].type, PCCS_XLSX_ERROR);
    assert_text(&row.cells[1], "#N/A");
    assert_text(&row.cells[2], "x");
    pccs_xlsx_sheet_free(s);
    pccs_xlsx_free(x);
}

/* Open path and read sheet S to the end; return the first error. */
static int
read_bad(const char *path, struct pccs_err *err)
{
    struct pccs_xlsx *x;
    int rc = pccs_xlsx_open(&x, path, NULL, err);
    if (rc)
        return rc;
    struct pccs_xlsx_sheet *s;
    rc = pccs_xlsx_sheet_open(x, "S", &s, err);
    struct pccs_xlsx_row row;
    while (!rc && (rc = pccs_xlsx_sheet_next(s, &row, err)) == 1)
        rc = 0;
    pccs_xlsx_sheet_free(s);
    pccs_xlsx_free(x);
    return rc;
}

static void
test_xlsx_refuses_broken_workbooks(void **state)
{
    (void)state;
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(read_bad(DIR "bad-sst.xlsx", &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "bad-sst.xlsx[S]:2:2: shared string "
                                    "index \"5\" out of range"));
    assert_int_equal(read_bad(DIR "bad-xml.xlsx", &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "malformed XML"));
    assert_int_equal(read_bad(DIR "bad-number.xlsx", &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "[S]:3:3: expected a number"));
    assert_int_equal(read_bad(DIR "no-workbook.xlsx", &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "no xl/workbook.xml"));
    assert_int_equal(read_bad(DIR "truncated.xlsx", &err), PCCS_EPARSE);
    assert_non_null(strstr(err.msg, "not a readable xlsx"));
    assert_int_equal(read_bad("tests/data/xlsx/missing.xlsx", &err), PCCS_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx_reads_the_real_epcn_workbook),
        cmocka_unit_test(test_xlsx_inline_strings_gaps_and_booleans),
        cmocka_unit_test(test_xlsx_rich_text_shared_strings_and_serial_dates),
        cmocka_unit_test(test_xlsx_without_shared_strings),
        cmocka_unit_test(test_xlsx_refuses_broken_workbooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
