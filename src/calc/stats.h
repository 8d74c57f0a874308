/* SPDX-License-Identifier: MIT */
/*
 * Order statistics on plain arrays: percentiles (linear interpolation
 * between order statistics, the default of R's quantile and numpy) and
 * deciles. Values that are NaN are left out. Pure.
 */
#ifndef PCCS_CALC_STATS_H
#define PCCS_CALC_STATS_H

#include <stddef.h>

/** The p-th percentile (0..100) of v[0..n); NaN if no value. */
double pccs_percentile(const double *v, size_t n, double p);

/**
 * Decile of each value among v[0..n): 1 (lowest tenth) .. 10, by rank
 * (ties in input order): decile = ceil(10 * rank / count). NaN values get
 * 0. out has n entries.
 */
void pccs_deciles(const double *v, size_t n, int *out);

/**
 * The indices of v[0..n) from the highest value to the lowest, equal
 * values in index order, into order (n entries). A NaN value compares
 * equal to every other, as it does in a qsort by value then index.
 */
void pccs_order_desc(const double *v, size_t n, size_t *order);

/**
 * Rank of x among v[0..n) counted from the highest: 1 + the number of
 * values above x (ties share a rank; NaN values are left out). 0 when x
 * is NaN.
 */
size_t pccs_rank_desc(const double *v, size_t n, double x);

#endif
