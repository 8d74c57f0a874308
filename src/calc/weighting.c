/* SPDX-License-Identifier: MIT */
/* Normalising an age-sex weighted list to the registered total. */
#include "calc/weighting.h"

#include <math.h>

double
pccs_weighting_normalise(const double *adj, const double *reg, size_t n,
                         double *est)
{
    double sa = 0, sr = 0;
    for (size_t i = 0; i < n; i++) {
        sa += adj[i];
        sr += reg[i];
    }
    double af = sa > 0 ? sr / sa : NAN;
    for (size_t i = 0; i < n; i++)
        est[i] = adj[i] * af;
    return af;
}
