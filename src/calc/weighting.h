/* SPDX-License-Identifier: MIT */
/*
 * An age-sex estimate of the weighted list: each practice's registrations
 * by age and sex times the workload weights, normalised so that the total
 * estimate equals the total registered of the practices given
 * (reference/rules.md 1.2: ADJ = sum of weight x count; AF = sum registered
 * / sum ADJ; estimate = ADJ x AF). Pure.
 */
#ifndef PCCS_CALC_WEIGHTING_H
#define PCCS_CALC_WEIGHTING_H

#include <stddef.h>

/**
 * adj[i] is practice i's weighted count (sum of weight x count) and reg[i]
 * its registered total; writes est[i]. Returns the normalising factor AF
 * (NaN if the weighted total is 0).
 */
double pccs_weighting_normalise(const double *adj, const double *reg, size_t n,
                                double *est);

#endif
