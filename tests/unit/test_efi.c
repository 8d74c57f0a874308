/* SPDX-License-Identifier: MIT */
/*
 * The electronic Frailty Index (calc/efi.c). Worked by hand: with the
 * bounds 0.12, 0.24, 0.36 of Clegg et al. (2016), 4/36 = 0.111 is fit,
 * 5/36 = 0.139 mild, 8/36 = 0.222 mild, 9/36 = 0.25 moderate, 12/36 =
 * 0.333 moderate, 13/36 = 0.361 severe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/efi.h"

static const double bounds[3] = {0.12, 0.24, 0.36};

static void
test_efi_categories(void **state)
{
    (void)state;
    assert_int_equal(pccs_efi_category(0, bounds), PCCS_EFI_FIT);
    assert_int_equal(pccs_efi_category(4, bounds), PCCS_EFI_FIT);
    assert_int_equal(pccs_efi_category(5, bounds), PCCS_EFI_MILD);
    assert_int_equal(pccs_efi_category(8, bounds), PCCS_EFI_MILD);
    assert_int_equal(pccs_efi_category(9, bounds), PCCS_EFI_MODERATE);
    assert_int_equal(pccs_efi_category(12, bounds), PCCS_EFI_MODERATE);
    assert_int_equal(pccs_efi_category(13, bounds), PCCS_EFI_SEVERE);
    assert_int_equal(pccs_efi_category(36, bounds), PCCS_EFI_SEVERE);
    assert_true(fabs(pccs_efi_score(9) - 0.25) < 1e-12);
    /* a bound hit exactly stays in the lower category: 0.25 x 36 = 9 */
    const double b2[3] = {0.12, 0.25, 0.36};
    assert_int_equal(pccs_efi_category(9, b2), PCCS_EFI_MILD);
    assert_string_equal(pccs_efi_cat_name(PCCS_EFI_MODERATE), "moderate");
    assert_int_equal(pccs_efi_cat_parse("severe"), PCCS_EFI_SEVERE);
    assert_int_equal(pccs_efi_cat_parse("frail"), -1);
}

static void
test_efi_distinct_window(void **state)
{
    (void)state;
    int64_t codes[] = {5, 7, 5, 9, 11, 7, 13};
    int32_t days[] = {10, 20, 30, 5, 40, 41, 100};
    /* in [10, 41]: 5, 7, 5, 11, 7 -> {5, 7, 11} */
    assert_int_equal(pccs_distinct_in_window(codes, days, 7, 10, 41), 3);
    int64_t none[] = {1};
    int32_t d1[] = {50};
    assert_int_equal(pccs_distinct_in_window(none, d1, 1, 0, 49), 0);
}

static void
test_efi_value_rules(void **state)
{
    (void)state;
    /* eGFR below 60: 0 < v < 60, strict */
    struct pccs_efi_value_rule egfr = {.above = 0, .below = 60,
                                       .has_above = true, .has_below = true};
    assert_true(pccs_efi_value_counts(&egfr, 'F', 59.9));
    assert_false(pccs_efi_value_counts(&egfr, 'F', 60));
    assert_false(pccs_efi_value_counts(&egfr, 'M', 0));
    /* MUST 1 or more: above 0.9999, no upper bound */
    struct pccs_efi_value_rule must = {.above = 0.9999, .has_above = true};
    assert_true(pccs_efi_value_counts(&must, 'U', 1));
    assert_false(pccs_efi_value_counts(&must, 'U', 0));
    /* haemoglobin below 130 g/L, men only */
    struct pccs_efi_value_rule hb = {.sex = 'M', .above = 25, .below = 130,
                                     .has_above = true, .has_below = true};
    assert_true(pccs_efi_value_counts(&hb, 'M', 120));
    assert_false(pccs_efi_value_counts(&hb, 'F', 120));
    assert_false(pccs_efi_value_counts(&hb, 'M', 12)); /* g/dL: not read */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_efi_categories),
        cmocka_unit_test(test_efi_distinct_window),
        cmocka_unit_test(test_efi_value_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
