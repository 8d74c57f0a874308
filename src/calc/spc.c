/* SPDX-License-Identifier: MIT */
/* XmR limits and the Making Data Count special-cause rules. */
#include "calc/spc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define SPC_LIMIT 2.66
#define SPC_SCREEN 3.267
#define SPC_RUN 7

static int
sign(double v)
{
    return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/* Mean and limits of one group from its first m points. */
static void
limits(const double *y, size_t m, bool screen, double *mean, double *amr)
{
    double s = 0;
    for (size_t i = 0; i < m; i++)
        s += y[i];
    *mean = m ? s / (double)m : NAN;
    if (m < 2) {
        *amr = NAN;
        return;
    }
    double mr = 0;
    for (size_t i = 1; i < m; i++)
        mr += fabs(y[i] - y[i - 1]);
    double a = mr / (double)(m - 1);
    if (screen) {
        double kept = 0;
        size_t k = 0;
        for (size_t i = 1; i < m; i++) {
            double r = fabs(y[i] - y[i - 1]);
            if (r < SPC_SCREEN * a) {
                kept += r;
                k++;
            }
        }
        if (k)
            a = kept / (double)k;
    }
    *amr = a;
}

/* The special-cause rules on one group y[0..n) with its points p. */
static void
rules(const double *y, size_t n, struct pccs_spc_point *p)
{
    int *side = pccs_xcalloc(n + 1, sizeof(*side));
    int *outside = pccs_xcalloc(n + 1, sizeof(*outside));
    int *close = pccs_xcalloc(n + 1, sizeof(*close));
    int *trend = pccs_xcalloc(n + 1, sizeof(*trend));
    int *two3 = pccs_xcalloc(n + 1, sizeof(*two3));
    int *run = pccs_xcalloc(n + 1, sizeof(*run));

    for (size_t i = 0; i < n; i++) {
        side[i] = sign(y[i] - p[i].mean);
        outside[i] = y[i] > p[i].upl ? 1 : y[i] < p[i].lpl ? -1 : 0;
        close[i] = !outside[i] && (y[i] < p[i].nlpl || y[i] > p[i].nupl);
    }
    /* Runs of strictly rising or falling points: 6 steps make 7 points. */
    size_t up = 0, down = 0;
    for (size_t i = 1; i < n; i++) {
        up = y[i] > y[i - 1] ? up + 1 : 0;
        down = y[i] < y[i - 1] ? down + 1 : 0;
        if (up >= SPC_RUN - 1) {
            for (size_t k = i + 1 - SPC_RUN; k <= i; k++)
                trend[k] = 1;
        }
        if (down >= SPC_RUN - 1) {
            for (size_t k = i + 1 - SPC_RUN; k <= i; k++)
                trend[k] = -1;
        }
    }
    /* 2 of 3 near a limit, all 3 on one side of the mean. */
    for (size_t i = 0; i + 2 < n; i++) {
        if (!side[i] || side[i] != side[i + 1] || side[i] != side[i + 2])
            continue;
        if (close[i] + close[i + 1] + close[i + 2] < 2)
            continue;
        for (size_t k = i; k < i + 3; k++) {
            if (close[k])
                two3[k] = side[k];
        }
    }
    /* Runs of 7 or more on one side of the mean. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && side[j] && side[j] == side[i])
            j++;
        if (side[i] && j - i >= SPC_RUN) {
            for (size_t k = i; k < j; k++)
                run[k] = side[i];
        }
        i = j > i ? j : i + 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (outside[i]) {
            p[i].high = outside[i];
            p[i].rule = PCCS_SPC_RULE_OUTSIDE;
        }
        else if (trend[i]) {
            p[i].high = trend[i];
            p[i].rule = PCCS_SPC_RULE_TREND;
        }
        else if (two3[i]) {
            p[i].high = two3[i];
            p[i].rule = PCCS_SPC_RULE_TWO_IN_THREE;
        }
        else if (run[i]) {
            p[i].high = run[i];
            p[i].rule = PCCS_SPC_RULE_RUN;
        }
    }
    free(side);
    free(outside);
    free(close);
    free(trend);
    free(two3);
    free(run);
}

int
pccs_spc_compute(const double *y, size_t n, const struct pccs_spc_options *opt,
                 struct pccs_spc_point *out, enum pccs_spc_assurance *assurance,
                 bool *short_group)
{
    *assurance = PCCS_SPC_ASSURANCE_NONE;
    *short_group = false;
    for (size_t r = 0; r < opt->nrebase; r++) {
        if (opt->rebase[r] == 0 || opt->rebase[r] >= n ||
            (r && opt->rebase[r] <= opt->rebase[r - 1]))
            return -1;
    }
    memset(out, 0, n * sizeof(*out));
    size_t start = 0;
    for (size_t g = 0; g <= opt->nrebase; g++) {
        size_t end = g < opt->nrebase ? opt->rebase[g] : n;
        size_t len = end - start;
        if (len < PCCS_SPC_MIN_POINTS)
            *short_group = true;
        size_t m =
            opt->fix_after && opt->fix_after < len ? opt->fix_after : len;
        double mean, amr;
        limits(y + start, m, opt->screen, &mean, &amr);
        for (size_t i = start; i < end; i++) {
            out[i].mean = mean;
            out[i].lpl = mean - SPC_LIMIT * amr;
            out[i].upl = mean + SPC_LIMIT * amr;
            out[i].nlpl = mean - 2.0 / 3.0 * SPC_LIMIT * amr;
            out[i].nupl = mean + 2.0 / 3.0 * SPC_LIMIT * amr;
            out[i].group = g;
        }
        rules(y + start, len, out + start);
        for (size_t i = start; i < end && opt->has_floor; i++) {
            if (out[i].lpl < opt->floor) /* false for NaN */
                out[i].lpl = opt->floor;
            if (out[i].nlpl < opt->floor)
                out[i].nlpl = opt->floor;
        }
        start = end;
    }
    for (size_t i = 0; i < n; i++) {
        int h = out[i].high;
        if (!h)
            out[i].type = PCCS_SPC_COMMON;
        else if (opt->direction == PCCS_SPC_NEUTRAL)
            out[i].type = h > 0 ? PCCS_SPC_NEUTRAL_HIGH : PCCS_SPC_NEUTRAL_LOW;
        else if ((h > 0) == (opt->direction == PCCS_SPC_INCREASE))
            out[i].type = PCCS_SPC_IMPROVEMENT;
        else
            out[i].type = PCCS_SPC_CONCERN;
    }
    if (opt->has_target && opt->direction != PCCS_SPC_NEUTRAL && n) {
        const struct pccs_spc_point *last = &out[n - 1];
        bool inc = opt->direction == PCCS_SPC_INCREASE;
        if (opt->target > last->upl)
            *assurance =
                inc ? PCCS_SPC_CONSISTENT_FAIL : PCCS_SPC_CONSISTENT_PASS;
        else if (opt->target < last->lpl)
            *assurance =
                inc ? PCCS_SPC_CONSISTENT_PASS : PCCS_SPC_CONSISTENT_FAIL;
        else
            *assurance = PCCS_SPC_INCONSISTENT;
    }
    return 0;
}

const char *
pccs_spc_type_name(enum pccs_spc_type t)
{
    switch (t) {
    case PCCS_SPC_IMPROVEMENT:
        return "special_cause_improvement";
    case PCCS_SPC_CONCERN:
        return "special_cause_concern";
    case PCCS_SPC_NEUTRAL_HIGH:
        return "special_cause_neutral_high";
    case PCCS_SPC_NEUTRAL_LOW:
        return "special_cause_neutral_low";
    default:
        return "common_cause";
    }
}

const char *
pccs_spc_assurance_name(enum pccs_spc_assurance a)
{
    switch (a) {
    case PCCS_SPC_CONSISTENT_PASS:
        return "consistent_pass";
    case PCCS_SPC_CONSISTENT_FAIL:
        return "consistent_fail";
    case PCCS_SPC_INCONSISTENT:
        return "inconsistent";
    default:
        return "none";
    }
}
