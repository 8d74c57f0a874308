/* SPDX-License-Identifier: MIT */
/* Bar, line and pyramid charts as SVG. */
#include "report/chart.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define NHS_BLUE "#005EB8"
#define NHS_DARK_BLUE "#003087"
#define NHS_LIGHT_BLUE "#41B6E6"
#define NHS_AQUA "#00A9CE"
#define NHS_PURPLE "#330072"
#define NHS_ORANGE "#ED8B00"
#define NHS_DARK_GREY "#425563"
#define NHS_MID_GREY "#768692"
#define NHS_PALE_GREY "#E8EDEE"
#define FONT "font-family=\"Arial, Helvetica, sans-serif\""

static const char *const palette[] = {
    NHS_BLUE,      NHS_ORANGE,     NHS_PURPLE,   NHS_AQUA,
    NHS_DARK_GREY, NHS_LIGHT_BLUE, NHS_DARK_BLUE};

void
pccs_xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* 1234567.8 -> "1,234,568" with decimals d. */
static void
number(FILE *f, double v, int d)
{
    if (!isfinite(v)) {
        fputs("no data", f);
        return;
    }
    char buf[64], out[96];
    snprintf(buf, sizeof(buf), "%.*f", d, fabs(v));
    const char *dot = strchr(buf, '.');
    size_t ilen = dot ? (size_t)(dot - buf) : strlen(buf), o = 0;
    if (v < 0 && strspn(buf, "0.") != strlen(buf))
        out[o++] = '-';
    for (size_t i = 0; i < ilen; i++) {
        if (i && (ilen - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = buf[i];
    }
    snprintf(out + o, sizeof(out) - o, "%s", dot ? dot : "");
    fputs(out, f);
}

/* A "nice" step for about `ticks` gridlines over span. */
static double
nice_step(double span, int ticks)
{
    double raw = span / ticks, mag = pow(10, floor(log10(raw)));
    double r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
}

static void
open_svg(FILE *f, double w, double h, const char *title)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-labelledby=\"t d\" " FONT ">\n<title id=\"t\">",
            w, h, w, h);
    pccs_xml_escape(f, title);
    fputs("</title>\n<desc id=\"d\">", f);
}

static void
heading(FILE *f, double w, const char *title)
{
    fprintf(f,
            "<rect width=\"%.0f\" height=\"100%%\" fill=\"#FFFFFF\"/>\n"
            "<text x=\"16\" y=\"26\" font-size=\"17\" font-weight=\"bold\" "
            "fill=\"" NHS_DARK_BLUE "\">",
            w);
    pccs_xml_escape(f, title);
    fputs("</text>\n", f);
}

static void
footer(FILE *f, double h, const char *source)
{
    if (!source || !*source)
        return;
    fprintf(f,
            "<text x=\"16\" y=\"%.0f\" font-size=\"10\" fill=\"" NHS_DARK_GREY
            "\">Source: ",
            h - 10);
    pccs_xml_escape(f, source);
    fputs("</text>\n", f);
}

int
pccs_svg_bar_write(FILE *f, const struct pccs_bar_chart *c)
{
    const double w = 760, left = 230, right = 90, top = 44, row = 22;
    double h = top + row * (double)c->n + 44;
    double hi = 0, lo = 0;
    for (size_t i = 0; i < c->n; i++)
        if (isfinite(c->v[i])) {
            hi = fmax(hi, c->v[i]);
            lo = fmin(lo, c->v[i]);
        }
    if (hi == lo)
        hi = lo + 1;
    double pw = w - left - right;
    open_svg(f, w, h, c->title);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(f, "%s", i ? "; " : "");
        pccs_xml_escape(f, c->labels[i]);
        if (c->codes && c->codes[i] && strcmp(c->codes[i], c->labels[i])) {
            fputs(" (", f);
            pccs_xml_escape(f, c->codes[i]);
            fputs(")", f);
        }
        fputs(": ", f);
        number(f, c->v[i], c->decimals);
        if (c->unit && *c->unit && isfinite(c->v[i]))
            fprintf(f, " %s", c->unit);
    }
    fputs(".</desc>\n", f);
    heading(f, w, c->title);
    double x0 = left + (0 - lo) / (hi - lo) * pw;
    for (size_t i = 0; i < c->n; i++) {
        double y = top + row * (double)i;
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                "text-anchor=\"end\" fill=\"#212B32\">",
                left - 8, y + row * 0.68);
        if (c->codes && c->codes[i]) {
            fputs("<title>", f);
            pccs_xml_escape(f, c->codes[i]);
            fputs("</title>", f);
        }
        pccs_xml_escape(f, c->labels[i]);
        fputs("</text>\n", f);
        if (!isfinite(c->v[i])) {
            fprintf(f,
                    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                    "fill=\"" NHS_MID_GREY "\">no data</text>\n",
                    x0 + 4, y + row * 0.68);
            continue;
        }
        double x1 = left + (c->v[i] - lo) / (hi - lo) * pw;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"" NHS_BLUE "\"/>\n",
                fmin(x0, x1), y + 3, fabs(x1 - x0), row - 6);
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "fill=\"#212B32\">",
                fmax(x0, x1) + 4, y + row * 0.68);
        number(f, c->v[i], c->decimals);
        fputs("</text>\n", f);
    }
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"" NHS_DARK_GREY "\"/>\n",
            x0, top, x0, top + row * (double)c->n);
    if (c->unit && *c->unit) {
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "fill=\"" NHS_DARK_GREY "\">",
                left, top + row * (double)c->n + 16);
        pccs_xml_escape(f, c->unit);
        fputs("</text>\n", f);
    }
    footer(f, h, c->source);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

