/* SPDX-License-Identifier: MIT */
/*
 * Practice resilience ratings: each indicator is rated red, amber or
 * green by rules (indicator, comparator, threshold, RAG) read from a
 * rules file; percentile comparators are resolved by the caller against
 * the practice's peers (its ICB) and passed in. Pure.
 */
#ifndef PCCS_CALC_RESILIENCE_H
#define PCCS_CALC_RESILIENCE_H

#include <stddef.h>

enum pccs_rag {
    PCCS_RAG_NONE = -1, /* no data */
    PCCS_RAG_GREEN = 0,
    PCCS_RAG_AMBER = 1,
    PCCS_RAG_RED = 2,
};

enum pccs_res_ind {
    PCCS_RES_LIST,
    PCCS_RES_CHANGE,
    PCCS_RES_GPFTE,
    PCCS_RES_PAY,
    PCCS_RES_QOF,
    PCCS_RES_DNA,
    PCCS_RES_CLOSURES,
    PCCS_RES_NIND,
    PCCS_RES_OVERALL = 100,
};

enum pccs_res_cmp {
    PCCS_RES_BELOW_VALUE,
    PCCS_RES_ABOVE_VALUE,
    PCCS_RES_BELOW_PCT,
    PCCS_RES_ABOVE_PCT,
    PCCS_RES_COUNT_RED,
    PCCS_RES_COUNT_AMBER,
};

struct pccs_res_rule {
    int indicator; /* enum pccs_res_ind */
    enum pccs_res_cmp cmp;
    double threshold; /* a value, a percentile (0-100) or a count */
    enum pccs_rag rag;
    char *source;
};

struct pccs_res_rules {
    struct pccs_res_rule *r;
    size_t n, cap;
};

/** Append a copy of *ru (source is taken over). */
void pccs_res_rules_add(struct pccs_res_rules *rs,
                        const struct pccs_res_rule *ru);
void pccs_res_rules_release(struct pccs_res_rules *rs);

struct pccs_res_result {
    enum pccs_rag rag;
    int rule;       /* the rule that set an amber or red, else -1 */
    double against; /* that rule's threshold or percentile value */
};

/**
 * Rate value v of indicator ind. against[k] is what rule k compares with:
 * its threshold for value rules, the peers' percentile for percentile
 * rules (NaN when the peers have no value: the rule cannot match). Red
 * rules are tried before amber, each in file order. NaN v: no data.
 */
struct pccs_res_result pccs_res_rate(const struct pccs_res_rules *rs, int ind,
                                     double v, const double *against);

struct pccs_res_overall {
    enum pccs_rag rag;
    int reds, ambers, rule;
};

/** The overall rating of a practice from its indicators' results. */
struct pccs_res_overall
pccs_res_overall(const struct pccs_res_rules *rs,
                 const struct pccs_res_result res[PCCS_RES_NIND]);

/**
 * What each of the rs->n rules compares with, into against[]: the rule's
 * threshold, or for a percentile rule the percentile of the peers'
 * values of its indicator (NaN with no peers). peers[j] holds peer j's
 * indicator values (NaN: none); col is scratch room for n values.
 */
void pccs_res_against(const struct pccs_res_rules *rs,
                      const double (*peers)[PCCS_RES_NIND], size_t n,
                      double *col, double *against);

/** "red", "amber", "green" or "none". */
const char *pccs_rag_name(enum pccs_rag rag);
/** (now / before - 1) x 100; NaN if before is not positive. */
double pccs_res_change_pct(double now, double before);
/** amount / patients; NaN if patients is not positive. */
double pccs_res_per_patient(double amount, double patients);

#endif
