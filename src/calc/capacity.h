/* SPDX-License-Identifier: MIT */
/*
 * Capacity: appointments (GPAD) against the registered list. Per
 * organisation and month, appointments and attended appointments per
 * 1,000 registered patients, the DNA, face-to-face and GP shares of all
 * appointments in percent, and growth over 12 months: appointments
 * against the same month a year before, and the registered list against
 * the list of that month (only when the two months use different
 * registrations snapshots 330 to 400 days apart, as calc/period.h counts
 * "12 months earlier": a list five years older is not 12 months' growth).
 * Pure; NaN where undefined.
 */
#ifndef PCCS_CALC_CAPACITY_H
#define PCCS_CALC_CAPACITY_H

#include <stddef.h>

#include "base/date.h"

/** One organisation's month: appointments by marginal, and its list. */
struct pccs_capacity_month {
    double total, attended, dna, f2f, gp; /* appointments */
    double registered;                    /* the month's list */
    double practices;                     /* practices counted */
    int snapshot;      /* index of the registrations snapshot used */
    pccs_day list_day; /* and its date */
};

/** The rates of a month. */
struct pccs_capacity_rates {
    double per_1000, attended_per_1000;
    double dna_pct, f2f_pct, gp_pct;
    double growth_12m_pct, list_growth_12m_pct;
};

/**
 * The rates of month now; before is the same month a year earlier, or
 * NULL when none is loaded.
 */
struct pccs_capacity_rates
pccs_capacity_rates(const struct pccs_capacity_month *now,
                    const struct pccs_capacity_month *before);

/**
 * The registrations snapshot for month: the index of the latest of the n
 * snapshots on or before it, else of the earliest; 0 when n is 0.
 */
size_t pccs_capacity_snapshot(const pccs_day *snaps, size_t n, pccs_day month);

#endif
