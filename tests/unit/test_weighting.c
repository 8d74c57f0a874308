/* SPDX-License-Identifier: MIT */
/*
 * The weighted list against the registered list (calc/weighting.c),
 * worked by hand: weighted counts 3,000 and 1,000 for registered lists of
 * 2,000 and 2,000 normalise by 4,000 / 4,000 = 1; 10,500 published and
 * 9,800 estimated for 10,000 registered are ratios 1.05 and 0.98; an
 * estimate of 9,950 for the practices with a published figure is 550
 * below it, -5.238095238095238%.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/weighting.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void
test_weighting_normalise(void **state)
{
    (void)state;
    double adj[] = {3000, 1000}, reg[] = {2000, 2000}, est[2];
    NEAR(pccs_weighting_normalise(adj, reg, 2, est), 1.0);
    NEAR(est[0], 3000);
    NEAR(est[1], 1000);
    double adj2[] = {2500, 2500}, est2[2];
    NEAR(pccs_weighting_normalise(adj2, reg, 2, est2), 0.8);
    NEAR(est2[0], 2000);
    double zero[] = {0, 0};
    assert_true(isnan(pccs_weighting_normalise(zero, reg, 2, est2)));
}

static void
test_weighting_compare(void **state)
{
    (void)state;
    struct pccs_weighting_cmp c =
        pccs_weighting_compare(10000, 10500, 9800, 9950);
    NEAR(c.published, 10500);
    NEAR(c.published_ratio, 1.05);
    NEAR(c.estimate_ratio, 0.98);
    NEAR(c.difference, -550);
    NEAR(c.difference_pct, -5.238095238095238);
}

static void
test_weighting_compare_unpublished(void **state)
{
    (void)state;
    /* No practice with a published figure: only the estimate's ratio. */
    struct pccs_weighting_cmp c = pccs_weighting_compare(10000, 0, 9800, 0);
    assert_true(isnan(c.published));
    assert_true(isnan(c.published_ratio));
    NEAR(c.estimate_ratio, 0.98);
    assert_true(isnan(c.difference));
    assert_true(isnan(c.difference_pct));
    /* No registered list: no ratios. */
    c = pccs_weighting_compare(0, 10500, 9800, 9950);
    assert_true(isnan(c.published_ratio));
    assert_true(isnan(c.estimate_ratio));
    NEAR(c.difference, -550);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weighting_normalise),
        cmocka_unit_test(test_weighting_compare),
        cmocka_unit_test(test_weighting_compare_unpublished),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
