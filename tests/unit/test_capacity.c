/* SPDX-License-Identifier: MIT */
/*
 * Capacity rates by hand (calc/capacity.c): 12,000 appointments for
 * 10,000 patients is 1,200 per 1,000; 480 DNAs are 4% of them; against
 * 10,000 appointments and 9,600 patients a year before, growth is 20%
 * and list growth 4.1667%. Growth of the list needs two snapshots 330 to
 * 400 days apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/capacity.h"
#include "calc/ratio.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static const struct pccs_capacity_month now = {.total = 12000,
                                               .attended = 11000,
                                               .dna = 480,
                                               .f2f = 8160,
                                               .gp = 5760,
                                               .registered = 10000,
                                               .practices = 2,
                                               .snapshot = 1,
                                               .list_day = 18993};

static void
test_capacity_rates(void **state)
{
    (void)state;
    struct pccs_capacity_month before = {.total = 10000,
                                         .registered = 9600,
                                         .snapshot = 0,
                                         .list_day = 18993 - 365};
    struct pccs_capacity_rates r = pccs_capacity_rates(&now, &before);
    NEAR(r.per_1000, 1200.0);
    NEAR(r.attended_per_1000, 1100.0);
    NEAR(r.dna_pct, 4.0);
    NEAR(r.f2f_pct, 68.0);
    NEAR(r.gp_pct, 48.0);
    NEAR(r.growth_12m_pct, 20.0);
    NEAR(r.list_growth_12m_pct, 4.166666666666667);
    /* Snapshots five years apart: not 12 months' list growth. */
    before.list_day = 18993 - 5 * 365;
    r = pccs_capacity_rates(&now, &before);
    NEAR(r.growth_12m_pct, 20.0);
    assert_true(isnan(r.list_growth_12m_pct));
    before.list_day = 18993 - 400;
    r = pccs_capacity_rates(&now, &before);
    NEAR(r.list_growth_12m_pct, 4.166666666666667);
    before.list_day = 18993 - 365;
    /* The same snapshot both years: no list growth. */
    before.snapshot = 1;
    r = pccs_capacity_rates(&now, &before);
    NEAR(r.growth_12m_pct, 20.0);
    assert_true(isnan(r.list_growth_12m_pct));
    /* No month a year before, or none with appointments. */
    r = pccs_capacity_rates(&now, NULL);
    assert_true(isnan(r.growth_12m_pct));
    assert_true(isnan(r.list_growth_12m_pct));
    before.total = 0;
    before.snapshot = 0;
    r = pccs_capacity_rates(&now, &before);
    assert_true(isnan(r.growth_12m_pct));
    assert_true(isnan(r.list_growth_12m_pct));
}

static void
test_capacity_no_list(void **state)
{
    (void)state;
    struct pccs_capacity_month m = now;
    m.registered = 0;
    struct pccs_capacity_rates r = pccs_capacity_rates(&m, NULL);
    assert_true(isnan(r.per_1000));
    assert_true(isnan(r.attended_per_1000));
    NEAR(r.dna_pct, 4.0);
}

static void
test_capacity_snapshot(void **state)
{
    (void)state;
    pccs_day s[] = {pccs_date_from_ymd(2021, 1, 1),
                    pccs_date_from_ymd(2020, 1, 1),
                    pccs_date_from_ymd(2022, 1, 1)};
    /* The latest on or before the month, else the earliest. */
    assert_int_equal(
        pccs_capacity_snapshot(s, 3, pccs_date_from_ymd(2021, 6, 1)), 0);
    assert_int_equal(
        pccs_capacity_snapshot(s, 3, pccs_date_from_ymd(2020, 1, 1)), 1);
    assert_int_equal(
        pccs_capacity_snapshot(s, 3, pccs_date_from_ymd(2019, 5, 1)), 1);
    assert_int_equal(
        pccs_capacity_snapshot(s, 3, pccs_date_from_ymd(2023, 1, 1)), 2);
    assert_int_equal(
        pccs_capacity_snapshot(s, 0, pccs_date_from_ymd(2023, 1, 1)), 0);
}

static void
test_capacity_change_pct(void **state)
{
    (void)state;
    /* (now / before - 1) x 100, in that order. */
    assert_true(pccs_change_pct(110, 100) == (110.0 / 100.0 - 1.0) * 100.0);
    NEAR(pccs_change_pct(9000, 10000), -10.0);
    assert_true(isnan(pccs_change_pct(5, 0)));
    assert_true(isnan(pccs_change_pct(NAN, 5)));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity_rates),
        cmocka_unit_test(test_capacity_no_list),
        cmocka_unit_test(test_capacity_snapshot),
        cmocka_unit_test(test_capacity_change_pct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
