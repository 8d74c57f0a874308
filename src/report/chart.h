/* SPDX-License-Identifier: MIT */
/*
 * Plain charts as SVG, in NHS colours, for the terminal's `pccs chart`,
 * the committee report and the dashboard: horizontal bars (one value per
 * organisation), lines (series over months) and a population pyramid by
 * age band. Each has a <title>, a <desc> that states every value (the
 * text alternative) and the source under the plot.
 */
#ifndef PCCS_CHART_H
#define PCCS_CHART_H

#include <stddef.h>
#include <stdio.h>

struct pccs_bar_chart {
    const char *title;
    const char *unit; /* "per 1,000", "%", ... (may be "") */
    const char *const *labels;
    const char *const *codes; /* NULL, or each bar's code: in its title */
    const double *v;          /* NaN: no value, drawn as "no data" */
    size_t n;
    int decimals;
    const char *source;
};

struct pccs_line_series {
    const char *name;
    const double *y; /* one per x; NaN: a gap */
};

struct pccs_line_chart {
    const char *title;
    const char *unit;
    const char *const *x; /* ISO dates or labels */
    size_t n;
    const struct pccs_line_series *s;
    size_t ns;
    int decimals;
    const char *source;
};

struct pccs_pyramid {
    const char *title;
    const char *const *bands; /* youngest first: "0-4", ..., "95+" */
    const double *male, *female;
    size_t n;
    const char *source;
};

/** Write the chart to f. 0, or -1 on a write error. */
int pccs_svg_bar_write(FILE *f, const struct pccs_bar_chart *c);
int pccs_svg_line_write(FILE *f, const struct pccs_line_chart *c);
int pccs_svg_pyramid_write(FILE *f, const struct pccs_pyramid *c);

/** Write s to f with &, <, > and " escaped (for SVG and HTML). */
void pccs_xml_escape(FILE *f, const char *s);

#endif
