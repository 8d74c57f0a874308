/* SPDX-License-Identifier: MIT */
/* Tests for the result table and its text, CSV and JSON writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "calc/rollup.h"
#include "formats/xlsx.h"
#include "report/table.h"

static char *
render(const struct pccs_table *t, enum pccs_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_table_write(t, fmt, f, &err), PCCS_OK);
    fclose(f);
    return buf;
}

static void
sample(struct pccs_table *t)
{
    pccs_table_init(t, "populations");
    pccs_table_col(t, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(t, "name", PCCS_COL_TEXT, 0);
    pccs_table_col(t, "registered", PCCS_COL_NUM, 0);
    pccs_table_col(t, "weighted", PCCS_COL_NUM, 2);
    pccs_table_row(t);
    pccs_table_text(t, "U89141");
    pccs_table_text(t, "STOCKTON PCN");
    pccs_table_num(t, 60606345);
    pccs_table_num(t, 4579.78);
    pccs_table_row(t);
    pccs_table_text(t, "Y63");
    pccs_table_text(t, "North East, \"and\" Yorkshire");
    pccs_table_num(t, 12);
    pccs_table_null(t);
    pccs_table_note(t, "registered: Patients Registered at a GP Practice");
}

/* Write a one-cell table titled title as xlsx; return its first sheet's
 * name as our own reader sees it (owned). */
static char *
xlsx_sheet(const char *title)
{
    char path[] = "/tmp/pccs-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct pccs_table t;
    pccs_table_init(&t, title);
    pccs_table_col(&t, "code", PCCS_COL_TEXT, 0);
    pccs_table_row(&t);
    pccs_table_text(&t, "U89141");
    struct pccs_err err = PCCS_ERR_INIT;
    assert_int_equal(pccs_table_write_xlsx(&t, path, &err), PCCS_OK);
    pccs_table_release(&t);
    struct pccs_xlsx *x = NULL;
    assert_int_equal(pccs_xlsx_open(&x, path, NULL, &err), PCCS_OK);
    assert_int_equal(pccs_xlsx_sheet_count(x), 2);
    char *name = strdup(pccs_xlsx_sheet_name(x, 0));
    assert_string_equal(pccs_xlsx_sheet_name(x, 1), "sources");
    pccs_xlsx_free(x);
    unlink(path);
    return name;
}

static void
test_report_table_xlsx_sheet_names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"populations", "populations"},
        {"Enhanced access: minutes [by week]",
         "Enhanced access- minutes -by we"},
        {"a/b\\c*d?e", "a-b-c-d-e"},
        {"'quoted'", "quoted"},
        {"sources", "table"},
        {"History", "table"},
        {"", "table"},
        /* 30 ASCII then a two-byte character: cut before it, not in it */
        {"abcdefghijklmnopqrstuvwxyz0123\xc3\xa9x",
         "abcdefghijklmnopqrstuvwxyz0123"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *name = xlsx_sheet(cases[i][0]);
        assert_string_equal(name, cases[i][1]);
        free(name);
    }
}

static void
test_report_table_csv_quotes_and_plain_numbers(void **state)
{
    (void)state;
    struct pccs_table t;
    sample(&t);
    char *s = render(&t, PCCS_FMT_CSV);
    assert_string_equal(s, "code,name,registered,weighted\r\n"
                           "U89141,STOCKTON PCN,60606345,4579.78\r\n"
                           "Y63,\"North East, \"\"and\"\" Yorkshire\",12,\r\n");
    free(s);
    pccs_table_release(&t);
}

/* Quoting in headers and in a formula-like cell, each line ending CRLF;
 * a line longer than any buffer's first size. */
static void
test_report_table_csv_quotes_header_formula_long(void **state)
{
    (void)state;
    struct pccs_table t;
    pccs_table_init(&t, "t");
    pccs_table_col(&t, "a \"b\"", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "c,d", PCCS_COL_NUM, 0);
    pccs_table_row(&t);
    pccs_table_text(&t, "=1,\"2\"\r\n");
    pccs_table_num(&t, -0.5);
    char longtext[301];
    memset(longtext, 'x', 300);
    longtext[300] = '\0';
    pccs_table_row(&t);
    pccs_table_text(&t, longtext);
    pccs_table_num(&t, 1e15);
    char *s = render(&t, PCCS_FMT_CSV);
    char want[512];
    snprintf(want, sizeof(want),
             "\"a \"\"b\"\"\",\"c,d\"\r\n"
             "\"'=1,\"\"2\"\"\r\n\",-0.5\r\n"
             "%s,1000000000000000\r\n",
             longtext);
    assert_string_equal(s, want);
    free(s);
    pccs_table_release(&t);
}

