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

/** An organisation's weighted lists against its registered list. */
struct pccs_weighting_cmp {
    double published;       /* NaN when no practice has a figure */
    double published_ratio; /* published / registered */
    double estimate_ratio;  /* estimate / registered */
    double difference;      /* estimate - published, of the same practices */
    double difference_pct;  /* that difference in percent of published */
};

/**
 * From the summed registered list, published weighted list (0 when no
 * practice has one), age-sex estimate, and estimate of the practices
 * that have a published figure. NaN where undefined.
 */
struct pccs_weighting_cmp pccs_weighting_compare(double registered,
                                                 double published,
                                                 double estimate,
                                                 double estimate_published);

#endif
