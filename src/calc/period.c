/* SPDX-License-Identifier: MIT */
/* Period arithmetic (see calc/period.h). */
#include "calc/period.h"

#include <stdlib.h>

pccs_day
pccs_period_des_day(int fy)
{
    return pccs_date_from_ymd(fy, 1, 1);
}

pccs_day
pccs_period_des_members_day(int fy)
{
    return pccs_date_from_ymd(fy, 4, 1);
}

int
pccs_period_on_or_before(const pccs_day *d, size_t n, pccs_day day)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (day != PCCS_DAY_NONE && d[i] > day)
            continue;
        if (best < 0 || d[i] > d[best])
            best = (int)i;
    }
    return best;
}

int
pccs_period_year_before(const pccs_day *d, size_t n, pccs_day day)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        int gap = (int)(day - d[i]);
        if (gap < PCCS_PERIOD_YEAR_MIN || gap > PCCS_PERIOD_YEAR_MAX)
            continue;
        if (best < 0)
            best = (int)i;
        else {
            int off = abs(gap - 365);
            int boff = abs((int)(day - d[best]) - 365);
            if (off < boff || (off == boff && d[i] < d[best]))
                best = (int)i;
        }
    }
    return best;
}

int
pccs_period_fy_for_day(const int *fy, size_t n, pccs_day day)
{
    int want = pccs_fy_of(day);
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (fy[i] <= want && (best < 0 || fy[i] > fy[best]))
            best = (int)i;
    }
    return best;
}

int
pccs_period_within_fy(const pccs_day *d, size_t n, int fy)
{
    pccs_day start = pccs_fy_start(fy), end = pccs_fy_start(fy + 1) - 1;
    pccs_day mid = pccs_date_from_ymd(fy, 10, 1);
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (d[i] < start || d[i] > end)
            continue;
        if (best < 0 ||
            labs((long)(d[i] - mid)) < labs((long)(d[best] - mid)) ||
            (labs((long)(d[i] - mid)) == labs((long)(d[best] - mid)) &&
             d[i] < d[best]))
            best = (int)i;
    }
    if (best >= 0)
        return best;
    return pccs_period_on_or_before(d, n, start - 1);
}
