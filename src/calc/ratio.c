/* SPDX-License-Identifier: MIT */
/* Rates, percentages, growth and shares with one rule for 0 / 0. */
#include "calc/ratio.h"

#include <math.h>

static double
quotient(double num, double den)
{
    if (!isfinite(num) || !isfinite(den) || den <= 0)
        return NAN;
    return num / den;
}

double
pccs_rate_per(double num, double den, double per)
{
    return quotient(num, den) * per;
}

double
pccs_pct(double num, double den)
{
    return quotient(num, den) * 100.0;
}

double
pccs_growth_pct(double now, double before)
{
    return quotient(now - before, before) * 100.0;
}

double
pccs_change_pct(double now, double before)
{
    return (quotient(now, before) - 1.0) * 100.0;
}

double
pccs_change(double now, double before)
{
    if (!isfinite(now) || !isfinite(before))
        return NAN;
    return now - before;
}

double
pccs_share(double part, double whole)
{
    return quotient(part, whole);
}
