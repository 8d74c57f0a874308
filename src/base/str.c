/* SPDX-License-Identifier: MIT */
/* String slices and strict number parsing. */
#include "base/str.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

struct pccs_str
pccs_str_from(const char *s)
{
    return (struct pccs_str){s, strlen(s)};
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct pccs_str
pccs_str_trim(struct pccs_str s)
{
    while (s.len && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && is_space(s.p[s.len - 1]))
        s.len--;
    return s;
}

bool
pccs_str_eq(struct pccs_str s, const char *c)
{
    size_t n = strlen(c);
    return n == s.len && memcmp(s.p, c, n) == 0;
}

bool
pccs_str_ieq(struct pccs_str s, const char *c)
{
    size_t n = strlen(c);
    if (n != s.len)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (tolower((unsigned char)s.p[i]) != tolower((unsigned char)c[i]))
            return false;
    }
    return true;
}

static bool
name_skip(char c)
{
    return c == ' ' || c == '_' || c == '\r' || c == '\n' || c == '\t';
}

bool
pccs_str_name_eq(struct pccs_str s, const char *c)
{
    size_t i = 0;
    size_t n = strlen(c);
    size_t j = 0;
    s = pccs_str_trim(s);
    if (s.len && s.p[s.len - 1] == '.')
        s.len--;
    for (;;) {
        while (i < s.len && name_skip(s.p[i]))
            i++;
        while (j < n && name_skip(c[j]))
            j++;
        if (i == s.len || j == n)
            return i == s.len && j == n;
        if (tolower((unsigned char)s.p[i]) != tolower((unsigned char)c[j]))
            return false;
        i++;
        j++;
    }
}

int
pccs_str_to_i64(struct pccs_str s, int64_t *out)
{
    s = pccs_str_trim(s);
    if (!s.len || s.len > 20)
        return PCCS_EPARSE;
    size_t i = 0;
    bool neg = false;
    if (s.p[0] == '-' || s.p[0] == '+') {
        neg = s.p[0] == '-';
        i = 1;
        if (s.len == 1)
            return PCCS_EPARSE;
    }
    uint64_t v = 0;
    for (; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return PCCS_EPARSE;
        uint64_t d = (uint64_t)(s.p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return PCCS_EPARSE;
        v = v * 10 + d;
    }
    if (!neg && v > (uint64_t)INT64_MAX)
        return PCCS_EPARSE;
    if (neg && v > (uint64_t)INT64_MAX + 1)
        return PCCS_EPARSE;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return PCCS_OK;
}

/*
 * A plain decimal (-?digits[.digits]) of at most 15 digits, exactly as
 * strtod reads it: the digits as an integer below 2^53 and a power of ten
 * up to 10^22 are both exact doubles, so their quotient, rounded once, is
 * the nearest double to the decimal (Clinger's fast path). False if s is
 * not of that form, for strtod to read.
 */
static bool
plain_decimal(struct pccs_str s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    size_t i = s.p[0] == '-';
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; i < s.len; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9') {
            m = m * 10 + (uint64_t)(c - '0');
            if (++digits > 15)
                return false;
            if (frac >= 0)
                frac++;
        }
        else if (c == '.' && frac < 0 && digits) {
            frac = 0;
        }
        else {
            return false;
        }
    }
    if (!digits || frac == 0)
        return false;
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    *out = s.p[0] == '-' ? -v : v;
    return true;
}

int
pccs_str_to_double(struct pccs_str s, double *out)
{
    s = pccs_str_trim(s);
    if (!s.len || s.len >= 64)
        return PCCS_EPARSE;
    if (plain_decimal(s, out))
        return PCCS_OK;
    char tmp[64];
    bool digit = false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E')
            return PCCS_EPARSE;
        tmp[i] = c;
    }
    if (!digit)
        return PCCS_EPARSE;
    tmp[s.len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end || errno || !isfinite(v))
        return PCCS_EPARSE;
    *out = v;
    return PCCS_OK;
}

void
pccs_str_copy(struct pccs_str s, char *dst, size_t n)
{
    if (!n)
        return;
    size_t k = s.len < n - 1 ? s.len : n - 1;
    memcpy(dst, s.p, k);
    dst[k] = '\0';
}
