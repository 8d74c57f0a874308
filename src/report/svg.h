/* SPDX-License-Identifier: MIT */
/*
 * SVG charts written by pccs itself (no browser needed to make them).
 * The Making Data Count SPC chart: the series with each point coloured by
 * its type (grey common cause, blue improvement, orange concern, purple
 * neutral), the mean and the process limits per group, a target line, and
 * the variation and assurance icons as labelled badges. Every chart has a
 * <title> and <desc> as its text alternative.
 */
#ifndef PCCS_SVG_H
#define PCCS_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "calc/spc.h"

struct pccs_svg_spc {
    const char *title;
    const char *const *dates; /* n ISO dates */
    const double *y;
    const struct pccs_spc_point *p;
    size_t n;
    const struct pccs_spc_options *opt;
    enum pccs_spc_assurance assurance;
};

struct pccs_spc_run;

/** The chart of an SPC run under title (both borrowed: kept by c). */
void pccs_svg_spc_of_run(struct pccs_svg_spc *c, const struct pccs_spc_run *run,
                         const char *title);

/** Write the chart to f. Returns 0, or -1 on a write error. */
int pccs_svg_spc_write(FILE *f, const struct pccs_svg_spc *c);

/** The variation label of the last point: "special cause improvement"... */
const char *pccs_svg_variation(const struct pccs_svg_spc *c);

#endif
