/* SPDX-License-Identifier: MIT */
/* Normalising an age-sex weighted list to the registered total. */
#include "calc/weighting.h"

#include <math.h>
#include <stdbool.h>

#include "calc/ratio.h"

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

struct pccs_weighting_cmp
pccs_weighting_compare(double registered, double published, double estimate,
                       double estimate_published)
{
    bool pub = published > 0;
    double diff = estimate_published - published;
    return (struct pccs_weighting_cmp){
        .published = pub ? published : NAN,
        .published_ratio = pub ? pccs_share(published, registered) : NAN,
        .estimate_ratio = pccs_share(estimate, registered),
        .difference = pub ? diff : NAN,
        .difference_pct = pub ? pccs_pct(diff, published) : NAN,
    };
}
