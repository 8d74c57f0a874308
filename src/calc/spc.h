/* SPDX-License-Identifier: MIT */
/*
 * Statistical process control (XmR) as NHS England's Making Data Count
 * reads it, with the rules of the NHS-R reference implementation
 * (NHSRplotthedots 0.2.2; see reference/rules.md section 6):
 *
 *   mean and limits per group (a rebase starts a new group), optionally
 *   fixed on a group's first N points; limits = mean -/+ 2.66 x the
 *   average moving range, after screening out moving ranges of at least
 *   3.267 x the average (screening on by default);
 *   special causes in priority order: a point outside the limits; part of
 *   a run of 7 strictly rising or falling points; 2 of 3 consecutive
 *   points beyond two thirds of the way to a limit, all 3 on one side of
 *   the mean; part of a run of 7 or more on one side of the mean;
 *   assurance of a target against the last point's limits.
 *   A measure that cannot fall below a floor (minutes, counts: zero) has
 *   its lower limits raised to the floor where they would fall below it
 *   (the reader is never shown a limit the measure cannot reach); the
 *   rules are unchanged by it, as no value lies below the floor.
 *
 * Pure: plain arrays in, plain arrays out.
 */
#ifndef PCCS_SPC_H
#define PCCS_SPC_H

#include <stdbool.h>
#include <stddef.h>

enum pccs_spc_direction {
    PCCS_SPC_INCREASE,
    PCCS_SPC_DECREASE,
    PCCS_SPC_NEUTRAL
};

enum pccs_spc_type {
    PCCS_SPC_COMMON,
    PCCS_SPC_IMPROVEMENT,
    PCCS_SPC_CONCERN,
    PCCS_SPC_NEUTRAL_HIGH,
    PCCS_SPC_NEUTRAL_LOW
};

enum pccs_spc_rule {
    PCCS_SPC_RULE_NONE,
    PCCS_SPC_RULE_OUTSIDE,
    PCCS_SPC_RULE_TREND,
    PCCS_SPC_RULE_TWO_IN_THREE,
    PCCS_SPC_RULE_RUN
};

enum pccs_spc_assurance {
    PCCS_SPC_ASSURANCE_NONE,
    PCCS_SPC_CONSISTENT_PASS,
    PCCS_SPC_CONSISTENT_FAIL,
    PCCS_SPC_INCONSISTENT
};

struct pccs_spc_options {
    enum pccs_spc_direction direction;
    bool screen; /* screen moving ranges (reference default) */
    bool has_target;
    double target;
    size_t fix_after;     /* 0: limits from all points of each group */
    const size_t *rebase; /* indices where a new group starts, ascending */
    size_t nrebase;
    bool has_floor; /* the least value the measure can take */
    double floor;
};

#define PCCS_SPC_OPTIONS_INIT                                                  \
    {                                                                          \
        PCCS_SPC_INCREASE, true, false, 0, 0, NULL, 0, false, 0                \
    }

struct pccs_spc_point {
    double mean, lpl, upl; /* centre line and process limits */
    double nlpl, nupl;     /* two thirds of the way to the limits */
    enum pccs_spc_type type;
    enum pccs_spc_rule rule; /* the rule that labelled it */
    int high;                /* +1 high, -1 low, 0 common cause */
    size_t group;
};

/** Groups shorter than this give a warning (reference default 13). */
#define PCCS_SPC_MIN_POINTS 13

/**
 * Compute the chart for y[0..n). out has n entries. *assurance is set
 * (PCCS_SPC_ASSURANCE_NONE without a target or with a neutral
 * direction); *short_group is true if any group has fewer than
 * PCCS_SPC_MIN_POINTS points. Returns 0, or -1 if a rebase index is out
 * of order or range.
 */
int pccs_spc_compute(const double *y, size_t n,
                     const struct pccs_spc_options *opt,
                     struct pccs_spc_point *out,
                     enum pccs_spc_assurance *assurance, bool *short_group);

/** "common_cause", "special_cause_improvement", ... */
const char *pccs_spc_type_name(enum pccs_spc_type t);
/** "consistent_pass", "consistent_fail", "inconsistent", "none". */
const char *pccs_spc_assurance_name(enum pccs_spc_assurance a);

#endif
