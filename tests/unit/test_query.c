/* SPDX-License-Identifier: MIT */
/* Tests for checking a question: period forms, codes and suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/query.h"

static void
test_query_period_forms(void **state)
{
    (void)state;
    struct pccs_period_buf b;
    struct pccs_err err = PCCS_ERR_INIT;
    const unsigned both = PCCS_PERIOD_FY | PCCS_PERIOD_DATE;
    assert_int_equal(pccs_query_period("--year", "2022-23", PCCS_PERIOD_FY,
                                       "a year", &b, &err),
                     PCCS_OK);
    assert_string_equal(b.s, "2022-23");
    /* Other spellings of a financial year become the stored one. */
    assert_int_equal(
        pccs_query_period("--year", "2022/23", PCCS_PERIOD_FY, "y", &b, &err),
        PCCS_OK);
    assert_string_equal(b.s, "2022-23");
    assert_int_equal(
        pccs_query_period("--year", "2022-2023", PCCS_PERIOD_FY, "y", &b, &err),
        PCCS_OK);
    assert_string_equal(b.s, "2022-23");
    /* 1999-00 is well formed (whether loaded is another question). */
    assert_int_equal(
        pccs_query_period("--year", "1999-00", PCCS_PERIOD_FY, "y", &b, &err),
        PCCS_OK);
    assert_string_equal(b.s, "1999-00");
    assert_int_equal(
        pccs_query_period("--period", "2021-01-01", both, "x", &b, &err),
        PCCS_OK);
    assert_string_equal(b.s, "2021-01-01");

    static const char *const bad[] = {"banana",     "2022-24",    "2022",
                                      "2021-02-30", "01/01/2021", "20210101",
                                      "2021-1-1",   " 2022-23",   ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pccs_query_period("--period", bad[i], both,
                                           "a financial year such as 2022-23 "
                                           "or a date YYYY-MM-DD",
                                           &b, &err),
                         PCCS_EINVAL);
        assert_non_null(strstr(err.msg, "--period must be a financial year "
                                        "such as 2022-23 or a date "
                                        "YYYY-MM-DD, not '"));
    }
    /* A date where only a financial year will do, and the reverse. */
    assert_int_equal(pccs_query_period("--year", "2021-01-01", PCCS_PERIOD_FY,
                                       "y", &b, &err),
                     PCCS_EINVAL);
    assert_int_equal(pccs_query_period("--period", "2022-23", PCCS_PERIOD_DATE,
                                       "d", &b, &err),
                     PCCS_EINVAL);
    pccs_day d;
    assert_int_equal(pccs_query_date("at", "2021-13-01", &d, &err),
                     PCCS_EINVAL);
    assert_string_equal(err.msg, "at must be a date YYYY-MM-DD such as "
                                 "2022-04-01, not '2021-13-01'");
    assert_int_equal(pccs_query_date("at", "2020-02-29", &d, &err), PCCS_OK);
    assert_int_equal(d, pccs_date_from_ymd(2020, 2, 29));
}

static void
test_query_table_forms(void **state)
{
    (void)state;
    const char *describe;
    struct pccs_table_query q;
    struct pccs_period_buf b[2];
    struct pccs_err err = PCCS_ERR_INIT;
    const struct pccs_table_def *pay = pccs_table_def_find("payments");
    const struct pccs_table_def *wf = pccs_table_def_find("workforce");
    const struct pccs_table_def *risks = pccs_table_def_find("risks");
    assert_int_equal(pccs_query_period_forms(pay, &describe), PCCS_PERIOD_FY);
    assert_int_equal(pccs_query_period_forms(wf, &describe), PCCS_PERIOD_DATE);
    assert_int_equal(pccs_query_period_forms(risks, &describe),
                     PCCS_PERIOD_NONE);

    memset(&q, 0, sizeof(q));
    q.period = "2022/23";
    q.compare = "2020-21";
    assert_int_equal(pccs_query_check_periods(pay, &q, "--", true, b, &err),
                     PCCS_OK);
    assert_string_equal(q.period, "2022-23");
    q.compare = "later";
    assert_int_equal(pccs_query_check_periods(pay, &q, "", true, b, &err),
                     PCCS_EINVAL);
    assert_string_equal(err.msg, "compare must be a financial year such as "
                                 "2022-23, not 'later'");
    memset(&q, 0, sizeof(q));
    q.period = "2022-23";
    assert_int_equal(pccs_query_check_periods(wf, &q, "--", true, b, &err),
                     PCCS_EINVAL);
    assert_non_null(strstr(err.msg, "workforce takes no --year"));
    q.period = "2022-09-30";
    assert_int_equal(pccs_query_check_periods(wf, &q, "--", false, b, &err),
                     PCCS_OK);
    assert_int_equal(pccs_query_check_periods(risks, &q, "--", false, b, &err),
                     PCCS_EINVAL);
}

static void
add(struct pccs_tree *t, const char *code, const char *level, const char *name)
{
    struct pccs_org_row o = {.code = code,
                             .level = level,
                             .name = name,
                             .open_date = PCCS_DAY_NONE,
                             .close_date = PCCS_DAY_NONE};
    pccs_tree_add_org(t, &o);
}