/* The line chart's plot area and value range. */
struct lframe {
    double left, top, pw, ph, lo, hi, step;
    size_t n;
};

static double
lx(const struct lframe *fr, size_t i)
{
    return fr->left +
           (fr->n > 1 ? (double)(i) / (double)(fr->n - 1) : 0.5) * fr->pw;
}

static double
ly(const struct lframe *fr, double v)
{
    return fr->top + (fr->hi - (v)) / (fr->hi - fr->lo) * fr->ph;
}

/* The range of every series, padded by 10% and rounded to nice steps. */
static struct lframe
lframe_of(const struct pccs_line_chart *c, double w, double h)
{
    const double left = 84, right = 170, top = 48, bottom = 96;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < c->ns; k++)
        for (size_t i = 0; i < c->n; i++)
            if (isfinite(c->s[k].y[i])) {
                lo = fmin(lo, c->s[k].y[i]);
                hi = fmax(hi, c->s[k].y[i]);
            }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    double pad = (hi - lo) * 0.1 + (hi == lo ? 1 : 0);
    /* Values that are never negative: the axis starts at zero, not at a
     * gridline below it that no value can reach. */
    bool from_zero = lo >= 0;
    lo -= pad;
    hi += pad;
    if (from_zero && lo < 0)
        lo = 0;
    double step = nice_step(hi - lo, 5);
    return (struct lframe){.left = left,
                           .top = top,
                           .pw = w - left - right,
                           .ph = h - top - bottom,
                           .lo = floor(lo / step) * step,
                           .hi = ceil(hi / step) * step,
                           .step = step,
                           .n = c->n};
}

static void
line_desc(FILE *f, const struct pccs_line_chart *c)
{
    for (size_t k = 0; k < c->ns; k++) {
        fprintf(f, "%s", k ? " " : "");
        pccs_xml_escape(f, c->s[k].name);
        fputs(": ", f);
        for (size_t i = 0; i < c->n; i++) {
            fprintf(f, "%s", i ? ", " : "");
            pccs_xml_escape(f, c->x[i]);
            fputc(' ', f);
            number(f, c->s[k].y[i], c->decimals);
        }
        fputs(".", f);
    }
    fputs("</desc>\n", f);
}

/* Gridlines at each step, and the x labels (at most twelve). */
static void
line_grid(FILE *f, const struct pccs_line_chart *c, const struct lframe *fr)
{
    double step = fr->step, left = fr->left, pw = fr->pw;
    /* v steps by adding, as it always has, so the gridlines stay put. */
    double v = fr->lo;
    while (v <= fr->hi + step / 2) {
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"" NHS_PALE_GREY "\"/>\n<text x=\"%.1f\" "
                "y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                "fill=\"" NHS_DARK_GREY "\">",
                left, ly(fr, v), left + pw, ly(fr, v), left - 6, ly(fr, v) + 4);
        number(f, v, step < 1 ? (step < 0.1 ? 2 : 1) : 0);
        fputs("</text>\n", f);
        v += step;
    }
    size_t every = c->n > 12 ? (c->n + 11) / 12 : 1;
    double y = fr->top + fr->ph + 16;
    for (size_t i = 0; i < c->n; i += every) {
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                "text-anchor=\"end\" transform=\"rotate(-40 %.1f %.1f)\" "
                "fill=\"" NHS_DARK_GREY "\">",
                lx(fr, i), y, lx(fr, i), y);
        pccs_xml_escape(f, c->x[i]);
        fputs("</text>\n", f);
    }
}

