/* SPDX-License-Identifier: MIT */
/*
 * Percentiles and deciles. Expected values from numpy.percentile (linear,
 * its default), computed by hand here: for 1..10, the 5th percentile is
 * 1.45 and the 95th 9.55.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/entitlements.h"
#include "calc/stats.h"
#include "calc/workforce.h"

static void
test_stats_percentiles(void **state)
{
    (void)state;
    double v[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, NAN};
    assert_true(fabs(pccs_percentile(v, 11, 5) - 1.45) < 1e-12);
    assert_true(fabs(pccs_percentile(v, 11, 95) - 9.55) < 1e-12);
    assert_true(fabs(pccs_percentile(v, 11, 50) - 5.5) < 1e-12);
    assert_true(isnan(pccs_percentile(v + 10, 1, 50)));
}

/* Rank from the highest; ties share a rank; NaN left out (issue 16). */
static void
test_stats_rank_desc(void **state)
{
    (void)state;
    double v[] = {5, 9, NAN, 7, 9, 1};
    assert_int_equal(pccs_rank_desc(v, 6, 9), 1);
    assert_int_equal(pccs_rank_desc(v, 6, 7), 3);
    assert_int_equal(pccs_rank_desc(v, 6, 1), 5);
    assert_int_equal(pccs_rank_desc(v, 6, NAN), 0);
    assert_int_equal(pccs_rank_desc(v, 0, 3), 1);
}

static void
test_stats_deciles(void **state)
{
    (void)state;
    double v[20];
    for (int i = 0; i < 20; i++)
        v[i] = 20 - i;
    int d[20];
    pccs_deciles(v, 20, d);
    assert_int_equal(d[19], 1); /* value 1, the smallest */
    assert_int_equal(d[18], 1);
    assert_int_equal(d[17], 2);
    assert_int_equal(d[0], 10);
    double w[3] = {5, NAN, 1};
    int e[3];
    pccs_deciles(w, 3, e);
    assert_int_equal(e[0], 10);
    assert_int_equal(e[1], 0);
    assert_int_equal(e[2], 5);
}

static void
test_stats_order_desc(void **state)
{
    (void)state;
    const double v[] = {4, 9, 4, 12, 1, 9};
    size_t order[6];
    pccs_order_desc(v, 6, order);
    const size_t want[] = {3, 1, 5, 0, 2, 4};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(order[i], want[i]);
    pccs_order_desc(v, 0, order);
}

static void
test_entitlements_lines(void **state)
{
    (void)state;
    /* 2024-25 core: two bases; enhanced access for 6 months. */
    struct pccs_ent_line_rates core = {0}, ea = {0}, arrs = {0}, chp = {0};
    core.per[PCCS_ENT_REGISTERED] = (struct pccs_ent_rate){true, true, 2.218};
    core.per[PCCS_ENT_ADJUSTED] = (struct pccs_ent_rate){true, true, 0.698};
    ea.per[PCCS_ENT_ADJUSTED] = (struct pccs_ent_rate){true, true, 7.46};
    ea.months = (struct pccs_ent_rate){true, true, 6};
    arrs.per[PCCS_ENT_WEIGHTED] = (struct pccs_ent_rate){true, false, 0};
    chp.per[PCCS_ENT_BED] = (struct pccs_ent_rate){true, true, 120};
    struct pccs_ent_pop p = {50000, 52000, 51000, false, 0, 62e6};
    struct pccs_ent_value o;
    pccs_ent_line(&p, &core, &o);
    assert_true(o.applies && o.known && !o.derived);
    assert_true(fabs(o.value - (50000 * 2.218 + 51000 * 0.698)) < 1e-6);
    pccs_ent_line(&p, &ea, &o);
    assert_true(fabs(o.value - 51000 * 7.46 / 2) < 1e-6);
    assert_true(fabs(pccs_ent_minutes(51000, 60) - 3060) < 1e-9);
    pccs_ent_line(&p, &arrs, &o); /* rate unknown, no national sum */
    assert_true(o.applies);
    assert_false(o.known);
    /* A national sum shared by weighted population: derived. */
    arrs.national_sum = (struct pccs_ent_rate){true, true, 746e6};
    pccs_ent_line(&p, &arrs, &o);
    assert_true(o.known && o.derived);
    assert_true(fabs(o.value - 746e6 * 52000 / 62e6) < 1e-6);
    pccs_ent_line(&p, &chp, &o); /* beds not loaded */
    assert_true(o.applies);
    assert_false(o.known);
    struct pccs_ent_line_rates none = {0};
    pccs_ent_line(&p, &none, &o);
    assert_false(o.applies);
    assert_true(fabs(pccs_workforce_per_10k(16.33, 70343.47) -
                     16.33 * 10000 / 70343.47) < 1e-12);
    assert_true(isnan(pccs_workforce_per_10k(1, 0)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_percentiles),
        cmocka_unit_test(test_stats_deciles),
        cmocka_unit_test(test_stats_rank_desc),
        cmocka_unit_test(test_stats_order_desc),
        cmocka_unit_test(test_entitlements_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
