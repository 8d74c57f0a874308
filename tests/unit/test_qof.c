/* SPDX-License-Identifier: MIT */
/*
 * QOF prevalence and the factors of a point's value (calc/qof.c), worked
 * by hand: 150 patients on a register of a 4,000 list is 3.75%; 2,000 of
 * 125,000 nationally is 1.6%, so the APDF is 3.75 / 1.6 = 2.34375. A
 * whole list of 11,029 over a national average of 8,799 is a CPI of
 * 1.2534378906693942; at £207.56 a point, one point is worth
 * 207.56 x 1.25343789 x 2.34375 = £609.7583638765768.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/qof.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void
test_qof_prevalence(void **state)
{
    (void)state;
    NEAR(pccs_qof_prevalence(150, 4000), 3.75);
    NEAR(pccs_qof_prevalence(2000, 125000), 1.6);
    assert_true(isnan(pccs_qof_prevalence(5, 0)));
}

static void
test_qof_factors(void **state)
{
    (void)state;
    double prev = pccs_qof_prevalence(150, 4000);
    double nat = pccs_qof_prevalence(2000, 125000);
    struct pccs_qof_factors f =
        pccs_qof_factors(prev, nat, 11029, 8799, 207.56);
    NEAR(f.apdf, 2.34375);
    NEAR(f.cpi, 1.2534378906693942);
    NEAR(f.point_value, 609.7583638765768);
}

static void
test_qof_factors_missing(void **state)
{
    (void)state;
    /* No whole list: no CPI and no point value, the APDF still. */
    struct pccs_qof_factors f = pccs_qof_factors(3.75, 1.6, NAN, 8799, 207.56);
    NEAR(f.apdf, 2.34375);
    assert_true(isnan(f.cpi));
    assert_true(isnan(f.point_value));
    /* No average list or pounds per point (rate unknown). */
    f = pccs_qof_factors(3.75, 1.6, 11029, NAN, 207.56);
    assert_true(isnan(f.cpi));
    f = pccs_qof_factors(3.75, 1.6, 11029, 8799, NAN);
    NEAR(f.cpi, 1.2534378906693942);
    assert_true(isnan(f.point_value));
    /* No national prevalence: no APDF. */
    f = pccs_qof_factors(3.75, 0, 11029, 8799, 207.56);
    assert_true(isnan(f.apdf));
    assert_true(isnan(f.point_value));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qof_prevalence),
        cmocka_unit_test(test_qof_factors),
        cmocka_unit_test(test_qof_factors_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
