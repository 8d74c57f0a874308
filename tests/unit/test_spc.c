/* SPDX-License-Identifier: MIT */
/*
 * The SPC engine against every series in tests/data/spc-reference (output
 * of the NHS-R reference implementation, NHSRplotthedots 0.2.2): limits to
 * 1e-6 and the type of every point, plus the reference package's own
 * rule examples (reference/rules.md section 6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/spc.h"

#define REF_DIR "tests/data/spc-reference"
#define MAXN 256

struct ref {
    double y[MAXN], mean[MAXN], lpl[MAXN], upl[MAXN];
    char type[MAXN][40];
    size_t n;
    struct pccs_spc_options opt;
    char assurance[32];
};

static void
read_meta(const char *path, struct ref *r)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    r->opt = (struct pccs_spc_options)PCCS_SPC_OPTIONS_INIT;
    strcpy(r->assurance, "none");
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(line, "improvement_direction") == 0)
            r->opt.direction = strcmp(v, "decrease") == 0  ? PCCS_SPC_DECREASE
                               : strcmp(v, "neutral") == 0 ? PCCS_SPC_NEUTRAL
                                                           : PCCS_SPC_INCREASE;
        else if (strcmp(line, "target") == 0 && strcmp(v, "none") != 0) {
            r->opt.has_target = true;
            r->opt.target = atof(v);
        }
        else if (strcmp(line, "screen_outliers") == 0)
            r->opt.screen = strcmp(v, "TRUE") == 0;
        else if (strcmp(line, "fix_after_n_points") == 0 &&
                 strcmp(v, "none") != 0)
            r->opt.fix_after = (size_t)atoi(v);
        else if (strcmp(line, "rebase") == 0)
            assert_string_equal(v, "none"); /* none in the reference set */
        else if (strcmp(line, "assurance") == 0)
            snprintf(r->assurance, sizeof(r->assurance), "%s", v);
    }
    fclose(f);
}

static void
read_csv(const char *path, struct ref *r)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    assert_non_null(fgets(line, sizeof(line), f));
    assert_int_equal(strncmp(line, "date,value,mean,lpl,upl,point_type", 34),
                     0);
    r->n = 0;
    while (fgets(line, sizeof(line), f) && r->n < MAXN) {
        char date[16];
        int k =
            sscanf(line, "%15[^,],%lf,%lf,%lf,%lf,%39s", date, &r->y[r->n],
                   &r->mean[r->n], &r->lpl[r->n], &r->upl[r->n], r->type[r->n]);
        assert_int_equal(k, 6);
        r->n++;
    }
    fclose(f);
}

static void
check_close(double got, double want, const char *what, const char *series,
            size_t i)
{
    if (fabs(got - want) > 1e-6) {
        fail_msg("%s point %zu: %s = %.12f, reference %.12f", series, i + 1,
                 what, got, want);
    }
}

static void
test_spc_matches_every_reference_series(void **state)
{
    (void)state;
    DIR *d = opendir(REF_DIR);
    assert_non_null(d);
    struct dirent *e;
    int series = 0;
    struct ref *r = malloc(sizeof(*r));
    struct pccs_spc_point *p = calloc(MAXN, sizeof(*p));
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char path[512], meta[512], name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(len - 4), e->d_name);
        snprintf(path, sizeof(path), "%s/%s.csv", REF_DIR, name);
        snprintf(meta, sizeof(meta), "%s/%s.meta", REF_DIR, name);
        read_meta(meta, r);
        read_csv(path, r);
        enum pccs_spc_assurance a;
        bool short_group;
        assert_int_equal(
            pccs_spc_compute(r->y, r->n, &r->opt, p, &a, &short_group), 0);
        for (size_t i = 0; i < r->n; i++) {
            check_close(p[i].mean, r->mean[i], "mean", name, i);
            check_close(p[i].lpl, r->lpl[i], "lpl", name, i);
            check_close(p[i].upl, r->upl[i], "upl", name, i);
            if (strcmp(pccs_spc_type_name(p[i].type), r->type[i]) != 0)
                fail_msg("%s point %zu: %s, reference %s", name, i + 1,
                         pccs_spc_type_name(p[i].type), r->type[i]);
        }
        assert_string_equal(pccs_spc_assurance_name(a), r->assurance);
        assert_false(short_group); /* every reference series has >= 13 */
        series++;
    }
    closedir(d);
    free(r);
    free(p);
    assert_int_equal(series, 7);
}

static void
run_types(const double *y, size_t n, enum pccs_spc_direction dir,
          enum pccs_spc_rule *rule, int *high)
{
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.direction = dir;
    struct pccs_spc_point p[64];
    enum pccs_spc_assurance a;
    bool s;
    assert_int_equal(pccs_spc_compute(y, n, &o, p, &a, &s), 0);
    for (size_t i = 0; i < n; i++) {
        rule[i] = p[i].rule;
        high[i] = p[i].high;
    }
}

/* Equal consecutive values break a trend: c(1:3, 3:6) has none. */
static void
test_spc_repeated_value_breaks_trend(void **state)
{
    (void)state;
    double y[] = {10, 1, 2, 3, 3, 4, 5, 6, 10, 10, 10, 10, 10, 10};
    enum pccs_spc_rule rule[14];
    int high[14];
    run_types(y, 14, PCCS_SPC_INCREASE, rule, high);
    for (size_t i = 1; i < 8; i++)
        assert_int_not_equal(rule[i], PCCS_SPC_RULE_TREND);
}

