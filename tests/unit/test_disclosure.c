/* SPDX-License-Identifier: MIT */
/*
 * Disclosure control (rules.md section 5): 0 stays 0, 1-7 become "*",
 * 8 and above are rounded to the nearest 5, England is not controlled,
 * totals are controlled after summing the unrounded values; and the
 * marker reaches every writer in place of the number. Complementary
 * suppression over hand-made groupings: no group is left with exactly one
 * hidden cell (which would be its total minus the others).
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

/* Cells of kind CONTROL with counts v (n of them). */
static void
cells_of(struct pccs_sdc_cell *c, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c[i] = (struct pccs_sdc_cell){.n = v[i], .kind = PCCS_SDC_CONTROL};
}

static void
test_complement_one_group(void **state)
{
    (void)state;
    /* Parent 53 = 3 + 20 + 30: 3 hidden; 53 - 20 - 30 would give it, so
     * the smallest shown child (20) goes too; the parent shows 55. */
    struct pccs_sdc_cell c[4];
    cells_of(c, (double[]){53, 3, 20, 30}, 4);
    const size_t kids[] = {1, 2, 3};
    struct pccs_sdc_group g = {.parent = 0, .children = kids, .nchildren = 3};
    size_t unprotected = 9;
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 2);
    assert_int_equal(unprotected, 0);
    assert_true(c[1].suppressed && !c[1].complement);
    assert_true(c[2].suppressed && c[2].complement);
    assert_false(c[3].suppressed);
    assert_true(c[3].shown == 30);
    assert_false(c[0].suppressed);
    assert_true(c[0].shown == 55);
}

static void
test_complement_choices(void **state)
{
    (void)state;
    const size_t kids[] = {1, 2, 3};
    struct pccs_sdc_group g = {.parent = 0, .children = kids, .nchildren = 3};
    struct pccs_sdc_cell c[4];
    size_t unprotected;
    /* A zero child is not chosen while a non-zero one can be. */
    cells_of(c, (double[]){54, 4, 0, 50}, 4);
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 2);
    assert_true(c[3].complement && !c[2].suppressed);
    /* Two small children: both hidden already, nothing more. */
    cells_of(c, (double[]){60, 4, 6, 50}, 4);
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 2);
    assert_false(c[3].suppressed || c[0].suppressed);
    /* The other children are the reader's own (known): the parent goes. */
    cells_of(c, (double[]){60, 5, 25, 30}, 4);
    c[2].kind = c[3].kind = PCCS_SDC_KNOWN;
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 2);
    assert_true(c[0].suppressed && c[0].complement);
    assert_true(c[2].shown == 25 && c[3].shown == 30); /* as they are */
    /* ... and when the parent is known too (England): nothing to hide,
     * said so. */
    cells_of(c, (double[]){60, 5, 25, 30}, 4);
    c[0].kind = c[2].kind = c[3].kind = PCCS_SDC_KNOWN;
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 1);
    assert_int_equal(unprotected, 1);
    /* A total that is itself small hides its non-zero children. */
    cells_of(c, (double[]){6, 6, 0, 0}, 4);
    assert_int_equal(pccs_sdc_table(&rule, c, 4, &g, 1, &unprotected), 2);
    assert_int_equal(unprotected, 0);
    assert_false(c[2].suppressed || c[3].suppressed);
}

/*
 * A table with row and column totals (as programme-status):
 *
 *        a    b    c  | total
 *   r0  20    3   40  |  63
 *   r1  30   25   50  | 105
 *   Tot 50   28   90  | 168
 *
 * 3 is hidden; its row then hides 20 (the smallest other), column a 30
 * (20's sibling) and column b 25 (3's); row r1 then has two: no row or
 * column is left with exactly one hidden cell.
 */
