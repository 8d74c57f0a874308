/* SPDX-License-Identifier: MIT */
/*
 * Period picking by hand: as at a day (never later), 12 months earlier
 * (nearest 365 days within 330 to 400), the payments year for a day and
 * the census within a financial year.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc/period.h"

static pccs_day
D(int y, int m, int d)
{
    return pccs_date_from_ymd(y, m, d);
}

static void
test_period_on_or_before(void **state)
{
    (void)state;
    pccs_day d[] = {D(2021, 1, 1), D(2020, 9, 1), D(2023, 1, 1)};
    assert_int_equal(pccs_period_on_or_before(d, 3, D(2022, 1, 1)), 0);
    assert_int_equal(pccs_period_on_or_before(d, 3, D(2021, 1, 1)), 0);
    assert_int_equal(pccs_period_on_or_before(d, 3, D(2020, 12, 31)), 1);
    assert_int_equal(pccs_period_on_or_before(d, 3, D(2020, 1, 1)), -1);
    assert_int_equal(pccs_period_on_or_before(d, 3, PCCS_DAY_NONE), 2);
    assert_int_equal(pccs_period_on_or_before(d, 0, PCCS_DAY_NONE), -1);
    assert_int_equal(pccs_period_des_day(2022), D(2022, 1, 1));
}

static void
test_period_year_before(void **state)
{
    (void)state;
    /* 2022-01-01 less 365 days is 2021-01-01: nearer than 2020-12-01. */
    pccs_day d[] = {D(2020, 12, 1), D(2021, 1, 1), D(2021, 2, 1),
                    D(2021, 6, 1)};
    assert_int_equal(pccs_period_year_before(d, 4, D(2022, 1, 1)), 1);
    /* Only 2021-06-01 (214 days) and older than 400 days: none. */
    pccs_day e[] = {D(2021, 6, 1), D(2020, 6, 1)};
    assert_int_equal(pccs_period_year_before(e, 2, D(2022, 1, 1)), -1);
    /* 330 and 400 are both allowed. */
    pccs_day f[] = {D(2022, 1, 1) - 330};
    assert_int_equal(pccs_period_year_before(f, 1, D(2022, 1, 1)), 0);
    pccs_day g[] = {D(2022, 1, 1) - 401};
    assert_int_equal(pccs_period_year_before(g, 1, D(2022, 1, 1)), -1);
}

static void
test_period_fy_for_day(void **state)
{
    (void)state;
    int fy[] = {2020, 2022, 2019};
    /* 1 January 2023 is in 2022-23. */
    assert_int_equal(pccs_period_fy_for_day(fy, 3, D(2023, 1, 1)), 1);
    /* 1 January 2022 is in 2021-22, not loaded: 2020-21. */
    assert_int_equal(pccs_period_fy_for_day(fy, 3, D(2022, 1, 1)), 0);
    assert_int_equal(pccs_period_fy_for_day(fy, 3, D(2019, 1, 1)), -1);
}

static void
test_period_within_fy(void **state)
{
    (void)state;
    pccs_day d[] = {D(2021, 3, 31), D(2021, 6, 30), D(2021, 9, 30),
                    D(2022, 3, 31), D(2022, 9, 30)};
    /* 2021-22: 2021-09-30 is nearest 1 October 2021. */
    assert_int_equal(pccs_period_within_fy(d, 5, 2021), 2);
    /* 2020-21: only 2021-03-31 is within. */
    assert_int_equal(pccs_period_within_fy(d, 5, 2020), 0);
    assert_int_equal(pccs_period_within_fy(d, 5, 2022), 4);
    /* 2023-24: none within; the latest before. */
    assert_int_equal(pccs_period_within_fy(d, 5, 2023), 4);
    assert_int_equal(pccs_period_within_fy(d, 5, 2019), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_on_or_before),
        cmocka_unit_test(test_period_year_before),
        cmocka_unit_test(test_period_fy_for_day),
        cmocka_unit_test(test_period_within_fy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