/* The deviations vignette: screened AMR 1.0, unscreened 1.88235. */
/*
 * A floor raises the lower limits that fall below it, and only those:
 * mean, upper limits and point types are the unfloored run's (minutes
 * 0..240: mean 120, average moving range 120, lower limit 120 - 319.2).
 */
static void
test_spc_floor_raises_only_low_limits(void **state)
{
    (void)state;
    const double y[] = {0, 120, 240, 120, 0, 120, 240, 120, 0, 120, 240, 120};
    size_t n = sizeof(y) / sizeof(y[0]);
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    struct pccs_spc_point raw[12], fl[12];
    enum pccs_spc_assurance a;
    bool sh;
    assert_int_equal(pccs_spc_compute(y, n, &o, raw, &a, &sh), 0);
    o.has_floor = true;
    o.floor = 0;
    assert_int_equal(pccs_spc_compute(y, n, &o, fl, &a, &sh), 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(fabs(raw[i].lpl - (120 - 2.66 * 120)) < 1e-9);
        assert_true(fl[i].lpl == 0 && fl[i].nlpl == 0);
        assert_true(fl[i].upl == raw[i].upl && fl[i].mean == raw[i].mean);
        assert_int_equal(fl[i].type, raw[i].type);
    }
    o.floor = -1000; /* below the limit: nothing to raise */
    assert_int_equal(pccs_spc_compute(y, n, &o, fl, &a, &sh), 0);
    assert_true(fl[0].lpl == raw[0].lpl && fl[0].nlpl == raw[0].nlpl);
}

static void
test_spc_screening_matches_rules_md(void **state)
{
    (void)state;
    double y[] = {1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    struct pccs_spc_point p[18];
    enum pccs_spc_assurance a;
    bool s;
    assert_int_equal(pccs_spc_compute(y, 18, &o, p, &a, &s), 0);
    assert_true(fabs(p[0].mean - 1.944444) < 1e-5);
    assert_true(fabs(p[0].lpl - -0.7156) < 1e-4);
    assert_true(fabs(p[0].upl - 4.6044) < 1e-4);
    o.screen = false;
    assert_int_equal(pccs_spc_compute(y, 18, &o, p, &a, &s), 0);
    assert_true(fabs(p[0].lpl - -3.0626) < 1e-4);
    assert_true(fabs(p[0].upl - 6.9515) < 1e-4);
}

/* Two points near opposite limits are common cause (reference test). */
static void
test_spc_two_in_three_needs_one_side(void **state)
{
    (void)state;
    double y[16];
    for (size_t i = 0; i < 16; i++)
        y[i] = i % 2 ? -1 : 1;
    y[14] = 5.5;
    y[15] = -5.5;
    enum pccs_spc_rule rule[16];
    int high[16];
    run_types(y, 16, PCCS_SPC_INCREASE, rule, high);
    assert_int_equal(rule[14], PCCS_SPC_RULE_NONE);
    assert_int_equal(rule[15], PCCS_SPC_RULE_NONE);
}

static void
test_spc_rebase_fix_target_and_short_warning(void **state)
{
    (void)state;
    double y[20];
    for (size_t i = 0; i < 20; i++)
        y[i] = i < 10 ? 10 + (double)(i % 2) : 20 + (double)(i % 2);
    size_t rebase[] = {10};
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.rebase = rebase;
    o.nrebase = 1;
    o.has_target = true;
    o.target = 30;
    struct pccs_spc_point p[20];
    enum pccs_spc_assurance a;
    bool s;
    assert_int_equal(pccs_spc_compute(y, 20, &o, p, &a, &s), 0);
    assert_true(fabs(p[0].mean - 10.5) < 1e-12);
    assert_true(fabs(p[19].mean - 20.5) < 1e-12);
    assert_int_equal(p[19].group, 1);
    assert_true(s); /* two groups of 10 < 13 */
    /* Target above the upper limit with increase: consistent fail. */
    assert_int_equal(a, PCCS_SPC_CONSISTENT_FAIL);
    o.direction = PCCS_SPC_DECREASE;
    assert_int_equal(pccs_spc_compute(y, 20, &o, p, &a, &s), 0);
    assert_int_equal(a, PCCS_SPC_CONSISTENT_PASS);
    /* Limits fixed on the first 4 points of each group. */
    o.fix_after = 4;
    o.nrebase = 0;
    assert_int_equal(pccs_spc_compute(y, 20, &o, p, &a, &s), 0);
    assert_true(fabs(p[19].mean - 10.5) < 1e-12);
    assert_int_equal(p[19].type, PCCS_SPC_CONCERN); /* high, decrease */
    size_t bad[] = {0};
    o.rebase = bad;
    o.nrebase = 1;
    assert_int_equal(pccs_spc_compute(y, 20, &o, p, &a, &s), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spc_matches_every_reference_series),
        cmocka_unit_test(test_spc_repeated_value_breaks_trend),
        cmocka_unit_test(test_spc_screening_matches_rules_md),
        cmocka_unit_test(test_spc_floor_raises_only_low_limits),
        cmocka_unit_test(test_spc_two_in_three_needs_one_side),
        cmocka_unit_test(test_spc_rebase_fix_target_and_short_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
