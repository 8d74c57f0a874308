/* SPDX-License-Identifier: MIT */
/* The SPC chart as SVG. */
#include "report/svg.h"
#include "report/chart.h"

#include <math.h>
#include <string.h>

#include "model/spc_run.h"

#define W 760.0
#define H 380.0
#define L 64.0  /* left margin */
#define R 150.0 /* right margin, for the icons */
#define T 48.0
#define B 56.0

static const char *
colour(enum pccs_spc_type t)
{
    switch (t) {
    case PCCS_SPC_IMPROVEMENT:
        return "#41B6E6"; /* NHS light blue */
    case PCCS_SPC_CONCERN:
        return "#ED8B00"; /* NHS orange */
    case PCCS_SPC_NEUTRAL_HIGH:
    case PCCS_SPC_NEUTRAL_LOW:
        return "#330072"; /* NHS purple */
    default:
        return "#768692"; /* NHS mid grey */
    }
}

const char *
pccs_svg_variation(const struct pccs_svg_spc *c)
{
    if (!c->n)
        return "no data";
    switch (c->p[c->n - 1].type) {
    case PCCS_SPC_IMPROVEMENT:
        return "special cause improvement";
    case PCCS_SPC_CONCERN:
        return "special cause concern";
    case PCCS_SPC_NEUTRAL_HIGH:
        return "special cause, neutral, high";
    case PCCS_SPC_NEUTRAL_LOW:
        return "special cause, neutral, low";
    default:
        return "common cause variation";
    }
}

/* The plot area: the value range and the plot's width and height. */
struct frame {
    double lo, hi, pw, ph;
    size_t n;
};

static double
px(const struct frame *fr, size_t i)
{
    return L + (fr->n > 1 ? fr->pw * (double)(i) / (double)(fr->n - 1)
                          : fr->pw / 2);
}

static double
py(const struct frame *fr, double v)
{
    return T + fr->ph * (fr->hi - (v)) / (fr->hi - fr->lo);
}

/* The values, limits and target, padded by 8% each side. */
static struct frame
frame_of(const struct pccs_svg_spc *c)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        double v[3] = {c->y[i], c->p[i].lpl, c->p[i].upl};
        for (int k = 0; k < 3; k++) {
            if (isfinite(v[k])) {
                lo = fmin(lo, v[k]);
                hi = fmax(hi, v[k]);
            }
        }
    }
    if (c->opt->has_target) {
        lo = fmin(lo, c->opt->target);
        hi = fmax(hi, c->opt->target);
    }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    double pad = (hi - lo) * 0.08 + 1e-9;
    /* Nothing below zero (values, floored limits): the axis starts at 0. */
    return (struct frame){.lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad,
                          .hi = hi + pad,
                          .pw = W - L - R,
                          .ph = H - T - B,
                          .n = c->n};
}

static void
write_head(FILE *f, const struct pccs_svg_spc *c, const char *var,
           const char *ass)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
            "font-family=\"Arial, sans-serif\">\n",
            W, H, W, H);
    fputs("<title>", f);
    pccs_xml_escape(f, c->title);
    fputs("</title>\n<desc>", f);
    fprintf(f, "Statistical process control chart of %zu points", c->n);
    if (c->n) {
        fprintf(f,
                " from %s to %s. Last value %g; mean %g, process limits "
                "%g to %g. Variation: %s. Assurance: %s.",
                c->dates[0], c->dates[c->n - 1], c->y[c->n - 1],
                c->p[c->n - 1].mean, c->p[c->n - 1].lpl, c->p[c->n - 1].upl,
                var, ass);
    }
    fputs("</desc>\n", f);
    fprintf(f, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", W,
            H);
    fprintf(f,
            "<text x=\"%.0f\" y=\"28\" font-size=\"17\" "
            "font-weight=\"bold\" fill=\"#212b32\">",
            L);
    pccs_xml_escape(f, c->title);
    fputs("</text>\n", f);
}

/* Axis ticks: five values. */
static void
write_axis(FILE *f, const struct frame *fr)
{
    for (int k = 0; k <= 4; k++) {
        double v = fr->lo + (fr->hi - fr->lo) * k / 4.0;
        fprintf(f,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#e8edee\"/>\n",
                L, L + fr->pw, py(fr, v), py(fr, v));
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "text-anchor=\"end\" fill=\"#4c6272\">%.4g</text>\n",
                L - 6, py(fr, v) + 4, v);
    }
}

