/* SPDX-License-Identifier: MIT */
/* Percentiles and deciles. */
#include "calc/stats.h"

#include <math.h>
#include <stdlib.h>

#include "base/xalloc.h"

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double
pccs_percentile(const double *v, size_t n, double p)
{
    double *s = pccs_xmalloc((n ? n : 1) * sizeof(*s));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(v[i]))
            s[k++] = v[i];
    }
    if (!k) {
        free(s);
        return NAN;
    }
    qsort(s, k, sizeof(*s), cmp_double);
    double h = (double)(k - 1) * p / 100.0;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < k ? lo + 1 : lo;
    double r = s[lo] + (h - (double)lo) * (s[hi] - s[lo]);
    free(s);
    return r;
}

struct ranked {
    double v;
    size_t i;
};

static int
cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void
pccs_deciles(const double *v, size_t n, int *out)
{
    struct ranked *r = pccs_xmalloc((n ? n : 1) * sizeof(*r));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        if (!isnan(v[i]))
            r[k++] = (struct ranked){v[i], i};
    }
    qsort(r, k, sizeof(*r), cmp_ranked);
    for (size_t j = 0; j < k; j++)
        out[r[j].i] = (int)ceil(10.0 * (double)(j + 1) / (double)k);
    free(r);
}

/* Highest first; equal values (or NaN against any) in index order. */
static int
cmp_ranked_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->v < y->v || x->v > y->v)
        return x->v < y->v ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void
pccs_order_desc(const double *v, size_t n, size_t *order)
{
    struct ranked *r = pccs_xmalloc((n ? n : 1) * sizeof(*r));
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){v[i], i};
    qsort(r, n, sizeof(*r), cmp_ranked_desc);
    for (size_t j = 0; j < n; j++)
        order[j] = r[j].i;
    free(r);
}

size_t
pccs_rank_desc(const double *v, size_t n, double x)
{
    if (isnan(x))
        return 0;
    size_t above = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]) && v[i] > x)
            above++;
    return above + 1;
}
