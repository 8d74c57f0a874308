/* SPDX-License-Identifier: MIT */
/* Date parsing for the styles NHS files use, and financial years. */
#include "base/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/err.h"

static bool
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool
pccs_date_valid(int y, int m, int d)
{
    return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
           d <= month_days(y, m);
}

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
pccs_day
pccs_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (pccs_day)(era * 146097 + doe - 719468);
}

void
pccs_date_to_ymd(pccs_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yy + (*m <= 2);
}

static int
digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i]))
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 0;
}

static int
month_name(const char *p)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++) {
        if (tolower((unsigned char)p[0]) == names[i][0] &&
            tolower((unsigned char)p[1]) == names[i][1] &&
            tolower((unsigned char)p[2]) == names[i][2])
            return i + 1;
    }
    return 0;
}

static int
finish(int y, int m, int d, pccs_day *out)
{
    if (!pccs_date_valid(y, m, d))
        return PCCS_EPARSE;
    *out = pccs_date_from_ymd(y, m, d);
    return PCCS_OK;
}

int
pccs_date_parse(struct pccs_str s, pccs_day *out)
{
    s = pccs_str_trim(s);
    const char *p = s.p;
    size_t n = s.len;
    int y, m, d;

    /* ISO, possibly with a time part. */
    if (n >= 10 && p[4] == '-' && p[7] == '-' &&
        (n == 10 || p[10] == 'T' || p[10] == ' ')) {
        if (digits(p, 4, &y) || digits(p + 5, 2, &m) || digits(p + 8, 2, &d))
            return PCCS_EPARSE;
        return finish(y, m, d, out);
    }
    if (n == 8 && !digits(p, 8, &y)) {
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
        return finish(y, m, d, out);
    }
    if (n == 10 && p[2] == '/' && p[5] == '/') {
        if (digits(p, 2, &d) || digits(p + 3, 2, &m) || digits(p + 6, 4, &y))
            return PCCS_EPARSE;
        return finish(y, m, d, out);
    }
    if (n == 9 && isalpha((unsigned char)p[2])) {
        m = month_name(p + 2);
        if (!m || digits(p, 2, &d) || digits(p + 5, 4, &y))
            return PCCS_EPARSE;
        return finish(y, m, d, out);
    }
    if ((n == 9 || n == 11) && p[2] == '-' && p[6] == '-') {
        m = month_name(p + 3);
        if (!m || digits(p, 2, &d) || digits(p + 7, n - 7, &y))
            return PCCS_EPARSE;
        if (n == 9)
            y += 2000;
        return finish(y, m, d, out);
    }
    return PCCS_EPARSE;
}

pccs_day
pccs_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return pccs_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void
pccs_date_format(pccs_day day, char *buf)
{
    int y, m, d;
    pccs_date_to_ymd(day, &y, &m, &d);
    /* As "%04u-%02u-%02u" of these, without snprintf (a load formats
     * every date it writes: snprintf was 8% of a load's instructions). */
    unsigned v[3] = {(unsigned)y % 10000u, (unsigned)m % 100u,
                     (unsigned)d % 100u};
    static const int at[3] = {3, 6, 9}, width[3] = {4, 2, 2};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < width[i]; k++, v[i] /= 10)
            buf[at[i] - k] = (char)('0' + v[i] % 10);
    buf[4] = buf[7] = '-';
    buf[10] = '\0';
}

int
pccs_fy_of(pccs_day day)
{
    int y, m, d;
    pccs_date_to_ymd(day, &y, &m, &d);
    return m >= 4 ? y : y - 1;
}

pccs_day
pccs_fy_start(int y)
{
    return pccs_date_from_ymd(y, 4, 1);
}

int
pccs_fy_parse(struct pccs_str s, int *out)
{
    s = pccs_str_trim(s);
    int y, e;
    if ((s.len != 7 && s.len != 9) || (s.p[4] != '-' && s.p[4] != '/'))
        return PCCS_EPARSE;
    if (digits(s.p, 4, &y) || digits(s.p + 5, s.len - 5, &e))
        return PCCS_EPARSE;
    if (s.len == 7 ? e != (y + 1) % 100 : e != y + 1)
        return PCCS_EPARSE;
    if (y < 1990 || y > 2100)
        return PCCS_EPARSE;
    *out = y;
    return PCCS_OK;
}

void
pccs_fy_format(int y, char *buf)
{
    snprintf(buf, 8, "%04u-%02u", (unsigned)y % 10000u,
             (unsigned)(y + 1) % 100u);
}
