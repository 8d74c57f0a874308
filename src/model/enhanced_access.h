/* SPDX-License-Identifier: MIT */
/*
 * Enhanced access over a period (issue 19), for the committee report:
 * the enhanced-access table (model/tables.h) summed per PCN over the
 * weeks of one financial year, and week by week over the organisation.
 */
#ifndef PCCS_MODEL_ENHANCED_ACCESS_H
#define PCCS_MODEL_ENHANCED_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "model/result.h"
#include "model/tree.h"

struct pccs_store;

struct pccs_ea_period {
    /* By PCN: code, name, parent_code, weeks, required_minutes,
     * offered_minutes, delivered_minutes, offered_pct_required,
     * delivered_pct_required; with the enhanced-access table's notes. */
    struct pccs_table pcns;
    char fy[8];            /* "2026-27" */
    char from[11], to[11]; /* the first and last week (Mondays) */
    size_t nweeks;         /* every week from from to to */
    char (*week)[11];      /* nweeks Mondays */
    /* Each week, summed over the PCNs listed; required NaN if any PCN's
     * required minutes are not known. */
    double *required, *offered, *delivered;
};

/**
 * The enhanced access of the PCNs within organisation in over the
 * financial year year ("2026-27") if it has sessions; else the year of
 * today ("2026-12-02") if it has; else the latest with sessions up to
 * it; else the latest with sessions. Every week from the first to
 * the last with a slot in the organisation counts, a week with none as
 * 0 offered and delivered. *have is false (out empty) when no sessions
 * are loaded within in. Release with pccs_ea_period_release().
 */
int pccs_enhanced_access_period(struct pccs_store *st,
                                const struct pccs_tree *t, const char *in,
                                const char *year, const char *today,
                                struct pccs_ea_period *out, bool *have,
                                struct pccs_err *err);
void pccs_ea_period_release(struct pccs_ea_period *p);

#endif
