/* SPDX-License-Identifier: MIT */
/*
 * Disclosure control (rules.md section 5): 0 stays 0, 1-7 become "*",
 * 8 and above are rounded to the nearest 5, England is not controlled,
 * totals are controlled after summing the unrounded values; and the
 * marker reaches every writer in place of the number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/disclosure.h"
#include "report/table.h"

static const struct pccs_sdc_rule rule = {7, 5};

static void
expect(double n, bool national, enum pccs_sdc_result want, double shown)
{
    double got = -1;
    assert_int_equal(pccs_sdc_count(&rule, n, national, &got), want);
    if (want == PCCS_SDC_SHOWN)
        assert_true(got == shown);
}

static void
test_disclosure_edges(void **state)
{
    (void)state;
    expect(0, false, PCCS_SDC_SHOWN, 0);
    expect(1, false, PCCS_SDC_SUPPRESSED, 0);
    expect(0.4, false, PCCS_SDC_SUPPRESSED, 0); /* still one person */
    expect(7, false, PCCS_SDC_SUPPRESSED, 0);
    expect(8, false, PCCS_SDC_SHOWN, 10);
    expect(12, false, PCCS_SDC_SHOWN, 10);
    expect(12.5, false, PCCS_SDC_SHOWN, 15); /* half away from zero */
    expect(13, false, PCCS_SDC_SHOWN, 15);
    expect(1002, false, PCCS_SDC_SHOWN, 1000);
    expect(3, true, PCCS_SDC_SHOWN, 3); /* England: as it is */
    expect(-3, false, PCCS_SDC_SHOWN, -3);
    double got;
    assert_int_equal(pccs_sdc_count(&rule, NAN, false, &got), PCCS_SDC_SHOWN);
    assert_true(isnan(got));
}

static void
test_disclosure_total_before_rounding(void **state)
{
    (void)state;
    /* Three practices of 6, 6 and 6: each "*", the PCN's 18 shows 20 -
     * never 3 x "*" nor the sum of rounded parts. */
    double parts[] = {6, 6, 6}, total = 0, shown;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pccs_sdc_count(&rule, parts[i], false, &shown),
                         PCCS_SDC_SUPPRESSED);
        total += parts[i];
    }
    assert_int_equal(pccs_sdc_count(&rule, total, false, &shown),
                     PCCS_SDC_SHOWN);
    assert_true(shown == 20);
    /* 9 + 9 + 9 = 27 -> 25, while rounded parts would give 30. */
    assert_int_equal(pccs_sdc_count(&rule, 27, false, &shown),
                     PCCS_SDC_SHOWN);
    assert_true(shown == 25);
}

static char *
render(const struct pccs_table *t, enum pccs_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_table_write(t, fmt, f, &err), PCCS_OK);
    fclose(f);
    return buf;
}

static void
test_disclosure_marker_in_writers(void **state)
{
    (void)state;
    struct pccs_table t;
    pccs_table_init(&t, "cohort");
    pccs_table_col(&t, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "patients", PCCS_COL_INT, 0);
    pccs_table_col_sdc(&t);
    assert_true(t.cols[1].sdc);
    assert_false(t.cols[0].sdc);
    pccs_table_row(&t);
    pccs_table_text(&t, "A81001");
    pccs_table_int(&t, 5);
    pccs_table_row(&t);
    pccs_table_text(&t, "A81002");
    pccs_table_int(&t, 12);
    pccs_table_set_mark(&t, 0, 1, "*");
    pccs_table_set_num(&t, 1, 1, 10);
    char *csv = render(&t, PCCS_FMT_CSV);
    assert_string_equal(csv, "code,patients\r\nA81001,*\r\nA81002,10\r\n");
    free(csv);
    char *json = render(&t, PCCS_FMT_JSON);
    assert_non_null(strstr(json, "\"patients\": \"*\""));
    assert_non_null(strstr(json, "\"patients\": 10"));
    free(json);
    pccs_table_release(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disclosure_edges),
        cmocka_unit_test(test_disclosure_total_before_rounding),
        cmocka_unit_test(test_disclosure_marker_in_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
