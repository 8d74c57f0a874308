/* SPDX-License-Identifier: MIT */
/*
 * The payments table's arithmetic (calc/payments.c), with values worked
 * by hand: 150,000 paid for 1,500 patients is 100 a patient.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/payments.h"

static void
test_pay_parts(void **state)
{
    (void)state;
    double core = pccs_pay_core_contract(1000, 200, 300.5);
    assert_true(core == 1500.5);
    assert_true(pccs_pay_other(5000, core, 700) == 2799.5);
    const double des[] = {1, 2, 3.5, 0.25};
    assert_true(pccs_pay_sum(des, 4) == 6.75);
    assert_true(pccs_pay_sum(des, 0) == 0);
    assert_true(pccs_pay_per_patient(150000, 1500) == 100);
    assert_true(fabs(pccs_pay_per_patient(1000, 3) - 333.3333333333333) < 1e-9);
    assert_true(isnan(pccs_pay_per_patient(150000, 0)));
    assert_true(isnan(pccs_pay_per_patient(150000, -2)));
}

static void
test_pay_exclude(void **state)
{
    (void)state;
    assert_int_equal(pccs_pay_exclude(false, 0, true, 2000, 1000, 1000),
                     PCCS_PAY_NO_REGISTERED);
    assert_int_equal(pccs_pay_exclude(true, 0, true, 2000, 1000, 1000),
                     PCCS_PAY_NO_REGISTERED);
    assert_int_equal(pccs_pay_exclude(true, 999.5, true, 2000, 1000, 1000),
                     PCCS_PAY_FEW_REGISTERED);
    assert_int_equal(pccs_pay_exclude(true, 1500, false, 0, 1000, 1000),
                     PCCS_PAY_NO_WEIGHTED);
    assert_int_equal(pccs_pay_exclude(true, 1500, true, 900, 1000, 1000),
                     PCCS_PAY_FEW_WEIGHTED);
    assert_int_equal(pccs_pay_exclude(true, 1000, true, 1000, 1000, 1000),
                     PCCS_PAY_KEPT);
}

static void
test_pay_outside(void **state)
{
    (void)state;
    assert_int_equal(pccs_pay_outside(4, 5, 10), -1);
    assert_int_equal(pccs_pay_outside(11, 5, 10), 1);
    assert_int_equal(pccs_pay_outside(5, 5, 10), 0);
    assert_int_equal(pccs_pay_outside(10, 5, 10), 0);
    assert_int_equal(pccs_pay_outside(7, NAN, NAN), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pay_parts),
        cmocka_unit_test(test_pay_exclude),
        cmocka_unit_test(test_pay_outside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
