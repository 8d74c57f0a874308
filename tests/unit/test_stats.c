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
test_entitlements_lines(void **state)
{
    (void)state;
    struct pccs_ent_rate r[PCCS_ENT_NITEMS] = {0};
    r[PCCS_ENT_CORE_REG] = (struct pccs_ent_rate){true, true, 2.218};
    r[PCCS_ENT_CORE_ADJ] = (struct pccs_ent_rate){true, true, 0.698};
    r[PCCS_ENT_EA_ADJ] = (struct pccs_ent_rate){true, true, 7.46};
    r[PCCS_ENT_EA_MONTHS] = (struct pccs_ent_rate){true, true, 6};
    r[PCCS_ENT_EA_MINUTES] = (struct pccs_ent_rate){true, true, 60};
    r[PCCS_ENT_ARRS_W] = (struct pccs_ent_rate){true, false, 0};
    struct pccs_ent_pop p = {50000, 52000, 51000, false, 0};
    struct pccs_ent_result o;
    pccs_ent_compute(&p, r, &o);
    assert_true(fabs(o.value[PCCS_ENT_CORE] - (50000 * 2.218 + 51000 * 0.698)) <
                1e-6);
    assert_true(fabs(o.value[PCCS_ENT_ENHANCED_ACCESS] - 51000 * 7.46 / 2) <
                1e-6);
    assert_true(fabs(o.ea_minutes_per_week - 3060) < 1e-9);
    assert_true(o.applies[PCCS_ENT_ARRS]);
    assert_false(o.known[PCCS_ENT_ARRS]);
    assert_false(o.applies[PCCS_ENT_EXTENDED_HOURS]);
    assert_false(o.complete);
    assert_true(fabs(o.total_known - (50000 * 2.218 + 51000 * 0.698 +
                                      51000 * 7.46 / 2)) < 1e-6);
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
        cmocka_unit_test(test_entitlements_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
