/* SPDX-License-Identifier: MIT */
/*
 * Rates, percentages, growth and shares (calc/ratio.c). Values worked by
 * hand: 1,234 appointments for 5,678 patients is 217.330... per 1,000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/ratio.h"

static void
test_ratio_rate(void **state)
{
    (void)state;
    assert_true(fabs(pccs_rate_per(1234, 5678, 1000) - 217.33004579077138) <
                1e-9);
    assert_true(fabs(pccs_rate_per(3.5, 70000, 10000) - 0.5) < 1e-12);
    assert_true(isnan(pccs_rate_per(1, 0, 1000)));
    assert_true(isnan(pccs_rate_per(1, -5, 1000)));
    assert_true(isnan(pccs_rate_per(NAN, 5, 1000)));
    assert_true(pccs_rate_per(0, 5, 1000) == 0);
}

static void
test_ratio_pct_growth_share(void **state)
{
    (void)state;
    assert_true(fabs(pccs_pct(1, 8) - 12.5) < 1e-12);
    assert_true(isnan(pccs_pct(1, 0)));
    assert_true(fabs(pccs_growth_pct(10500, 10000) - 5.0) < 1e-12);
    assert_true(fabs(pccs_growth_pct(9000, 10000) + 10.0) < 1e-12);
    assert_true(isnan(pccs_growth_pct(5, 0)));
    /* Patients gained: 10,500 against 10,000 is 500; a loss is negative. */
    assert_true(pccs_change(10500, 10000) == 500);
    assert_true(pccs_change(9000, 10000) == -1000);
    assert_true(isnan(pccs_change(NAN, 10000)));
    assert_true(isnan(pccs_change(5, NAN)));
    assert_true(fabs(pccs_share(250, 1000) - 0.25) < 1e-12);
    assert_true(isnan(pccs_share(1, INFINITY)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_rate),
        cmocka_unit_test(test_ratio_pct_growth_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
