/* SPDX-License-Identifier: MIT */
/*
 * Statistical disclosure control for counts of individuals that pccs
 * derives itself (cohorts from patient-level records, local registers)
 * below national level (rules.md section 5, NHS Digital's HES/ECDS
 * method): 0 stays 0, 1 to suppress_max (7) is shown as "*", anything
 * larger is rounded to the nearest round_to (5). A total is summed from
 * the unrounded values and then controlled like any count. Published
 * figures (list sizes, appointments) are never passed through here.
 *
 * A suppressed count must not come back by subtraction: when a table
 * shows a parent's total and its children (a PCN and its practices, a
 * "Total" row and the rows above it, a row's "total" column and the
 * columns before it), one hidden child is the parent minus the others.
 * pccs_sdc_table() does the primary suppression above and then, as NHS
 * Digital's secondary (complementary) suppression does, hides one more
 * cell in every parent-and-children group that would otherwise have
 * exactly one hidden cell: the smallest shown non-zero child, else the
 * parent, else a zero child. Hiding a cell can leave another group with
 * one, so it goes on until no group has exactly one.
 */
#ifndef PCCS_CALC_DISCLOSURE_H
#define PCCS_CALC_DISCLOSURE_H

#include <stdbool.h>
#include <stddef.h>

struct pccs_sdc_rule {
    double suppress_max; /* 1 .. this are suppressed; 7 */
    double round_to;     /* larger counts to the nearest multiple; 5 */
};

enum pccs_sdc_result {
    PCCS_SDC_SHOWN,      /* *shown holds the value to show */
    PCCS_SDC_SUPPRESSED, /* show "*" */
};

/**
 * Control one count. national: England-level counts need no control
 * (shown as they are). A negative or non-finite count is shown unchanged
 * (not a count of individuals). Halves round away from zero.
 */
enum pccs_sdc_result pccs_sdc_count(const struct pccs_sdc_rule *r, double n,
                                    bool national, double *shown);

/* What a cell of a table under control is to the one who reads it. */
enum pccs_sdc_kind {
    PCCS_SDC_CONTROL, /* suppressed (1 .. suppress_max) or rounded */
    PCCS_SDC_KNOWN,   /* shown as it is and never hidden: England's, the
                         reader's own figure, a total shown elsewhere, a
                         cell with no count */
};

struct pccs_sdc_cell {
    double n; /* the count as derived */
    enum pccs_sdc_kind kind;
    /* out */
    bool suppressed; /* show "*" */
    bool complement; /* suppressed so that another cannot be recovered */
    double shown;    /* the value to show when not suppressed */
};

/* parent's count is the sum of its children's (indexes into the cells). */
struct pccs_sdc_group {
    size_t parent;
    const size_t *children;
    size_t nchildren;
};

/**
 * Control cells[0..n) (primary suppression and rounding of every CONTROL
 * cell, then complementary suppression over groups[0..ng), see above).
 * Returns the number of cells hidden in all. *unprotected (may be NULL)
 * gets the number of groups left with exactly one hidden cell because no
 * other cell of theirs could be hidden (every other one KNOWN).
 */
size_t pccs_sdc_table(const struct pccs_sdc_rule *r,
                      struct pccs_sdc_cell *cells, size_t n,
                      const struct pccs_sdc_group *groups, size_t ng,
                      size_t *unprotected);

#endif
