/* SPDX-License-Identifier: MIT */
/* QOF prevalence, APDF, CPI and point values. */
#include "calc/qof.h"

#include <math.h>

double
pccs_qof_prevalence(double reg, double list)
{
    return list > 0 ? 100.0 * reg / list : NAN;
}

double
pccs_qof_apdf(double practice_prev, double national_prev)
{
    return national_prev > 0 ? practice_prev / national_prev : NAN;
}

double
pccs_qof_cpi(double list, double average_list)
{
    return average_list > 0 ? list / average_list : NAN;
}

double
pccs_qof_point_value(double pounds_per_point, double cpi, double apdf)
{
    return pounds_per_point * cpi * apdf;
}

struct pccs_qof_factors
pccs_qof_factors(double prev, double nat, double list, double avg, double ppp)
{
    struct pccs_qof_factors f = {.apdf = pccs_qof_apdf(prev, nat),
                                 .cpi = pccs_qof_cpi(list, avg)};
    f.point_value = pccs_qof_point_value(ppp, f.cpi, f.apdf);
    return f;
}