/* CSV numbers are plain decimals: no exponent, pence kept, no noise. */
static void
test_report_table_csv_no_exponent(void **state)
{
    (void)state;
    static const double v[] = {10230094800.47, 1.0230094800e+10,  0.1 + 0.2,
                               -2.5e-7,        1234567.125,       -0.0,
                               3e15 + 0.5,     4368731529.759990, 1.0 / 3.0};
    static const char *const want[] = {
        "10230094800.47",   "10230094800",   "0.3",
        "-0.00000025",      "1234567.125",   "0",
        "3000000000000000", "4368731529.76", "0.3333333333333"};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        struct pccs_table t;
        pccs_table_init(&t, "n");
        pccs_table_col(&t, "v", PCCS_COL_NUM, 2);
        pccs_table_row(&t);
        pccs_table_num(&t, v[i]);
        char *s = render(&t, PCCS_FMT_CSV);
        char line[64];
        snprintf(line, sizeof(line), "v\r\n%s\r\n", want[i]);
        assert_string_equal(s, line);
        assert_null(strpbrk(s, "eE"));
        free(s);
        pccs_table_release(&t);
    }
    /* JSON gives the same digits. */
    struct pccs_table t;
    pccs_table_init(&t, "n");
    pccs_table_col(&t, "v", PCCS_COL_NUM, 2);
    pccs_table_row(&t);
    pccs_table_num(&t, 4368731529.759990);
    char *s = render(&t, PCCS_FMT_JSON);
    assert_non_null(strstr(s, "\"v\": 4368731529.76\n"));
    free(s);
    pccs_table_release(&t);
}

static void
test_report_table_text_separators_and_notes(void **state)
{
    (void)state;
    struct pccs_table t;
    sample(&t);
    char *s = render(&t, PCCS_FMT_TEXT);
    assert_non_null(strstr(s, "60,606,345"));
    assert_non_null(strstr(s, "4,579.78"));
    assert_non_null(strstr(s, "\nregistered: Patients Registered"));
    /* Numbers are right-aligned under their header. */
    const char *hdr = strstr(s, "registered");
    const char *line2 = strchr(s, '\n') + 1;
    size_t col_end = (size_t)(hdr - s) + strlen("registered");
    size_t num_end =
        (size_t)(strstr(line2, "60,606,345") - line2) + strlen("60,606,345");
    assert_int_equal(col_end, num_end);
    free(s);
    pccs_table_release(&t);
}

static void
test_report_table_json_rows_and_sources(void **state)
{
    (void)state;
    struct pccs_table t;
    sample(&t);
    char *s = render(&t, PCCS_FMT_JSON);
    assert_non_null(strstr(s, "\"registered\": 60606345"));
    assert_non_null(strstr(s, "\"weighted\": 4579.78"));
    assert_non_null(strstr(s, "\"weighted\": null"));
    assert_non_null(strstr(s, "\"sources\""));
    free(s);
    pccs_table_release(&t);
}

static void
test_report_table_format_parse(void **state)
{
    (void)state;
    enum pccs_format f;
    assert_int_equal(pccs_format_parse("csv", &f), PCCS_OK);
    assert_int_equal(f, PCCS_FMT_CSV);
    assert_int_equal(pccs_format_parse("xml", &f), PCCS_EINVAL);
}

static void
test_rollup_sums_and_counts_missing(void **state)
{
    (void)state;
    struct pccs_rollup_in in[] = {
        {0, {100, 110.5}, {true, true}},
        {0, {50, 0}, {true, false}},
        {1, {7, 8}, {true, true}},
        {-1, {3, 3}, {true, true}},
    };
    struct pccs_rollup_out out[2], none;
    pccs_rollup(in, 4, out, 2, &none);
    assert_int_equal(out[0].members, 2);
    assert_true(out[0].sum[0] == 150);
    assert_true(out[0].sum[1] == 110.5);
    assert_int_equal(out[0].present[1], 1);
    assert_int_equal(out[1].members, 1);
    assert_int_equal(none.members, 1);
    assert_true(none.sum[0] == 3);
}

/* The fast number formatter prints what snprintf prints, to the byte. */
static void
check_fixed(double v)
{
    char want[400], got[400];
    for (int d = 0; d <= 24; d++) {
        snprintf(want, sizeof(want), "%.*f", d, v);
        pccs__table_fixed(got, sizeof(got), d, v);
        if (strcmp(want, got) != 0)
            fail_msg("%.17g at %d decimals: %s, snprintf %s", v, d, got, want);
    }
}

