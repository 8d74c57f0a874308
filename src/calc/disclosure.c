/* SPDX-License-Identifier: MIT */
#include "calc/disclosure.h"

#include <math.h>

enum pccs_sdc_result
pccs_sdc_count(const struct pccs_sdc_rule *r, double n, bool national,
               double *shown)
{
    *shown = n;
    if (national || !isfinite(n) || n <= 0)
        return PCCS_SDC_SHOWN;
    /* A fractional count (an FTE) below 1 is still one individual. */
    if (n <= r->suppress_max)
        return PCCS_SDC_SUPPRESSED;
    if (r->round_to > 0)
        *shown = round(n / r->round_to) * r->round_to;
    return PCCS_SDC_SHOWN;
}
