/* SPDX-License-Identifier: MIT */
/* Workforce rates. */
#include "calc/workforce.h"

#include <math.h>

double
pccs_workforce_per_10k(double fte, double pop)
{
    return pop > 0 ? fte * 10000.0 / pop : NAN;
}