static void
test_query_org_any_case_and_suggestions(void **state)
{
    (void)state;
    struct pccs_tree t = PCCS_TREE_INIT;
    add(&t, "U89141", "pcn", "STOCKTON PCN");
    add(&t, "U07032", "pcn", "NORTH STOCKTON PCN");
    add(&t, "U89143", "pcn", "SOUTH COASTAL MEDICAL GROUP PCN");
    add(&t, "16C", "sub_icb", "NHS Tees Valley CCG");
    add(&t, "QHM", "icb", "NHS North East and North Cumbria ICB");
    add(&t, "RX1", "trust", "STOCKTON TRUST");
    pccs_tree_finish(&t);
    struct pccs_err err = PCCS_ERR_INIT;
    int u = pccs_tree_find(&t, "U89141");
    assert_int_equal(pccs_query_org(&t, "", "u89141", &err), u);
    assert_int_equal(pccs_query_org(&t, "", "qhm", &err),
                     pccs_tree_find(&t, "QHM"));
    assert_int_equal(pccs_query_org(&t, "", "16c", &err),
                     pccs_tree_find(&t, "16C"));

    /* One edit away: the longer common beginning first. */
    assert_int_equal(pccs_query_org(&t, "in: ", "U8914", &err), PCCS_ENOTFOUND);
    assert_string_equal(err.msg,
                        "in: unknown organisation U8914; did you mean U89141 "
                        "STOCKTON PCN (pcn), U89143 SOUTH COASTAL MEDICAL "
                        "GROUP PCN (pcn)");
    /* A name: every organisation of the tree whose name has it, the
     * higher level first; a trust is beside the tree, not in it. */
    assert_int_equal(pccs_query_org(&t, "", "stockton", &err), PCCS_ENOTFOUND);
    assert_string_equal(err.msg,
                        "unknown organisation stockton; 2 whose name "
                        "contains it: U07032 NORTH STOCKTON PCN (pcn), "
                        "U89141 STOCKTON PCN (pcn)");
    assert_int_equal(pccs_query_org(&t, "", "zzzzzz", &err), PCCS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no code or name is close to it"));
    pccs_tree_release(&t);
}

/* One parser for the command line's options and the API's parameters. */
static void
test_query_parse(void **state)
{
    (void)state;
    const struct pccs_table_def *pay = pccs_table_def_find("payments");
    const struct pccs_table_def *pop = pccs_table_def_find("populations");
    struct pccs_query_parsed pq;
    struct pccs_err err = PCCS_ERR_INIT;
    /* Either spelling of a name; the year in its stored form. */
    struct pccs_query_arg a[] = {{.name = "level", .value = "pcn"},
                                 {.name = "in", .value = "u89141"},
                                 {.name = "year", .value = "2022/23"},
                                 {.name = "compare", .value = "2020-2021"},
                                 {.name = "contract", .value = "GMS"},
                                 {.name = "include-synthetic", .value = "1"},
                                 {.name = "explain", .value = "true"},
                                 {.name = "suppress", .value = "0"},
                                 {.name = "group", .value = ""}};
    assert_int_equal(pccs_query_parse(pay, a, 9, "--", &pq, &err), PCCS_OK);
    assert_int_equal(pq.q.level, PCCS_PCN);
    assert_string_equal(pq.q.in, "u89141"); /* checked against the tree */
    assert_string_equal(pq.q.period, "2022-23");
    assert_string_equal(pq.q.compare, "2020-21");
    assert_string_equal(pq.q.contract, "GMS");
    assert_true(pq.q.include_synthetic && pq.q.explain);
    assert_false(pq.q.suppress);
    assert_null(pq.q.group); /* empty: absent, as the API's arg() */
    assert_true(pq.from_year);
    assert_int_equal(pq.q.at, PCCS_DAY_NONE);

    /* The same checks and messages on both front ends, names as spelled. */
    static const struct {
        const char *n1, *v1, *n2, *v2, *names, *msg;
    } bad[] = {
        {"year", "2022-23", "period", "2022-23", "--",
         "give --year or --period, not both"},
        {"year", "2022-23", "period", "2022-23", "",
         "give year or period, not both"},
        {"level", "galaxy", "in", "16C", "",
         "level must be practice, pcn, place, sub_icb, icb, region or "
         "england, not 'galaxy'"},
        {"at", "2021-13-01", "in", "16C", "--",
         "--at must be a date YYYY-MM-DD such as 2022-04-01, not "
         "'2021-13-01'"},
        {"at", "2021-01-01", "period", "2021-01-01", "",
         "give at or period, not both"},
        {"contract", "GMS", "in", "16C", "--",
         "--contract is for the payments table"},
        {"period", "banana", "in", "16C", "",
         "period must be a financial year such as 2022-23 or a snapshot "
         "date YYYY-MM-DD such as 2021-01-01, not 'banana'"},
        {"colour", "red", "in", "16C", "--", "no option --colour"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pccs_query_arg b[] = {{.name = bad[i].n1, .value = bad[i].v1},
                                     {.name = bad[i].n2, .value = bad[i].v2}};
        assert_int_equal(pccs_query_parse(pop, b, 2, bad[i].names, &pq, &err),
                         PCCS_EINVAL);
        assert_string_equal(err.msg, bad[i].msg);
    }
    /* Every table at once (def NULL): the year is a financial year. */
    struct pccs_query_arg y[] = {{.name = "period", .value = "2021-01-01"}};
    assert_int_equal(pccs_query_parse(NULL, y, 1, "--", &pq, &err),
                     PCCS_EINVAL);
    assert_string_equal(err.msg, "--period must be a financial year such as "
                                 "2022-23, not '2021-01-01'");
    /* A flag is on for 1 or true only. */
    struct pccs_query_arg f[] = {{.name = "suppress", .value = "yes"}};
    assert_int_equal(pccs_query_parse(pop, f, 1, "", &pq, &err), PCCS_OK);
    assert_false(pq.q.suppress);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_period_forms),
        cmocka_unit_test(test_query_table_forms),
        cmocka_unit_test(test_query_org_any_case_and_suggestions),
        cmocka_unit_test(test_query_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
