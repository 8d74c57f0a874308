/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates as days since 1970-01-01 (proleptic Gregorian), the date
 * styles found in NHS publications, and NHS financial years (1 April to
 * 31 March, written "2022-23").
 */
#ifndef PCCS_DATE_H
#define PCCS_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"

/** Days since 1970-01-01. */
typedef int32_t pccs_day;

#define PCCS_DAY_NONE INT32_MIN

/** True if y-m-d is a real calendar date (years 1800-2200). */
bool pccs_date_valid(int y, int m, int d);
/** Days since the epoch of a valid y-m-d. */
pccs_day pccs_date_from_ymd(int y, int m, int d);
/** Split a day number into year, month and day. */
void pccs_date_to_ymd(pccs_day day, int *y, int *m, int *d);

/**
 * Parse the date styles NHS files use: YYYYMMDD, YYYY-MM-DD (with an
 * optional time after 'T' or a space), DD/MM/YYYY, DDMONYYYY (01JAN2021,
 * 01Oct2025), DD-Mon-YY and DD-Mon-YYYY (01-Sep-20). Two-digit years are
 * 20YY. Returns PCCS_OK, or PCCS_EPARSE for text that is not a date in one
 * of these styles or names a day that does not exist.
 */
int pccs_date_parse(struct pccs_str s, pccs_day *out);

/** Today (UTC), by the system clock. */
pccs_day pccs_date_today(void);

/** Write YYYY-MM-DD into buf (at least 11 bytes). */
void pccs_date_format(pccs_day day, char *buf);

/** Financial year (its starting calendar year) that contains day. */
int pccs_fy_of(pccs_day day);
/** First day (1 April) of the financial year starting in year y. */
pccs_day pccs_fy_start(int y);
/** Parse "2022-23", "2022/23" or "2022-2023"; out is the start year. */
int pccs_fy_parse(struct pccs_str s, int *out);
/** Write "2022-23" into buf (at least 8 bytes). */
void pccs_fy_format(int y, char *buf);

#endif