/* Series k: its path (broken at missing values), points and legend. */
static void
line_series(FILE *f, const struct pccs_line_chart *c, size_t k,
            const struct lframe *fr)
{
    const char *col = palette[k % (sizeof(palette) / sizeof(palette[0]))];
    const double *y = c->s[k].y;
    bool pen = false;
    fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
            col);
    for (size_t i = 0; i < c->n; i++) {
        if (!isfinite(y[i])) {
            pen = false;
            continue;
        }
        fprintf(f, "%s%.1f %.1f ", pen ? "L" : "M", lx(fr, i), ly(fr, y[i]));
        pen = true;
    }
    fputs("\"/>\n", f);
    for (size_t i = 0; i < c->n; i++)
        if (isfinite(y[i]))
            fprintf(f,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                    "fill=\"%s\"/>\n",
                    lx(fr, i), ly(fr, y[i]), col);
    double legend = fr->top + 14 + 20 * (double)k;
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"4\" "
            "fill=\"%s\"/>\n<text x=\"%.1f\" y=\"%.1f\" "
            "font-size=\"12\" fill=\"#212B32\">",
            fr->left + fr->pw + 14, legend - 4, col, fr->left + fr->pw + 34,
            legend + 1);
    pccs_xml_escape(f, c->s[k].name);
    fputs("</text>\n", f);
}

int
pccs_svg_line_write(FILE *f, const struct pccs_line_chart *c)
{
    const double w = 760, h = 400;
    struct lframe fr = lframe_of(c, w, h);
    open_svg(f, w, h, c->title);
    line_desc(f, c);
    heading(f, w, c->title);
    line_grid(f, c, &fr);
    for (size_t k = 0; k < c->ns; k++)
        line_series(f, c, k, &fr);
    if (c->unit && *c->unit) {
        fprintf(f,
                "<text x=\"16\" y=\"%.1f\" font-size=\"11\" "
                "fill=\"" NHS_DARK_GREY "\">",
                fr.top - 6);
        pccs_xml_escape(f, c->unit);
        fputs("</text>\n", f);
    }
    footer(f, h, c->source);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

int
pccs_svg_pyramid_write(FILE *f, const struct pccs_pyramid *c)
{
    const double w = 760, top = 64, row = 17, mid = 380, gap = 34, half = 290;
    double h = top + row * (double)c->n + 56;
    double tm = 0, tf = 0, hi = 0;
    for (size_t i = 0; i < c->n; i++) {
        tm += c->male[i];
        tf += c->female[i];
    }
    double tot = tm + tf;
    for (size_t i = 0; i < c->n && tot > 0; i++)
        hi = fmax(hi, fmax(c->male[i], c->female[i]) / tot * 100);
    if (hi <= 0)
        hi = 1;
    hi = ceil(hi);
    open_svg(f, w, h, c->title);
    fputs("Percentage of registered patients by age band and sex (male, "
          "female): ",
          f);
    for (size_t i = 0; i < c->n; i++) {
        fprintf(f, "%s", i ? "; " : "");
        pccs_xml_escape(f, c->bands[i]);
        fprintf(f, " %.1f%%, %.1f%%", tot > 0 ? c->male[i] / tot * 100 : 0,
                tot > 0 ? c->female[i] / tot * 100 : 0);
    }
    fputs(". Total ", f);
    number(f, tot, 0);
    fputs(" patients.</desc>\n", f);
    heading(f, w, c->title);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
            "text-anchor=\"middle\" font-weight=\"bold\" fill=\"" NHS_BLUE
            "\">Male</text>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" "
            "text-anchor=\"middle\" font-weight=\"bold\" fill=\"" NHS_PURPLE
            "\">Female</text>\n",
            mid - gap / 2 - half / 2, top - 10, mid + gap / 2 + half / 2,
            top - 10);
    for (size_t i = 0; i < c->n; i++) {
        /* Oldest at the top. */
        size_t b = c->n - 1 - i;
        double y = top + row * (double)i;
        double mw = tot > 0 ? c->male[b] / tot * 100 / hi * half : 0;
        double fw = tot > 0 ? c->female[b] / tot * 100 / hi * half : 0;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"" NHS_BLUE "\"/>\n<rect x=\"%.1f\" y=\"%.1f\" "
                "width=\"%.1f\" height=\"%.1f\" fill=\"" NHS_PURPLE "\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                "text-anchor=\"middle\" fill=\"#212B32\">",
                mid - gap / 2 - mw, y + 1.5, mw, row - 3, mid + gap / 2,
                y + 1.5, fw, row - 3, mid, y + row * 0.7);
        pccs_xml_escape(f, c->bands[b]);
        fputs("</text>\n", f);
    }
    double base = top + row * (double)c->n + 14;
    for (int k = 0; k <= 2; k++) {
        double p = hi * k / 2.0, dx = p / hi * half;
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                "text-anchor=\"middle\" fill=\"" NHS_DARK_GREY
                "\">%g%%</text>\n<text x=\"%.1f\" y=\"%.1f\" "
                "font-size=\"10\" text-anchor=\"middle\" fill=\"" NHS_DARK_GREY
                "\">%g%%</text>\n",
                mid - gap / 2 - dx, base, p, mid + gap / 2 + dx, base, p);
    }
    footer(f, h, c->source);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}