/* Mean and limits, one segment per group; the target. */
static void
write_limits(FILE *f, const struct pccs_svg_spc *c, const struct frame *fr)
{
    for (size_t i = 0; i < c->n;) {
        size_t j = i;
        while (j + 1 < c->n && c->p[j + 1].group == c->p[i].group)
            j++;
        const struct pccs_spc_point *p = &c->p[i];
        double x0 = px(fr, i), x1 = px(fr, j);
        if (isfinite(p->mean))
            fprintf(f,
                    "<line class=\"mean\" x1=\"%.1f\" x2=\"%.1f\" "
                    "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#212b32\" "
                    "stroke-width=\"1.5\"/>\n",
                    x0, x1, py(fr, p->mean), py(fr, p->mean));
        double lim[2] = {p->lpl, p->upl};
        for (int k = 0; k < 2; k++) {
            if (isfinite(lim[k]))
                fprintf(f,
                        "<line class=\"limit\" x1=\"%.1f\" x2=\"%.1f\" "
                        "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#4c6272\" "
                        "stroke-dasharray=\"5 4\"/>\n",
                        x0, x1, py(fr, lim[k]), py(fr, lim[k]));
        }
        i = j + 1;
    }
    if (c->opt->has_target)
        fprintf(f,
                "<line class=\"target\" x1=\"%.1f\" x2=\"%.1f\" "
                "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d5281b\" "
                "stroke-dasharray=\"2 3\"/>\n",
                L, L + fr->pw, py(fr, c->opt->target), py(fr, c->opt->target));
}

/* The series, its points and the date labels (first, middle, last). */
static void
write_series(FILE *f, const struct pccs_svg_spc *c, const struct frame *fr)
{
    fputs("<polyline fill=\"none\" stroke=\"#aeb7bd\" stroke-width=\"1.5\" "
          "points=\"",
          f);
    for (size_t i = 0; i < c->n; i++)
        fprintf(f, "%s%.1f,%.1f", i ? " " : "", px(fr, i), py(fr, c->y[i]));
    fputs("\"/>\n", f);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(f,
                "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                "fill=\"%s\"><title>%s: %g (%s)</title></circle>\n",
                pccs_spc_type_name(c->p[i].type), px(fr, i), py(fr, c->y[i]),
                colour(c->p[i].type), c->dates[i], c->y[i],
                pccs_spc_type_name(c->p[i].type));
    }
    size_t marks[3] = {0, c->n / 2, c->n ? c->n - 1 : 0};
    for (int k = 0; k < 3 && c->n; k++)
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "text-anchor=\"middle\" fill=\"#4c6272\">%s</text>\n",
                px(fr, marks[k]), H - B + 18, c->dates[marks[k]]);
}

/* Icons: variation and assurance badges. */
static void
write_icons(FILE *f, const struct pccs_svg_spc *c, const char *var,
            const char *ass)
{
    double ix = W - R + 24;
    const char *vc = c->n ? colour(c->p[c->n - 1].type) : "#768692";
    fprintf(f,
            "<g class=\"variation-icon\"><circle cx=\"%.1f\" cy=\"90\" "
            "r=\"26\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"5\"/>"
            "<text x=\"%.1f\" y=\"96\" font-size=\"16\" "
            "text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">%s"
            "</text><text x=\"%.1f\" y=\"134\" font-size=\"10\" "
            "text-anchor=\"middle\" fill=\"#212b32\">",
            ix + 40, vc, ix + 40, vc,
            !c->n || c->p[c->n - 1].type == PCCS_SPC_COMMON ? "~"
            : c->p[c->n - 1].high > 0                       ? "H"
                                                            : "L",
            ix + 40);
    pccs_xml_escape(f, var);
    fputs("</text></g>\n", f);
    const char *ac = c->assurance == PCCS_SPC_CONSISTENT_PASS   ? "#41B6E6"
                     : c->assurance == PCCS_SPC_CONSISTENT_FAIL ? "#ED8B00"
                                                                : "#768692";
    fprintf(f,
            "<g class=\"assurance-icon\"><circle cx=\"%.1f\" cy=\"190\" "
            "r=\"26\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"5\"/>"
            "<text x=\"%.1f\" y=\"196\" font-size=\"16\" "
            "text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">%s"
            "</text><text x=\"%.1f\" y=\"234\" font-size=\"10\" "
            "text-anchor=\"middle\" fill=\"#212b32\">assurance: %s</text>"
            "</g>\n",
            ix + 40, ac, ix + 40, ac,
            c->assurance == PCCS_SPC_CONSISTENT_PASS   ? "P"
            : c->assurance == PCCS_SPC_CONSISTENT_FAIL ? "F"
            : c->assurance == PCCS_SPC_INCONSISTENT    ? "?"
                                                       : "-",
            ix + 40, ass);
}

void
pccs_svg_spc_of_run(struct pccs_svg_spc *c, const struct pccs_spc_run *run,
                    const char *title)
{
    *c = (struct pccs_svg_spc){.title = title,
                               .dates = (const char *const *)run->s.date,
                               .y = run->s.y,
                               .p = run->points,
                               .n = run->s.n,
                               .opt = &run->o,
                               .assurance = run->assurance};
}

int
pccs_svg_spc_write(FILE *f, const struct pccs_svg_spc *c)
{
    struct frame fr = frame_of(c);
    const char *var = pccs_svg_variation(c);
    const char *ass = pccs_spc_assurance_name(c->assurance);
    write_head(f, c, var, ass);
    write_axis(f, &fr);
    write_limits(f, c, &fr);
    write_series(f, c, &fr);
    write_icons(f, c, var, ass);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}
