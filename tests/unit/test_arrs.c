/* SPDX-License-Identifier: MIT */
/*
 * The arrs table's arithmetic (calc/arrs.c), with values worked by hand:
 * 2.5 FTE at a maximum of 43,000 a year cost 107,500, a quarter of an
 * ARRS sum of 430,000.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/arrs.h"

static void
test_arrs_cost_share(void **state)
{
    (void)state;
    double cost = pccs_arrs_cost(2.5, 43000);
    assert_true(cost == 107500);
    assert_true(pccs_arrs_per_wte(cost, 2.5) == 43000);
    assert_true(isnan(pccs_arrs_per_wte(0, 0)));
    assert_true(isnan(pccs_arrs_per_wte(NAN, 2.5)));
    assert_true(pccs_arrs_share_pct(cost, 430000) == 25.0);
    assert_true(fabs(pccs_arrs_share_pct(1, 3) - 33.333333333333336) < 1e-9);
    assert_true(isnan(pccs_arrs_share_pct(cost, 0)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrs_cost_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
