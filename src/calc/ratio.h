/* SPDX-License-Identifier: MIT */
/*
 * Rates, percentages, growth and shares: the arithmetic every table
 * shares, in one place with one rule for a missing or zero denominator.
 * Each returns NaN when the answer is undefined (a denominator that is
 * zero, negative where it cannot be, or not finite); pccs_table_num()
 * shows NaN as an empty cell, so "no patients" never prints as 0 or inf.
 */
#ifndef PCCS_CALC_RATIO_H
#define PCCS_CALC_RATIO_H

/** num per `per` of den (appointments per 1,000 patients: per = 1000). */
double pccs_rate_per(double num, double den, double per);

/** num as a percentage of den. */
double pccs_pct(double num, double den);

/** Percentage change from before to now ((now - before) / before). */
double pccs_growth_pct(double now, double before);

/**
 * Percentage change as (now / before - 1) x 100, the order the capacity
 * and resilience tables have always used (pccs_growth_pct divides the
 * difference, which can differ in the last binary digit).
 */
double pccs_change_pct(double now, double before);

/** The change now - before (patients gained): NaN if either is missing. */
double pccs_change(double now, double before);
/** part as a fraction (0..1) of whole. */
double pccs_share(double part, double whole);

#endif