static void
test_report_table_fixed_as_snprintf(void **state)
{
    (void)state;
    /* Ties and near-ties of rounding, in binary and in decimal. */
    static const double edge[] = {
        0.5,       1.5,       2.5,      -0.5,          -2.5,          0.125,
        0.375,     -0.625,    1.005,    2.675,         1.045,         0.045,
        9.995,     99.5,      999.9995, 0.05,          -0.05,         1e-7,
        5e-324,    1e22,      1e23,     9.5e15,        123456789.125, -0.0,
        0.0,       1e300,     -1e300,   4368731529.76, 2.5e-5,        0.1 + 0.2,
        1.0 / 3.0, 2.0 / 3.0, 52039.0,  -52039.004999,
    };
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
        check_fixed(edge[i]);
    check_fixed(INFINITY);
    check_fixed(-INFINITY);
    check_fixed(NAN);
    /* Every k/2^j and k/1000 around the tables' magnitudes, and noise. */
    for (int k = -2000; k <= 2000; k++) {
        check_fixed(k / 1000.0);
        check_fixed(k / 64.0);
        check_fixed(k * 1234.5678);
    }
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double bits;
        uint64_t b = x & 0x7fffffffffffffffULL;
        memcpy(&bits, &b, sizeof(bits));
        double scaled = (double)(x >> 11) / (double)(1ULL << (x % 60));
        check_fixed(i % 2 ? scaled : -scaled);
        if (isfinite(bits) && fabs(bits) < 1e80)
            check_fixed(bits);
    }
}

/*
 * The CSV's plain numbers, against the rule worked out the slow way:
 * the fewest decimals d (up to 14 less the power of ten of v, at most
 * 330) whose "%.*f" text strtod reads back within 1e-13 of v, trailing
 * zeros dropped.
 */
static void
plain_reference(char *out, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 9e15) {
        snprintf(out, size, "%lld", (long long)v);
        return;
    }
    int max = 14 - (int)floor(log10(fabs(v)));
    max = max < 0 ? 0 : max > 330 ? 330 : max;
    int d = 0;
    for (; d < max; d++) {
        snprintf(out, size, "%.*f", d, v);
        if (fabs(strtod(out, NULL) - v) <= fabs(v) * 1e-13)
            break;
    }
    snprintf(out, size, "%.*f", d, v);
    char *dot = strchr(out, '.');
    if (dot) {
        char *end = out + strlen(out);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    if (strcmp(out, "-0") == 0)
        strcpy(out, "0");
}

static void
check_plain(double v)
{
    char want[400];
    struct pccs_buf b = PCCS_BUF_INIT;
    plain_reference(want, sizeof(want), v);
    pccs__table_plain(&b, v);
    if (strcmp(want, b.p) != 0)
        fail_msg("%.17g: %s, the slow rule %s", v, b.p, want);
    pccs_buf_release(&b);
}

static void
test_report_table_plain_as_the_rule(void **state)
{
    (void)state;
    static const double edge[] = {
        0.5,      1.5,       -2.5,     0.125,     1.005,  2.675,
        9.995,    99.5,      999.9995, 0.05,      1e-7,   2.5e-5,
        1e22,     1e23,      9.5e15,   0.1 + 0.2, 1.0 / 3, 2.0 / 3,
        4579.75,  4579.785,  -52039.005, 999.9999999999999, 1e15 - 0.5,
        0.0999999999999999, 2.1617248288634500, 1e-300, 5e-324, 1e300};
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
        check_plain(edge[i]);
    uint64_t x = 2463534242ULL;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* pence, FTE, ratios of them, and values of any size */
        check_plain((double)(int64_t)(x % 2000000000000ULL - 1000000000000ULL) /
                    100.0);
        check_plain((double)(x % 100000) / 100.0);
        check_plain((double)(x % 10000000) / 100.0 * 10000.0 /
                    ((double)(x >> 40) / 10.0 + 1.0));
        check_plain((double)(x >> 11) / (double)(1ULL << (x % 64)));
        check_plain((double)(x % 1000 + 1) / 1000.0 /
                    (double)((x >> 20) % 997 + 1));
    }
}

static void
test_report_table_int_as_snprintf(void **state)
{
    (void)state;
    static const long long edge[] = {0,
                                     1,
                                     -1,
                                     9,
                                     10,
                                     -10,
                                     999999,
                                     1000000,
                                     LLONG_MAX,
                                     LLONG_MIN,
                                     8999999999999999LL};
    char want[32], got[32];
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
        snprintf(want, sizeof(want), "%lld", edge[i]);
        pccs__table_int(got, edge[i]);
        assert_string_equal(got, want);
    }
    for (long long v = -100000; v <= 100000; v += 7) {
        snprintf(want, sizeof(want), "%lld", v * 1021);
        pccs__table_int(got, v * 1021);
        assert_string_equal(got, want);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_table_csv_quotes_and_plain_numbers),
        cmocka_unit_test(test_report_table_csv_quotes_header_formula_long),
        cmocka_unit_test(test_report_table_csv_no_exponent),
        cmocka_unit_test(test_report_table_plain_as_the_rule),
        cmocka_unit_test(test_report_table_text_separators_and_notes),
        cmocka_unit_test(test_report_table_json_rows_and_sources),
        cmocka_unit_test(test_report_table_format_parse),
        cmocka_unit_test(test_report_table_xlsx_sheet_names),
        cmocka_unit_test(test_rollup_sums_and_counts_missing),
        cmocka_unit_test(test_report_table_fixed_as_snprintf),
        cmocka_unit_test(test_report_table_int_as_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
