/* SPDX-License-Identifier: MIT */
/* The arithmetic of direct booking and enhanced access (see booking.h). */
#include "calc/booking.h"

#include <string.h>

bool
pccs_clock_parse(const char *s, int *minutes)
{
    int h = 0, m = 0, i = 0, digits = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++, digits++)
        h = h * 10 + (s[i] - '0');
    if (digits < 1 || digits > 2 || s[i] != ':')
        return false;
    i++;
    digits = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++, digits++)
        m = m * 10 + (s[i] - '0');
    if (digits != 2 || s[i] || h > 24 || m > 59 || (h == 24 && m))
        return false;
    *minutes = h * 60 + m;
    return true;
}

int
pccs_slots_in(int start, int end, int slot)
{
    if (slot <= 0 || end <= start)
        return 0;
    return (end - start) / slot;
}

/* The last Sunday of month m of year y. */
static pccs_day
last_sunday(int y, int m)
{
    pccs_day d = pccs_date_from_ymd(y, m + 1, 1) - 1;
    /* Day 0 (1970-01-01) was a Thursday: Sunday is (d + 4) % 7 == 0. */
    int dow = (int)(((d + 4) % 7 + 7) % 7);
    return d - dow;
}

int
pccs_uk_offset(pccs_day d, int m)
{
    int y, mo, dd;
    pccs_date_to_ymd(d, &y, &mo, &dd);
    /* Local minutes of the year's two changes: 01:00 GMT in March is
     * 01:00 local; 01:00 GMT in October is 02:00 local (BST). */
    long at = (long)d * 1440 + m;
    long on = (long)last_sunday(y, 3) * 1440 + 60;
    long off = (long)last_sunday(y, 10) * 1440 + 120;
    return at >= on && at < off ? 60 : 0;
}

bool
pccs_nhs_number_valid(const char *s)
{
    if (strlen(s) != 10)
        return false;
    int sum = 0;
    for (int i = 0; i < 10; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    for (int i = 0; i < 9; i++)
        sum += (s[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == s[9] - '0';
}

pccs_day
pccs_week_start(pccs_day d)
{
    /* Monday is (d + 3) % 7 == 0 (1970-01-05 was a Monday). */
    return d - (pccs_day)(((d + 3) % 7 + 7) % 7);
}