static void
test_complement_margins(void **state)
{
    (void)state;
    enum { R = 3, C = 4 };
    double v[R][C] = {{20, 3, 40, 63}, {30, 25, 50, 105}, {50, 28, 90, 168}};
    struct pccs_sdc_cell c[R * C];
    cells_of(c, &v[0][0], R * C);
    size_t kids[R + C][C];
    struct pccs_sdc_group g[R + C];
    size_t ng = 0;
    for (size_t r = 0; r < R; r++, ng++) { /* each row: total = a + b + c */
        for (size_t k = 0; k < C - 1; k++)
            kids[ng][k] = r * C + k;
        g[ng] = (struct pccs_sdc_group){r * C + C - 1, kids[ng], C - 1};
    }
    for (size_t k = 0; k < C; k++, ng++) { /* each column: Tot = r0 + r1 */
        for (size_t r = 0; r < R - 1; r++)
            kids[ng][r] = r * C + k;
        g[ng] = (struct pccs_sdc_group){(R - 1) * C + k, kids[ng], R - 1};
    }
    size_t unprotected;
    size_t hidden = pccs_sdc_table(&rule, c, R * C, g, ng, &unprotected);
    assert_int_equal(unprotected, 0);
    for (size_t i = 0; i < ng; i++) {
        size_t h = c[g[i].parent].suppressed;
        for (size_t k = 0; k < g[i].nchildren; k++)
            h += c[g[i].children[k]].suppressed;
        assert_true(h != 1);
    }
    /* 3, 20, 30 and 25: each row and column with two or none hidden;
     * the totals all shown, rounded after summing. */
    assert_int_equal(hidden, 4);
    assert_true(c[0].suppressed && c[1].suppressed && c[4].suppressed &&
                c[5].suppressed);
    for (size_t i = 0; i < R * C; i++)
        if (i != 0 && i != 1 && i != 4 && i != 5)
            assert_false(c[i].suppressed);
    assert_true(c[11].shown == 170 && c[3].shown == 65);
}

/* Random tables with margins: never one hidden cell in a group. */
static void
test_complement_random(void **state)
{
    (void)state;
    srand(14);
    for (int round = 0; round < 500; round++) {
        enum { R = 5, C = 6 };
        double v[R][C] = {{0}};
        for (size_t r = 0; r < R - 1; r++)
            for (size_t k = 0; k < C - 1; k++) {
                int x = rand() % 4 ? rand() % 12 : rand() % 200;
                v[r][k] = x;
                v[r][C - 1] += x;
                v[R - 1][k] += x;
                v[R - 1][C - 1] += x;
            }
        struct pccs_sdc_cell c[R * C];
        cells_of(c, &v[0][0], R * C);
        size_t kids[R + C][C];
        struct pccs_sdc_group g[R + C];
        size_t ng = 0;
        for (size_t r = 0; r < R; r++, ng++) {
            for (size_t k = 0; k < C - 1; k++)
                kids[ng][k] = r * C + k;
            g[ng] = (struct pccs_sdc_group){r * C + C - 1, kids[ng], C - 1};
        }
        for (size_t k = 0; k < C; k++, ng++) {
            for (size_t r = 0; r < R - 1; r++)
                kids[ng][r] = r * C + k;
            g[ng] = (struct pccs_sdc_group){(R - 1) * C + k, kids[ng], R - 1};
        }
        size_t unprotected;
        pccs_sdc_table(&rule, c, R * C, g, ng, &unprotected);
        assert_int_equal(unprotected, 0);
        for (size_t i = 0; i < ng; i++) {
            size_t h = c[g[i].parent].suppressed;
            for (size_t k = 0; k < g[i].nchildren; k++)
                h += c[g[i].children[k]].suppressed;
            assert_true(h != 1);
        }
        for (size_t i = 0; i < R * C; i++)
            if (c[i].n >= 1 && c[i].n <= 7)
                assert_true(c[i].suppressed);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disclosure_edges),
        cmocka_unit_test(test_disclosure_total_before_rounding),
        cmocka_unit_test(test_disclosure_marker_in_writers),
        cmocka_unit_test(test_complement_one_group),
        cmocka_unit_test(test_complement_choices),
        cmocka_unit_test(test_complement_margins),
        cmocka_unit_test(test_complement_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
