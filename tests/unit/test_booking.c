/* SPDX-License-Identifier: MIT */
/*
 * Direct booking arithmetic (calc/booking.c). Values worked by hand:
 * British Summer Time 2026 runs from 29 March 01:00 UTC to 25 October
 * 01:00 UTC; NHS number 943 476 5919 has check digit 9 (9x10 + 4x9 +
 * 3x8 + 4x7 + 7x6 + 6x5 + 5x4 + 9x3 + 1x2 = 299, 299 mod 11 = 2,
 * 11 - 2 = 9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc/booking.h"

static void
test_booking_clock(void **state)
{
    (void)state;
    int m = -1;
    assert_true(pccs_clock_parse("18:30", &m));
    assert_int_equal(m, 1110);
    assert_true(pccs_clock_parse("8:05", &m));
    assert_int_equal(m, 485);
    assert_true(pccs_clock_parse("24:00", &m));
    assert_int_equal(m, 1440);
    assert_false(pccs_clock_parse("24:01", &m));
    assert_false(pccs_clock_parse("18:3", &m));
    assert_false(pccs_clock_parse("18.30", &m));
    assert_false(pccs_clock_parse("", &m));
    assert_false(pccs_clock_parse("7:60", &m));
}

static void
test_booking_slots(void **state)
{
    (void)state;
    assert_int_equal(pccs_slots_in(1110, 1200, 15), 6);
    assert_int_equal(pccs_slots_in(480, 545, 10), 6); /* 5 minutes left */
    assert_int_equal(pccs_slots_in(600, 600, 10), 0);
    assert_int_equal(pccs_slots_in(600, 500, 10), 0);
    assert_int_equal(pccs_slots_in(600, 700, 0), 0);
}

static void
test_booking_uk_offset(void **state)
{
    (void)state;
    pccs_day mar29 = pccs_date_from_ymd(2026, 3, 29);
    assert_int_equal(pccs_uk_offset(mar29, 59), 0);  /* 00:59 GMT */
    assert_int_equal(pccs_uk_offset(mar29, 120), 60); /* 02:00 BST */
    assert_int_equal(pccs_uk_offset(pccs_date_from_ymd(2026, 6, 6), 540), 60);
    pccs_day oct25 = pccs_date_from_ymd(2026, 10, 25);
    assert_int_equal(pccs_uk_offset(oct25, 60), 60);  /* 01:00 BST */
    assert_int_equal(pccs_uk_offset(oct25, 120), 0);  /* 02:00 GMT again */
    assert_int_equal(pccs_uk_offset(pccs_date_from_ymd(2026, 12, 7), 1110),
                     0);
}

static void
test_booking_nhs_number(void **state)
{
    (void)state;
    assert_true(pccs_nhs_number_valid("9434765919"));
    assert_false(pccs_nhs_number_valid("9434765918"));
    assert_false(pccs_nhs_number_valid("943476591"));
    assert_false(pccs_nhs_number_valid("94347659190"));
    assert_false(pccs_nhs_number_valid("94347659a9"));
}

static void
test_booking_week(void **state)
{
    (void)state;
    /* 7 December 2026 is a Monday. */
    pccs_day mon = pccs_date_from_ymd(2026, 12, 7);
    assert_int_equal(pccs_week_start(mon), mon);
    assert_int_equal(pccs_week_start(mon + 6), mon);
    assert_int_equal(pccs_week_start(mon + 7), mon + 7);
    assert_int_equal(pccs_week_start(mon - 1), mon - 7);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_booking_clock),
        cmocka_unit_test(test_booking_slots),
        cmocka_unit_test(test_booking_uk_offset),
        cmocka_unit_test(test_booking_nhs_number),
        cmocka_unit_test(test_booking_week),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
