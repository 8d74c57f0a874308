/* SPDX-License-Identifier: MIT */
/*
 * One Network Contract DES line and its arithmetic (calc/entitlements.c).
 * Values worked by hand: a national sum of 746,000,000 shared by a PCN
 * with 12,000 of England's 60,000,000 weighted patients is 149,200.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/entitlements.h"

static void
test_ent_adjusted(void **state)
{
    (void)state;
    double scale = pccs_ent_adjusted_scale(1000, 800);
    assert_true(scale == 1.25);
    assert_true(pccs_ent_adjusted(12000, scale) == 15000);
    assert_true(isnan(pccs_ent_adjusted_scale(1000, 0)));
    assert_true(isnan(pccs_ent_adjusted_scale(1000, NAN)));
    assert_true(pccs_ent_minutes(15000, 60) == 900);
}

static void
test_ent_share_months(void **state)
{
    (void)state;
    assert_true(pccs_ent_national_share(746000000, 12000, 60000000) == 149200);
    assert_true(isnan(pccs_ent_national_share(746000000, 12000, 0)));
    assert_true(pccs_ent_pro_rata(12000, 6) == 6000);
    assert_true(pccs_ent_pro_rata(24000, 12) == 24000);
    assert_true(fabs(pccs_ent_pro_rata(1000, 7) - 583.3333333333334) < 1e-9);
}

static void
test_ent_line(void **state)
{
    (void)state;
    struct pccs_ent_pop pop = {.registered = 10000,
                               .weighted = 12000,
                               .adjusted = 11000,
                               .national_weighted = 60000000};
    struct pccs_ent_line_rates r = {0};
    struct pccs_ent_value v;
    /* 1.50 per registered patient for 6 months: 7,500. */
    r.per[PCCS_ENT_REGISTERED] = (struct pccs_ent_rate){true, true, 1.5};
    r.months = (struct pccs_ent_rate){true, true, 6};
    pccs_ent_line(&pop, &r, &v);
    assert_true(v.applies && v.known && !v.derived);
    assert_true(v.value == 7500);
    /* Rate unknown, national sum known: the weighted share. */
    r.per[PCCS_ENT_REGISTERED].known = false;
    r.months.present = false;
    r.national_sum = (struct pccs_ent_rate){true, true, 746000000};
    pccs_ent_line(&pop, &r, &v);
    assert_true(v.known && v.derived);
    assert_true(v.value == 149200);
    /* Neither known: applies, value unknown. */
    r.national_sum.known = false;
    pccs_ent_line(&pop, &r, &v);
    assert_true(v.applies && !v.known);
    /* No rate row at all: does not apply. */
    struct pccs_ent_line_rates none = {0};
    pccs_ent_line(&pop, &none, &v);
    assert_false(v.applies);
    /* A sum per PCN plus 2.00 per weighted patient: 1,000 + 24,000. */
    struct pccs_ent_line_rates two = {0};
    two.per[PCCS_ENT_PCN] = (struct pccs_ent_rate){true, true, 1000};
    two.per[PCCS_ENT_WEIGHTED] = (struct pccs_ent_rate){true, true, 2};
    pccs_ent_line(&pop, &two, &v);
    assert_true(v.known && v.value == 25000);
}

static void
test_ent_add_known(void **state)
{
    (void)state;
    const struct pccs_ent_value v[] = {
        {.applies = true, .known = true, .value = 100},
        {.applies = true, .known = false, .value = 0},
        {.applies = true, .known = true, .value = 30},
        {.applies = true, .known = true, .value = 20},
    };
    const bool practices[] = {false, false, true, false};
    double pcn = 1000, prac = 0;
    pccs_ent_add_known(v, practices, 4, &pcn, &prac);
    assert_true(pcn == 1120);
    assert_true(prac == 30);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ent_adjusted),
        cmocka_unit_test(test_ent_share_months),
        cmocka_unit_test(test_ent_line),
        cmocka_unit_test(test_ent_add_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
