/* SPDX-License-Identifier: MIT */
/*
 * Statistical disclosure control for counts of individuals that pccs
 * derives itself (cohorts from patient-level records, local registers)
 * below national level (rules.md section 5, NHS Digital's HES/ECDS
 * method): 0 stays 0, 1 to suppress_max (7) is shown as "*", anything
 * larger is rounded to the nearest round_to (5). A total is summed from
 * the unrounded values and then controlled like any count. Published
 * figures (list sizes, appointments) are never passed through here.
 */
#ifndef PCCS_CALC_DISCLOSURE_H
#define PCCS_CALC_DISCLOSURE_H

#include <stdbool.h>

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

#endif
