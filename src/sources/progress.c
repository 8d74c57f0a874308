/* SPDX-License-Identifier: MIT */
/*
 * The progress line of a load ("loading FILE: 42% (123456 rows)"),
 * drawn on stderr at most five times a second, only on a terminal and
 * only after the load has run a while; and the row counters that drive
 * it. It knows nothing of formats or the store.
 */
#include "sources/load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
draw_progress(struct pccs_load *ld, uint64_t offset)
{
    if (ld->size)
        fprintf(stderr, "\rloading %s: %3.0f%% (%lld rows)", ld->name,
                100.0 * (double)offset / (double)ld->size, (long long)ld->rows);
    else
        fprintf(stderr, "\rloading %s: %lld rows", ld->name,
                (long long)ld->rows);
    fflush(stderr);
    ld->drawn = true;
}

void
pccs_load_row(struct pccs_load *ld, uint64_t offset)
{
    ld->rows++;
    if (!(ld->rows & 0x3FFF))
        pccs__load_check_duplicate(ld);
    if ((ld->rows & 0x3FFF) || !ld->opt || ld->opt->quiet || !ld->opt->progress)
        return;
    double t = now();
    if (t - ld->started < ld->progress_after || t - ld->last_draw < 0.2)
        return;
    ld->last_draw = t;
    draw_progress(ld, offset);
}

void
pccs_load_reject(struct pccs_load *ld)
{
    ld->rejected++;
}

void
pccs__load_progress_clear(struct pccs_load *ld)
{
    if (ld->drawn) {
        fprintf(stderr, "\r%*s\r", 70, "");
        fflush(stderr);
        ld->drawn = false;
    }
}

void
pccs__load_progress_start(struct pccs_load *ld, uint64_t size)
{
    ld->size = size;
    ld->started = now();
    /* PCCS_PROGRESS_AFTER: seconds before the first progress line (1 by
     * default; 0 in tests, which must not depend on the machine's speed),
     * as git's GIT_PROGRESS_DELAY. */
    const char *after = getenv("PCCS_PROGRESS_AFTER");
    ld->progress_after = after && *after ? strtod(after, NULL) : 1.0;
}
