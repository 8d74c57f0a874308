/* SPDX-License-Identifier: MIT */
/*
 * The arithmetic of direct booking and enhanced access (issue 19): clock
 * times, slots in a session, UK summer time, NHS number check digits
 * and weeks (the minutes a PCN must offer are pccs_ent_minutes() of
 * calc/entitlements.h). Pure: plain values in, values out.
 */
#ifndef PCCS_CALC_BOOKING_H
#define PCCS_CALC_BOOKING_H

#include <stdbool.h>

#include "base/date.h"

/** "18:30" (or "8:05") to minutes after midnight; false if not a time. */
bool pccs_clock_parse(const char *s, int *minutes);

/**
 * How many whole slots of slot minutes fit between start and end
 * (minutes after midnight); 0 when end is not after start.
 */
int pccs_slots_in(int start, int end, int slot);

/**
 * The offset of UK local time from UTC, in minutes (0 or 60), at local
 * minute m of day d: British Summer Time runs from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October.
 */
int pccs_uk_offset(pccs_day d, int m);

/** Is s ten digits whose modulus 11 check digit is right? */
bool pccs_nhs_number_valid(const char *s);

/** The Monday of d's week (ISO weeks start on Monday). */
pccs_day pccs_week_start(pccs_day d);

#endif
