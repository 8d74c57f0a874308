/* SPDX-License-Identifier: MIT */
/*
 * Period arithmetic: which of the loaded dates or financial years a
 * question uses. Pure (no store): the callers in model/period.c give the
 * loaded periods. Each picker returns the index of the chosen element, or
 * -1 when none qualifies. The rules, one for each question:
 *
 * - as at DAY: the latest date on or before DAY (never a later one);
 * - 12 months earlier than DAY: the date nearest to 365 days before it,
 *   within 330 to 400 days (ties to the earlier date);
 * - a financial year's figure for DAY (payments files): the year that
 *   contains DAY, else the latest earlier year;
 * - a census within a financial year: the one nearest the middle of the
 *   year (1 October), else the latest before the year.
 *
 * Days are pccs_day (days since 1970-01-01); financial years are their
 * start year (2022 for 2022-23).
 */
#ifndef PCCS_CALC_PERIOD_H
#define PCCS_CALC_PERIOD_H

#include <stddef.h>

#include "base/date.h"

/* Days either side of 365 a "12 months earlier" snapshot may be. */
#define PCCS_PERIOD_YEAR_MIN 330
#define PCCS_PERIOD_YEAR_MAX 400

/** The DES reference day of financial year fy: 1 January before it. */
pccs_day pccs_period_des_day(int fy);
/**
 * The day a DES year's PCN memberships are taken: its first day, 1 April.
 * The lists are those of 1 January, but a practice is in the PCN it is a
 * member of in the year (A86027 joined U17849 on 1 April 2021 and counts
 * in it for 2021-22), and before July 2019 there were no PCNs at all.
 */
pccs_day pccs_period_des_members_day(int fy);
/** The latest of d[0..n) on or before day; PCCS_DAY_NONE day: the latest. */
int pccs_period_on_or_before(const pccs_day *d, size_t n, pccs_day day);
/** The one of d[0..n) nearest 365 days before day, 330 to 400 days back. */
int pccs_period_year_before(const pccs_day *d, size_t n, pccs_day day);
/** Of financial years fy[0..n), the one containing day, else the latest
 * earlier one. */
int pccs_period_fy_for_day(const int *fy, size_t n, pccs_day day);
/** Of d[0..n), the one within financial year fy nearest 1 October, else
 * the latest before the year. */
int pccs_period_within_fy(const pccs_day *d, size_t n, int fy);

#endif
