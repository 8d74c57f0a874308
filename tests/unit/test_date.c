/* SPDX-License-Identifier: MIT */
/* Dates in the NHS styles, financial years and strict number parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"

static pccs_day
parse(const char *s)
{
    pccs_day d;
    if (pccs_date_parse(pccs_str_from(s), &d))
        return PCCS_DAY_NONE;
    return d;
}

static void
test_date_every_nhs_style(void **state)
{
    (void)state;
    pccs_day want = pccs_date_from_ymd(2021, 1, 1);
    assert_int_equal(parse("20210101"), want);
    assert_int_equal(parse("2021-01-01"), want);
    assert_int_equal(parse("2021-01-01T00:00:00"), want);
    assert_int_equal(parse("2021-01-01 00:00:00"), want);
    assert_int_equal(parse("01/01/2021"), want);
    assert_int_equal(parse("01JAN2021"), want);
    assert_int_equal(parse("01Jan2021"), want);
    assert_int_equal(parse("01-Jan-21"), want);
    assert_int_equal(parse("01-Jan-2021"), want);
    assert_int_equal(parse(" 01Oct2025 "), pccs_date_from_ymd(2025, 10, 1));
    /* Day numbers: 1970-01-01 is 0; 2000-03-01 is 11017 (python). */
    assert_int_equal(pccs_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(pccs_date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(pccs_date_from_ymd(1900, 1, 1), -25567);
}

static void
test_date_refuses_days_that_do_not_exist(void **state)
{
    (void)state;
    const char *bad[] = {"20230230",  "29FEB2021", "31/04/2020", "2021-13-01",
                         "29FEB1900", "00JAN2020", "2021-1-1",   "tomorrow",
                         "",          "20210101x", "32-Jan-21"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (parse(bad[i]) != PCCS_DAY_NONE)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
    assert_int_equal(parse("29FEB2020"), pccs_date_from_ymd(2020, 2, 29));
    assert_int_equal(parse("29FEB2000"), pccs_date_from_ymd(2000, 2, 29));
}

static void
test_date_round_trip(void **state)
{
    (void)state;
    for (pccs_day d = pccs_date_from_ymd(1900, 1, 1);
         d < pccs_date_from_ymd(2100, 12, 31); d += 7) {
        char buf[16];
        pccs_date_format(d, buf);
        assert_int_equal(parse(buf), d);
    }
}

static void
test_date_financial_years(void **state)
{
    (void)state;
    int y;
    assert_int_equal(pccs_fy_parse(pccs_str_from("2022-23"), &y), 0);
    assert_int_equal(y, 2022);
    assert_int_equal(pccs_fy_parse(pccs_str_from("2022/23"), &y), 0);
    assert_int_equal(pccs_fy_parse(pccs_str_from("2022-2023"), &y), 0);
    assert_int_not_equal(pccs_fy_parse(pccs_str_from("2022-24"), &y), 0);
    assert_int_not_equal(pccs_fy_parse(pccs_str_from("2021-01-01"), &y), 0);
    assert_int_equal(pccs_fy_of(pccs_date_from_ymd(2023, 3, 31)), 2022);
    assert_int_equal(pccs_fy_of(pccs_date_from_ymd(2023, 4, 1)), 2023);
    char buf[8];
    pccs_fy_format(1999, buf);
    assert_string_equal(buf, "1999-00");
}

static void
test_str_numbers_are_strict(void **state)
{
    (void)state;
    int64_t i;
    double d;
    assert_int_equal(pccs_str_to_i64(pccs_str_from(" 12 "), &i), 0);
    assert_int_equal(i, 12);
    assert_int_not_equal(pccs_str_to_i64(pccs_str_from("1,234"), &i), 0);
    assert_int_not_equal(pccs_str_to_i64(pccs_str_from("12a"), &i), 0);
    assert_int_not_equal(pccs_str_to_i64(pccs_str_from(""), &i), 0);
    assert_int_not_equal(
        pccs_str_to_i64(pccs_str_from("99999999999999999999"), &i), 0);
    assert_int_equal(pccs_str_to_double(pccs_str_from("4029.25"), &d), 0);
    assert_true(d == 4029.25);
    assert_int_equal(pccs_str_to_double(pccs_str_from("-3.5"), &d), 0);
    assert_int_not_equal(pccs_str_to_double(pccs_str_from("nan"), &d), 0);
    assert_int_not_equal(pccs_str_to_double(pccs_str_from("inf"), &d), 0);
    assert_int_not_equal(pccs_str_to_double(pccs_str_from("1e999"), &d), 0);
    assert_int_not_equal(pccs_str_to_double(pccs_str_from("."), &d), 0);
    assert_true(pccs_str_name_eq(pccs_str_from("Sub ICB\nLoc Code"),
                                 "SUB_ICB_LOC_CODE"));
    assert_false(pccs_str_name_eq(pccs_str_from("AGE_GROUP_5"), "AGE"));
}

/* Plain decimals (read without strtod) and dates (written without
 * snprintf) give exactly what the C library gives. */
static void
test_numbers_and_dates_as_libc(void **state)
{
    (void)state;
    const char *num[] = {"0",
                         "-0",
                         "-0.0",
                         "0.1",
                         "0.3",
                         "2.675",
                         "-1.005",
                         "000123.4500",
                         "5.",
                         ".5",
                         "+5",
                         "1e5",
                         "-.5",
                         "1.2.3",
                         "-",
                         "123456789012345",
                         "9007199254740993",
                         "999999999999999.9",
                         "0.000000000000001",
                         "1.7976931348623157"};
    for (size_t i = 0; i < sizeof(num) / sizeof(num[0]); i++) {
        double got = 42, want = strtod(num[i], NULL);
        char *end;
        strtod(num[i], &end);
        int rc = pccs_str_to_double(pccs_str_from(num[i]), &got);
        assert_int_equal(rc != 0, *end != '\0');
        if (!rc)
            assert_memory_equal(&got, &want, sizeof(got));
    }
    for (pccs_day d = -800000; d < 3000000; d += 997) {
        int y, m, dd;
        char got[11], want[16];
        pccs_date_to_ymd(d, &y, &m, &dd);
        snprintf(want, sizeof(want), "%04u-%02u-%02u", (unsigned)y % 10000u,
                 (unsigned)m % 100u, (unsigned)dd % 100u);
        pccs_date_format(d, got);
        assert_string_equal(got, want);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_every_nhs_style),
        cmocka_unit_test(test_date_refuses_days_that_do_not_exist),
        cmocka_unit_test(test_date_round_trip),
        cmocka_unit_test(test_date_financial_years),
        cmocka_unit_test(test_str_numbers_are_strict),
        cmocka_unit_test(test_numbers_and_dates_as_libc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
