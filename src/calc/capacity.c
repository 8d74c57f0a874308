/* SPDX-License-Identifier: MIT */
/* Capacity rates and the registrations snapshot of a month. */
#include "calc/capacity.h"

#include <math.h>

#include "calc/period.h"
#include "calc/ratio.h"

struct pccs_capacity_rates
pccs_capacity_rates(const struct pccs_capacity_month *now,
                    const struct pccs_capacity_month *before)
{
    double tot = now->total, reg = now->registered;
    bool grow = before && before->total > 0;
    int gap = grow ? (int)(now->list_day - before->list_day) : 0;
    bool list = grow && before->snapshot != now->snapshot &&
                gap >= PCCS_PERIOD_YEAR_MIN && gap <= PCCS_PERIOD_YEAR_MAX;
    return (struct pccs_capacity_rates){
        .per_1000 = pccs_rate_per(tot, reg, 1000.0),
        .attended_per_1000 = pccs_rate_per(now->attended, reg, 1000.0),
        .dna_pct = pccs_pct(now->dna, tot),
        .f2f_pct = pccs_pct(now->f2f, tot),
        .gp_pct = pccs_pct(now->gp, tot),
        .growth_12m_pct = grow ? pccs_change_pct(tot, before->total) : NAN,
        .list_growth_12m_pct =
            list ? pccs_change_pct(reg, before->registered) : NAN,
    };
}

size_t
pccs_capacity_snapshot(const pccs_day *snaps, size_t n, pccs_day month)
{
    size_t sk = 0;
    for (size_t k = 0; k < n; k++) {
        if (snaps[k] <= month && (snaps[sk] > month || snaps[k] > snaps[sk]))
            sk = k;
        else if (snaps[sk] > month && snaps[k] < snaps[sk])
            sk = k;
    }
    return sk;
}
