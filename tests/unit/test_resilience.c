/* SPDX-License-Identifier: MIT */
/*
 * Resilience ratings by hand: red rules before amber, the first matching
 * rule, percentile rules that cannot match without peers, no data, and
 * the overall rating from counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>

#include "calc/resilience.h"

static void
rules(struct pccs_res_rules *rs)
{
    const struct pccs_res_rule r[] = {
        {PCCS_RES_LIST, PCCS_RES_BELOW_VALUE, 4000, PCCS_RAG_AMBER, NULL},
        {PCCS_RES_LIST, PCCS_RES_BELOW_VALUE, 2500, PCCS_RAG_RED, NULL},
        {PCCS_RES_GPFTE, PCCS_RES_BELOW_PCT, 10, PCCS_RAG_RED, NULL},
        {PCCS_RES_DNA, PCCS_RES_ABOVE_PCT, 90, PCCS_RAG_AMBER, NULL},
        {PCCS_RES_OVERALL, PCCS_RES_COUNT_RED, 1, PCCS_RAG_RED, NULL},
        {PCCS_RES_OVERALL, PCCS_RES_COUNT_AMBER, 2, PCCS_RAG_RED, NULL},
        {PCCS_RES_OVERALL, PCCS_RES_COUNT_AMBER, 1, PCCS_RAG_AMBER, NULL},
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        pccs_res_rules_add(rs, &r[i]);
}

static void
test_resilience_rate(void **state)
{
    (void)state;
    struct pccs_res_rules rs = {NULL, 0, 0};
    rules(&rs);
    /* ICB 10th percentile of GP FTE 4.2; 90th of DNA 6.0; NaN: no peers. */
    double ag[] = {4000, 2500, 4.2, 6.0, 1, 2, 1};
    struct pccs_res_result r = pccs_res_rate(&rs, PCCS_RES_LIST, 2000, ag);
    assert_int_equal(r.rag, PCCS_RAG_RED); /* red tried before amber */
    assert_int_equal(r.rule, 1);
    assert_true(r.against == 2500);
    r = pccs_res_rate(&rs, PCCS_RES_LIST, 3999, ag);
    assert_int_equal(r.rag, PCCS_RAG_AMBER);
    r = pccs_res_rate(&rs, PCCS_RES_LIST, 4000, ag); /* not below */
    assert_int_equal(r.rag, PCCS_RAG_GREEN);
    assert_int_equal(r.rule, -1);
    r = pccs_res_rate(&rs, PCCS_RES_GPFTE, 4.19, ag);
    assert_int_equal(r.rag, PCCS_RAG_RED);
    assert_true(r.against == 4.2);
    r = pccs_res_rate(&rs, PCCS_RES_DNA, 6.01, ag);
    assert_int_equal(r.rag, PCCS_RAG_AMBER);
    r = pccs_res_rate(&rs, PCCS_RES_QOF, 1.0, ag); /* no rule: green */
    assert_int_equal(r.rag, PCCS_RAG_GREEN);
    r = pccs_res_rate(&rs, PCCS_RES_LIST, NAN, ag);
    assert_int_equal(r.rag, PCCS_RAG_NONE);
    double nopeers[] = {4000, 2500, NAN, NAN, 1, 2, 1};
    r = pccs_res_rate(&rs, PCCS_RES_GPFTE, 0.1, nopeers);
    assert_int_equal(r.rag, PCCS_RAG_GREEN);
    pccs_res_rules_release(&rs);
}

static void
test_resilience_overall(void **state)
{
    (void)state;
    struct pccs_res_rules rs = {NULL, 0, 0};
    rules(&rs);
    struct pccs_res_result res[PCCS_RES_NIND];
    for (int i = 0; i < PCCS_RES_NIND; i++)
        res[i] = (struct pccs_res_result){PCCS_RAG_NONE, -1, NAN};
    struct pccs_res_overall ov = pccs_res_overall(&rs, res);
    assert_int_equal(ov.rag, PCCS_RAG_NONE); /* nothing rated */
    res[0].rag = PCCS_RAG_GREEN;
    ov = pccs_res_overall(&rs, res);
    assert_int_equal(ov.rag, PCCS_RAG_GREEN);
    res[1].rag = PCCS_RAG_AMBER;
    ov = pccs_res_overall(&rs, res);
    assert_int_equal(ov.rag, PCCS_RAG_AMBER);
    assert_int_equal(ov.ambers, 1);
    res[2].rag = PCCS_RAG_AMBER; /* two ambers make red */
    ov = pccs_res_overall(&rs, res);
    assert_int_equal(ov.rag, PCCS_RAG_RED);
    assert_int_equal(ov.rule, 5);
    res[1].rag = res[2].rag = PCCS_RAG_GREEN;
    res[3].rag = PCCS_RAG_RED;
    ov = pccs_res_overall(&rs, res);
    assert_int_equal(ov.rag, PCCS_RAG_RED);
    assert_int_equal(ov.reds, 1);
    assert_string_equal(pccs_rag_name(ov.rag), "red");
    assert_true(fabs(pccs_res_change_pct(110, 100) - 10) < 1e-12);
    assert_true(isnan(pccs_res_change_pct(110, 0)));
    assert_true(isnan(pccs_res_per_patient(5, 0)));
    pccs_res_rules_release(&rs);
}

/*
 * What each rule compares with: thresholds as they are, percentiles of
 * the peers' values. GP FTE of peers 5, 3, (none), 4, 6: the 10th
 * percentile of 3, 4, 5, 6 is 3 + 0.3 x (4 - 3) = 3.3. DNA 2, 4, 6, 8,
 * 10: the 90th is 8 + 0.6 x (10 - 8) = 9.2.
 */
static void
test_resilience_against(void **state)
{
    (void)state;
    struct pccs_res_rules rs = {NULL, 0, 0};
    rules(&rs);
    double peers[5][PCCS_RES_NIND];
    const double fte[5] = {5, 3, NAN, 4, 6}, dna[5] = {2, 4, 6, 8, 10};
    for (int j = 0; j < 5; j++) {
        for (int i = 0; i < PCCS_RES_NIND; i++)
            peers[j][i] = NAN;
        peers[j][PCCS_RES_GPFTE] = fte[j];
        peers[j][PCCS_RES_DNA] = dna[j];
    }
    double col[5], ag[7];
    pccs_res_against(&rs, (const double(*)[PCCS_RES_NIND])peers, 5, col, ag);
    assert_true(ag[0] == 4000 && ag[1] == 2500);
    assert_true(fabs(ag[2] - 3.3) < 1e-12);
    assert_true(fabs(ag[3] - 9.2) < 1e-12);
    assert_true(ag[4] == 1 && ag[5] == 2 && ag[6] == 1);
    /* No peers: percentile rules have nothing to compare with. */
    pccs_res_against(&rs, (const double(*)[PCCS_RES_NIND])peers, 0, col, ag);
    assert_true(ag[0] == 4000);
    assert_true(isnan(ag[2]) && isnan(ag[3]));
    pccs_res_rules_release(&rs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resilience_rate),
        cmocka_unit_test(test_resilience_overall),
        cmocka_unit_test(test_resilience_against),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
