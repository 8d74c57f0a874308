/* SPDX-License-Identifier: MIT */
/* The arrs table's arithmetic (calc/arrs.h). */
#include "calc/arrs.h"

#include "calc/ratio.h"

double
pccs_arrs_cost(double fte, double max_per_wte)
{
    return fte * max_per_wte;
}

double
pccs_arrs_per_wte(double cost, double fte)
{
    return pccs_rate_per(cost, fte, 1);
}

double
pccs_arrs_share_pct(double cost, double arrs_sum)
{
    return pccs_pct(cost, arrs_sum);
}
