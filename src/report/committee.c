/* SPDX-License-Identifier: MIT */
/* The committee report as one HTML file. */
#include "report/committee.h"
#include "report/committee_access.h"
#include "report/committee_phm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/ratio.h"
#include "calc/resilience.h"
#include "calc/spc.h"
#include "model/labels.h"
#include "report/chart.h"
#include "report/svg.h"
#include "report/table.h"

struct rep {
    FILE *f;
    const struct pccs_paper *p;
    const char *in;
    enum pccs_level level;
    bool access; /* the enhanced access section follows */
    /* The numbers the sections have in this paper (the optional ones
     * shift those after them; 0: not in it). */
    int n_access, n_resilience, n_registers, n_phm;
};

static const char style[] =
    "@page { size: A4; margin: 16mm 14mm 18mm 14mm; }\n"
    "body { font-family: Arial, Helvetica, sans-serif; color: #212B32; "
    "font-size: 10.5pt; line-height: 1.35; margin: 0 auto; max-width: "
    "190mm; }\n"
    "h1 { color: #005EB8; font-size: 22pt; margin: 0 0 4mm; }\n"
    "h2 { color: #003087; font-size: 14pt; border-bottom: 2px solid "
    "#005EB8; padding-bottom: 1mm; margin-top: 8mm; break-after: avoid; }\n"
    "h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }\n"
    "section { break-inside: auto; }\n"
    /* Sections flow on; the cover, the summary and each appendix start
     * a page. */
    "section.major { break-before: auto; }\n"
    "section.appendix { break-before: page; }\n"
    "table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; "
    "font-size: 8.5pt; }\n"
    "thead { display: table-header-group; }\n"
    "tr { break-inside: avoid; }\n"
    "th { background: #E8EDEE; text-align: left; padding: 1.2mm 1.5mm; "
    "border-bottom: 1px solid #768692; }\n"
    "td { padding: 0.9mm 1.5mm; border-bottom: 1px solid #E8EDEE; "
    "white-space: nowrap; }\n"
    "td.w { white-space: normal; }\n"
    "td.f { white-space: normal; overflow-wrap: anywhere; }\n"
    "table.wide { font-size: 6pt; letter-spacing: -0.1pt; }\n"
    "table.wide th { padding: 1mm 0.5mm; overflow-wrap: anywhere; }\n"
    "table.wide td { padding: 0.7mm 0.5mm; }\n"
    "td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "tr.total td { font-weight: bold; background: #F0F4F5; }\n"
    "td.p { white-space: nowrap; }\n"
    ".src { color: #425563; font-size: 7.5pt; margin: 0 0 1mm; }\n"
    ".lead { font-size: 12pt; color: #425563; }\n"
    ".rag { display: inline-block; padding: 0 2mm; border-radius: 2px; "
    "color: #fff; font-weight: bold; }\n"
    ".red { background: #D5281B; } .amber { background: #FFB81C; color: "
    "#212B32; } .green { background: #007F3B; }\n"
    "figure { margin: 3mm 0; break-inside: avoid; }\n"
    "figure svg { max-width: 100%; height: auto; }\n"
    ".none { color: #768692; font-style: italic; }\n"
    ".ogl { border-left: 4px solid #005EB8; padding-left: 3mm; }\n"
    ".prov { border: 2px solid #D5281B; background: #FDEDEC; color: "
    "#212B32; padding: 1.5mm 3mm; margin: 2mm 0 3mm; break-inside: avoid; "
    "}\n"
    ".prov strong { color: #D5281B; }\n"
    ".src.provnote { color: #D5281B; font-weight: bold; }\n"
    "td .mark { color: #D5281B; font-weight: bold; }\n"
    /* Print: a heading stays with what follows it, a figure fits a page
     * and is never split, a paragraph leaves no line alone. */
    "h1, h2, h3, p.asked, p.reading { break-after: avoid; "
    "break-inside: avoid; }\n"
    "p, li { orphans: 3; widows: 3; }\n"
    "figure svg { max-height: 225mm; width: auto; }\n"
    "figcaption, .src { break-before: avoid; }\n"
    "section.cover { break-after: page; }\n"
    ".meeting { color: #005EB8; font-weight: bold; font-size: 12pt; "
    "margin: 0 0 3mm; }\n"
    "section.cover h1 { font-size: 18pt; }\n"
    "table.coversheet, table.impl { font-size: 10pt; }\n"
    "table.coversheet th, table.impl th { width: 52mm; vertical-align: top; "
    "border-bottom: 1px solid #fff; }\n"
    "table.coversheet td, table.impl td { white-space: normal; "
    "vertical-align: top; }\n"
    ".tick { margin-right: 6mm; color: #768692; }\n"
    ".tick.on { color: #212B32; font-weight: bold; }\n"
    "ol.recs li { margin: 1mm 0; }\n"
    "h2.front { margin-top: 6mm; }\n"
    ".cite { color: #425563; font-size: 8pt; }\n"
    ".cite code { font-size: 7.5pt; }\n"
    ".cite .mark { color: #D5281B; font-weight: bold; }\n"
    "ul.summary li { margin: 0 0 2mm; }\n"
    "table.sumtab { font-size: 8pt; margin-top: 1.5mm; }\n"
    "p.reading { margin: 2mm 0 3mm; }\n"
    "section.summary { break-after: page; }\n"
    "section.appendix table { font-size: 7.5pt; }\n"
    "section.appendix td { padding: 0.4mm 1.5mm; }\n";

/* A note naming a generated file or a template's example rows. */
static bool
is_prov_note(const char *note)
{
    return !strncmp(note, "SYNTHETIC: ", 11) || !strncmp(note, "EXAMPLE: ", 9);
}

static void
esc(struct rep *r, const char *s)
{
    pccs_xml_escape(r->f, s);
}

/* The box saying that what follows rests on generated (synthetic) or
 * example rows, opened as far as its bold lead. */
static void
prov_open(struct rep *r, bool synthetic, bool example)
{
    fprintf(r->f, "<div class=\"prov\" data-provenance=\"%s%s%s\"><strong>",
            synthetic ? "synthetic" : "", synthetic && example ? " " : "",
            example ? "example" : "");
}

/*
 * The paper's table part, or NULL: when the paper asked for it and it
 * could not be built, say in the report why it is not there.
 */
static const struct pccs_table *
table_or_note(struct rep *r, enum pccs_paper_part part)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    if (!pt->asked)
        return NULL;
    if (!pt->ok) {
        fputs("<p class=\"none\">Not available: ", r->f);
        esc(r, pt->why);
        fputs(".</p>\n", r->f);
        return NULL;
    }
    const struct pccs_table *out = &pt->t;
    /* What follows rests on made-up or example rows: say so first. */
    if (out->marks) {
        prov_open(r, out->marks & PCCS_TABLE_SYNTHETIC,
                  out->marks & PCCS_TABLE_EXAMPLE);
        fprintf(r->f, "%s</strong>",
                out->marks & PCCS_TABLE_SYNTHETIC
                    ? "Not published data: the figures below rest on a "
                      "generated (synthetic) file."
                    : "Example rows: the figures below come from a "
                      "template's examples, not local data.");
        for (size_t i = 0; i < out->nnotes; i++)
            if (is_prov_note(out->notes[i])) {
                fputs(" ", r->f);
                esc(r, out->notes[i]);
            }
        fputs("</div>\n", r->f);
    }
    return out;
}

static void
notes(struct rep *r, const struct pccs_table *t)
{
    for (size_t i = 0; i < t->nnotes; i++) {
        if (strstr(t->notes[i], "Open Government Licence"))
            continue;
        fputs(is_prov_note(t->notes[i]) ? "<p class=\"src provnote\">"
                                        : "<p class=\"src\">",
              r->f);
        esc(r, t->notes[i]);
        fputs("</p>\n", r->f);
    }
}

typedef bool (*row_pred)(const struct pccs_table *t, size_t row,
                         const void *ctx);

/* Columns of t named in cols ("name=Label"), found in t. */
struct cols {
    int idx[32];
    const char *label[32];
    size_t n;
};

static void
html_head(struct rep *r, const struct pccs_table *t, const char *const *cols,
          struct cols *c, char labels[32][64])
{
    c->n = 0;
    size_t shown = 0;
    for (size_t i = 0; cols[i]; i++) {
        const char *eq = strchr(cols[i], '=');
        char name[64];
        snprintf(name, sizeof(name), "%.*s",
                 (int)(eq ? (size_t)(eq - cols[i]) : strlen(cols[i])), cols[i]);
        if (pccs_table_col_index(t, name) >= 0)
            shown++;
    }
    /* More than nine columns do not fit A4 portrait at the body's size. */
    fputs(shown > 9 ? "<table class=\"wide\">\n<thead><tr>"
                    : "<table>\n<thead><tr>",
          r->f);
    for (size_t i = 0; cols[i] && c->n < 32; i++) {
        const char *eq = strchr(cols[i], '=');
        char name[64];
        snprintf(name, sizeof(name), "%.*s",
                 (int)(eq ? (size_t)(eq - cols[i]) : strlen(cols[i])), cols[i]);
        int k = pccs_table_col_index(t, name);
        if (k < 0)
            continue;
        snprintf(labels[c->n], 64, "%s", eq ? eq + 1 : name);
        c->idx[c->n] = k;
        c->label[c->n] = labels[c->n];
        bool num = t->cols[k].type != PCCS_COL_TEXT;
        fprintf(r->f, "<th%s>", num ? " class=\"n\"" : "");
        esc(r, c->label[c->n]);
        fputs("</th>", r->f);
        c->n++;
    }
    fputs("</tr></thead>\n<tbody>\n", r->f);
}

/*
 * A resilience reasons cell ("qof_per_registered 8.36 below ...; ...")
 * with each indicator's column name replaced by its readable label (the
 * dashboard's, model/labels.c); the table and its CSV keep the name.
 */
static void
esc_reasons(struct rep *r, const char *v)
{
    while (*v) {
        size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_");
        if (n && v[n] == ' ' && memchr(v, '_', n)) {
            char name[64], label[128];
            snprintf(name, sizeof(name), "%.*s", (int)n, v);
            pccs_labels_column(name, label, sizeof(label));
            esc(r, label);
            v += n;
        }
        const char *end = strstr(v, "; ");
        size_t len = end ? (size_t)(end - v) + 2 : strlen(v);
        char *piece = pccs_xstrndup(v, len);
        esc(r, piece);
        free(piece);
        v += len;
    }
}

static size_t
html_rows(struct rep *r, const struct pccs_table *t, const struct cols *c,
          row_pred keep, const void *ctx, bool total)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    size_t shown = 0;
    for (size_t row = 0; row < t->nrows; row++) {
        if (keep && !keep(t, row, ctx))
            continue;
        fputs(total ? "<tr class=\"total\">" : "<tr>", r->f);
        for (size_t k = 0; k < c->n; k++) {
            int ci = c->idx[k];
            bool num = t->cols[ci].type != PCCS_COL_TEXT;
            pccs_buf_reset(&b);
            pccs_table_format_cell(&b, t, row, (size_t)ci);
            const char *v = b.len ? b.p : "";
            if (!strcmp(t->cols[ci].name, "overall") ||
                !strcmp(t->cols[ci].name, "rag") ||
                strstr(t->cols[ci].name, "_rag"))
                fprintf(r->f, "<td><span class=\"rag %s\">%s</span></td>", v,
                        v);
            else {
                const char *nm = t->cols[ci].name;
                bool wrap = !strcmp(nm, "name") || !strcmp(nm, "reasons") ||
                            !strcmp(nm, "flag") || !strcmp(nm, "basis") ||
                            !strcmp(nm, "title");
                fprintf(r->f, "<td%s>",
                        num    ? " class=\"n\""
                        : wrap ? " class=\"w\""
                               : "");
                if (!strcmp(nm, "reasons"))
                    esc_reasons(r, v);
                else
                    esc(r, v);
                fputs("</td>", r->f);
            }
        }
        fputs("</tr>\n", r->f);
        shown++;
    }
    pccs_buf_release(&b);
    return shown;
}

static void
html_foot(struct rep *r)
{
    fputs("</tbody>\n</table>\n", r->f);
}

/* A table of the given columns (name=Label), rows where keep says so. */
static size_t
html_table(struct rep *r, const struct pccs_table *t, const char *const *cols,
           row_pred keep, const void *ctx)
{
    struct cols c;
    char labels[32][64];
    html_head(r, t, cols, &c, labels);
    size_t n = html_rows(r, t, &c, keep, ctx, false);
    html_foot(r);
    return n;
}

static bool
is_org(const struct pccs_table *t, size_t row, const void *ctx)
{
    const struct pccs_cell *c = pccs_table_cell(t, row, 0);
    return c->text && strcmp(c->text, (const char *)ctx) == 0;
}

struct col_is {
    const char *col, *value;
};

/* The text in column col of row, or NULL (no such column, or null). */
static const char *
text_at(const struct pccs_table *t, size_t row, const char *col)
{
    int c = pccs_table_col_index(t, col);
    return c >= 0 ? pccs_table_cell(t, row, (size_t)c)->text : NULL;
}

static bool
col_equals(const struct pccs_table *t, size_t row, const void *ctx)
{
    const struct col_is *w = ctx;
    const char *x = text_at(t, row, w->col);
    return x && strcmp(x, w->value) == 0;
}

static bool
flagged(const struct pccs_table *t, size_t row, const void *ctx)
{
    (void)ctx;
    const char *x = text_at(t, row, "flag");
    return x && *x;
}

static bool
red_or_amber(const struct pccs_table *t, size_t row, const void *ctx)
{
    (void)ctx;
    const char *x = text_at(t, row, "overall");
    return x && (!strcmp(x, "red") || !strcmp(x, "amber"));
}

/*
 * A part of the paper shown as a table: a heading (h3: always, before
 * any note; h3_shown: only over the table), the columns ("name=Label"),
 * the rows kept (own: the organisation's own rows; else keep with ctx,
 * NULL for all), what to say when no row is kept (none, with the
 * organisation's code then none_tail after it when that is set), then
 * (a function for what goes between the table and its notes) and the
 * table's notes unless no_notes.
 */
struct view {
    enum pccs_paper_part part;
    const char *h3, *h3_shown;
    const char *const *cols;
    bool own;
    row_pred keep;
    const void *ctx;
    const char *none, *none_tail;
    void (*then)(struct rep *r, const struct pccs_table *t);
    bool no_notes;
};

static const struct pccs_table *
show(struct rep *r, const struct view *v)
{
    if (v->h3)
        fprintf(r->f, "<h3>%s</h3>\n", v->h3);
    const struct pccs_table *t = table_or_note(r, v->part);
    if (!t)
        return NULL;
    if (v->h3_shown)
        fprintf(r->f, "<h3>%s</h3>\n", v->h3_shown);
    size_t n = v->own ? html_table(r, t, v->cols, is_org, r->in)
                      : html_table(r, t, v->cols, v->keep, v->ctx);
    if (!n && v->none) {
        fprintf(r->f, "<p class=\"none\">%s", v->none);
        if (v->none_tail)
            fprintf(r->f, "%s%s", r->in, v->none_tail);
        fputs("</p>\n", r->f);
    }
    if (v->then)
        v->then(r, t);
    if (!v->no_notes)
        notes(r, t);
    return t;
}

/* ===== Figures quoted in prose: the summary and the readings ===== */

/* Row of part whose first column is key (and month is month, unless
 * NULL), or -1; month "" takes the last such row (the latest month). */
static long
row_of(const struct rep *r, enum pccs_paper_part part, const char *key,
       const char *month)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    if (!pt->asked || !pt->ok)
        return -1;
    const struct pccs_table *t = &pt->t;
    int mc = month ? pccs_table_col_index(t, "month") : -1;
    long found = -1;
    for (size_t i = 0; i < t->nrows; i++) {
        const char *k = pccs_table_cell(t, i, 0)->text;
        const char *m =
            mc >= 0 ? pccs_table_cell(t, i, (size_t)mc)->text : NULL;
        if (!k || strcmp(k, key))
            continue;
        if (month && *month && (!m || strcmp(m, month)))
            continue;
        found = (long)i;
        if (!month || *month)
            break;
    }
    /* A table asked at the organisation's own level has its one row,
     * under the code of the year (10X is D9Y0V in 2022-23). */
    bool own = part == PCCS_PAPER_ENT_AREA || part == PCCS_PAPER_ENT_AREA_PREV;
    if (found < 0 && own && t->nrows == 1)
        found = 0;
    return found;
}

/* Cell (row, col) of part, or NULL when there is none or it is null. */
static const struct pccs_cell *
cell_of(const struct rep *r, enum pccs_paper_part part, long row,
        const char *col)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    if (row < 0 || !pt->asked || !pt->ok)
        return NULL;
    int c = pccs_table_col_index(&pt->t, col);
    const struct pccs_cell *x =
        c >= 0 ? pccs_table_cell(&pt->t, (size_t)row, (size_t)c) : NULL;
    return x && !x->null ? x : NULL;
}

/* The attributes naming the question a figure answers: `pccs table NAME
 * ARGS`, then the row (first column, and month when the table has one). */
static void
fig_attrs(struct rep *r, const struct pccs_paper_table *pt, long row)
{
    fprintf(r->f, " data-table=\"%s\" data-args=\"", pt->name);
    esc(r, pt->args);
    fputs("\"", r->f);
    if (row < 0)
        return;
    const struct pccs_table *t = &pt->t;
    fprintf(r->f, " data-where=\"%s=", t->cols[0].name);
    esc(r, pccs_table_cell(t, (size_t)row, 0)->text);
    /* The columns that, with the first, name a row of a table. */
    static const char *const keys[] = {"month", "publication", "staff_group",
                                       "group", "arrs_role"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        int kc = pccs_table_col_index(t, keys[k]);
        const char *v =
            kc > 0 ? pccs_table_cell(t, (size_t)row, (size_t)kc)->text : NULL;
        if (!v)
            continue;
        fprintf(r->f, ";%s=", keys[k]);
        esc(r, v);
    }
    fputs("\"", r->f);
}

/*
 * The figure in cell (row, col) of part, as the table prints it, in a
 * span naming where it comes from, so a reader and the tests can find it
 * with pccs table. false (and nothing written) when there is none.
 */
static bool
fig(struct rep *r, enum pccs_paper_part part, long row, const char *col)
{
    if (!cell_of(r, part, row, col))
        return false;
    const struct pccs_paper_table *pt = &r->p->part[part];
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_table_format_cell(&b, &pt->t, (size_t)row,
                           (size_t)pccs_table_col_index(&pt->t, col));
    fputs("<span class=\"fig\"", r->f);
    fig_attrs(r, pt, row);
    fprintf(r->f, " data-col=\"%s\">", col);
    esc(r, b.p ? b.p : "");
    fputs("</span>", r->f);
    pccs_buf_release(&b);
    return true;
}

/* Rows of part whose col is value (NULL: every row). */
static size_t
count_rows(const struct rep *r, enum pccs_paper_part part, const char *col,
           const char *value)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    size_t n = 0;
    int c = col ? pccs_table_col_index(&pt->t, col) : -1;
    for (size_t i = 0; pt->asked && pt->ok && i < pt->t.nrows; i++) {
        const char *v =
            c >= 0 ? pccs_table_cell(&pt->t, i, (size_t)c)->text : NULL;
        n += !col || (v && !strcmp(v, value));
    }
    return n;
}

/* count_rows() in a span as fig()'s: data-count names what is counted. */
static size_t
fig_count(struct rep *r, enum pccs_paper_part part, const char *col,
          const char *value)
{
    size_t n = count_rows(r, part, col, value);
    fputs("<span class=\"fig\"", r->f);
    fig_attrs(r, &r->p->part[part], -1);
    if (col)
        fprintf(r->f, " data-count=\"%s=%s\">%zu</span>", col, value, n);
    else
        fprintf(r->f, " data-count=\"\">%zu</span>", n);
    return n;
}

/* "(source: Patients Registered at a GP Practice, 2022-01-01; ...)": the
 * files part's figures rest on, with their periods and marks. */
static void
cite(struct rep *r, enum pccs_paper_part part)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    if (!pt->asked || !pt->ok)
        return;
    fputs(" <span class=\"cite\">(", r->f);
    size_t shown = 0;
    for (size_t i = 0; i < pt->t.nsources; i++) {
        const struct pccs_paper_source *s = NULL;
        for (size_t k = 0; k < r->p->nsources && !s; k++)
            if (r->p->sources[k].id == pt->t.sources[i])
                s = &r->p->sources[k];
        if (!s)
            continue;
        fputs(shown++ ? "; " : "source: ", r->f);
        esc(r, s->title);
        if (s->period[0]) {
            fputs(", ", r->f);
            esc(r, s->period);
        }
        if (s->mark)
            fprintf(r->f, " <span class=\"mark\">%s</span>",
                    s->example ? "EXAMPLE" : "SYNTHETIC");
    }
    fprintf(r->f, "%s<code>pccs table %s ", shown ? "; " : "", pt->name);
    esc(r, pt->args);
    fputs("</code>)</span>", r->f);
}

/* "12.3%" from now against before: the change a sentence states. */
static void
change_pct(struct rep *r, double now, double before)
{
    double c = pccs_res_change_pct(now, before);
    if (isfinite(c))
        fprintf(r->f, "<span class=\"derived\">%+.1f%%</span>", c);
    else
        fputs("no change to state", r->f);
}

/* prefix then fig() when the cell has a figure; false when not. */
static bool
fig_pre(struct rep *r, enum pccs_paper_part part, long row, const char *prefix,
        const char *col)
{
    if (!cell_of(r, part, row, col))
        return false;
    fputs(prefix, r->f);
    return fig(r, part, row, col);
}

/* Rows of part whose col is at least min: the count, in a span. */
static size_t
fig_count_ge(struct rep *r, enum pccs_paper_part part, const char *col,
             double min)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    size_t n = 0;
    for (size_t i = 0; pt->asked && pt->ok && i < pt->t.nrows; i++) {
        const struct pccs_cell *x = cell_of(r, part, (long)i, col);
        n += x && x->num >= min;
    }
    fputs("<span class=\"fig\"", r->f);
    fig_attrs(r, pt, -1);
    fprintf(r->f, " data-count=\"%s&gt;=%g\">%zu</span>", col, min, n);
    return n;
}

/* One of the 12-month growth figures (before or now), as the population
 * section shows it: the organisation's registered list on that day. */
static void
fig_growth(struct rep *r, size_t i)
{
    const struct pccs_paper_growth *g = &r->p->growth;
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_table_format_cell(&b, &g->t, 0, i);
    fprintf(r->f,
            "<span class=\"fig\" data-table=\"populations\" "
            "data-args=\"--level %s --in %s --period %s\" "
            "data-where=\"code=%s\" data-col=\"registered\">%s</span>",
            pccs_level_name(r->level), r->in, i ? g->now : g->before, r->in,
            b.p ? b.p : "");
    pccs_buf_release(&b);
}

static void
sum_population(struct rep *r)
{
    long row = row_of(r, PCCS_PAPER_POP, r->in, NULL);
    if (row < 0)
        return;
    fputs("<li><strong>Population.</strong> ", r->f);
    esc(r, r->p->name);
    fputs(" has ", r->f);
    fig(r, PCCS_PAPER_POP, row, "registered");
    fputs(" registered patients (", r->f);
    fig(r, PCCS_PAPER_POP, row, "weighted");
    fputs(" weighted) in ", r->f);
    fig(r, PCCS_PAPER_POP, row, "practices");
    fputs(" practices", r->f);
    if (r->p->part[PCCS_PAPER_POP_PCN].ok) {
        fputs(" and ", r->f);
        fig_count(r, PCCS_PAPER_POP_PCN, NULL, NULL);
        fputs(" PCNs", r->f);
    }
    fputs(".", r->f);
    cite(r, PCCS_PAPER_POP);
    const struct pccs_paper_growth *g = &r->p->growth;
    if (g->found && g->t.nrows) {
        fprintf(r->f,
                " Over the 12 months to %s the list changed by "
                "<strong>",
                g->now);
        struct pccs_buf b = PCCS_BUF_INIT;
        pccs_table_format_cell(&b, &g->t, 0, 2);
        esc(r, b.p ? b.p : "");
        pccs_buf_release(&b);
        fputs("%</strong>, from ", r->f);
        fig_growth(r, 0);
        fprintf(r->f, " on %s to ", g->before);
        fig_growth(r, 1);
        fputs(" (Patients Registered at a GP Practice).", r->f);
    }
    fputs("</li>\n", r->f);
}

static void
sum_capacity(struct rep *r)
{
    enum pccs_paper_part c = PCCS_PAPER_CAPACITY;
    long row = row_of(r, c, r->in, "");
    if (row < 0 || !cell_of(r, c, row, "per_1000"))
        return;
    fputs("<li><strong>Access.</strong> In the month of ", r->f);
    fig(r, c, row, "month");
    fputs(", ", r->f);
    fig(r, c, row, "appointments");
    fputs(" appointments: ", r->f);
    fig(r, c, row, "per_1000");
    fputs(" per 1,000 registered patients", r->f);
    if (fig_pre(r, c, row, ", of which ", "dna_pct"))
        fputs("% were not attended", r->f);
    if (cell_of(r, c, row, "appointments_growth_12m_pct")) {
        fputs("; appointments changed by ", r->f);
        fig(r, c, row, "appointments_growth_12m_pct");
        fputs("% over 12 months", r->f);
        if (fig_pre(r, c, row, " and the list by ", "list_growth_12m_pct"))
            fputs("%", r->f);
    }
    fputs(".", r->f);
    cite(r, c);
    fputs("</li>\n", r->f);
}

static void
sum_entitlements(struct rep *r)
{
    long now = row_of(r, PCCS_PAPER_ENT_AREA, r->in, NULL);
    long before = row_of(r, PCCS_PAPER_ENT_AREA_PREV, r->in, NULL);
    if (!cell_of(r, PCCS_PAPER_ENT_AREA, now, "total_known"))
        return;
    fprintf(r->f,
            "<li><strong>PCN entitlements against last year.</strong> "
            "The PCNs' Network Contract DES entitlements known for %s come "
            "to £",
            r->p->year);
    fig(r, PCCS_PAPER_ENT_AREA, now, "total_known");
    const struct pccs_cell *b =
        cell_of(r, PCCS_PAPER_ENT_AREA_PREV, before, "total_known");
    if (b) {
        fputs(", against £", r->f);
        fig(r, PCCS_PAPER_ENT_AREA_PREV, before, "total_known");
        fprintf(r->f, " in %s (", r->p->prev_year);
        change_pct(r, cell_of(r, PCCS_PAPER_ENT_AREA, now, "total_known")->num,
                   b->num);
        fputs(")", r->f);
    }
    if (fig_pre(r, PCCS_PAPER_ENT_AREA, now, "; besides, practices receive £",
                "practice_income_known"))
        fputs(" of DES income", r->f);
    fputs(".", r->f);
    cite(r, PCCS_PAPER_ENT_AREA);
    fputs("</li>\n", r->f);
}

/* The practices of part rated rating, each with its reasons. */
static void
rated_rows(struct rep *r, const char *rating)
{
    enum pccs_paper_part part = PCCS_PAPER_RESILIENCE;
    const struct pccs_table *t = &r->p->part[part].t;
    int oc = pccs_table_col_index(t, "overall");
    for (size_t i = 0; oc >= 0 && i < t->nrows; i++) {
        const char *v = pccs_table_cell(t, i, (size_t)oc)->text;
        if (!v || strcmp(v, rating))
            continue;
        fputs("<tr><td>", r->f);
        fig(r, part, (long)i, "code");
        fputs("</td><td class=\"w\">", r->f);
        fig(r, part, (long)i, "name");
        fprintf(r->f,
                "</td><td><span class=\"rag %s\">%s</span></td>"
                "<td class=\"w\">",
                rating, rating);
        fig(r, part, (long)i, "reasons");
        fputs("</td></tr>\n", r->f);
    }
}

static void
sum_resilience(struct rep *r)
{
    enum pccs_paper_part part = PCCS_PAPER_RESILIENCE;
    if (!r->p->part[part].asked || !r->p->part[part].ok)
        return;
    fputs("<li><strong>Practices rated red or amber.</strong> ", r->f);
    size_t red = fig_count(r, part, "overall", "red");
    fputs(" red and ", r->f);
    size_t amber = fig_count(r, part, "overall", "amber");
    fputs(" amber of ", r->f);
    fig_count(r, part, NULL, NULL);
    fputs(" practices, by the rules of data/rules/resilience.csv.", r->f);
    cite(r, part);
    if (amber > 10)
        fprintf(r->f,
                " The %zu amber practices are in appendix B with "
                "their reasons.",
                amber);
    if (!red && (!amber || amber > 10)) {
        fputs("</li>\n", r->f);
        return;
    }
    fputs("<table class=\"sumtab\"><thead><tr><th>Practice</th><th>Name"
          "</th><th>Rating</th><th>Why</th></tr></thead><tbody>\n",
          r->f);
    rated_rows(r, "red");
    if (amber <= 10)
        rated_rows(r, "amber");
    fputs("</tbody></table></li>\n", r->f);
}

static void
sum_risks(struct rep *r)
{
    enum pccs_paper_part part = PCCS_PAPER_RISKS;
    if (!r->p->part[part].asked || !r->p->part[part].ok)
        return;
    fputs("<li><strong>Risks scoring 15 or more.</strong> ", r->f);
    if (!r->p->part[part].t.nrows) {
        fputs("None: the register holds ", r->f);
        fig_count(r, part, NULL, NULL);
        fputs(" risks for this area.", r->f);
        cite(r, part);
        fputs("</li>\n", r->f);
        return;
    }
    size_t n = fig_count_ge(r, part, "score", 15);
    fputs(" of the ", r->f);
    fig_count(r, part, NULL, NULL);
    fputs(" risks on the register", r->f);
    const char *sep = ": ";
    for (size_t i = 0; n && i < r->p->part[part].t.nrows; i++) {
        const struct pccs_cell *x = cell_of(r, part, (long)i, "score");
        if (!x || x->num < 15)
            continue;
        fputs(sep, r->f);
        sep = "; ";
        fig(r, part, (long)i, "risk_id");
        fputs(" ", r->f);
        fig(r, part, (long)i, "title");
        fputs(" (score ", r->f);
        fig(r, part, (long)i, "score");
        fig_pre(r, part, (long)i, ", ", "owner");
        fputs(")", r->f);
    }
    fputs(".", r->f);
    cite(r, part);
    fputs("</li>\n", r->f);
}

static void
sum_programmes(struct rep *r)
{
    enum pccs_paper_part part = PCCS_PAPER_PROGRAMMES;
    long total = row_of(r, part, "Total", NULL);
    if (!cell_of(r, part, total, "overdue"))
        return;
    fputs("<li><strong>Overdue programmes.</strong> ", r->f);
    const struct pccs_cell *all = cell_of(r, part, total, "total");
    if (!all || all->num <= 0) {
        fputs("None: the register holds ", r->f);
        if (!fig(r, part, total, "total"))
            fputs("no", r->f);
        fputs(" milestones for this area.", r->f);
        cite(r, part);
        fputs("</li>\n", r->f);
        return;
    }
    fig(r, part, total, "overdue");
    fputs(" of ", r->f);
    fig(r, part, total, "total");
    fputs(" programme milestones are overdue", r->f);
    const char *sep = " (";
    for (size_t i = 0; i < r->p->part[part].t.nrows; i++) {
        const struct pccs_cell *x = cell_of(r, part, (long)i, "overdue");
        if ((long)i == total || !x || x->num <= 0)
            continue;
        fputs(sep, r->f);
        sep = "; ";
        fig(r, part, (long)i, "workstream");
        fputs(" ", r->f);
        fig(r, part, (long)i, "overdue");
    }
    fputs(*sep == ';' ? ")." : ".", r->f);
    cite(r, part);
    fputs("</li>\n", r->f);
}

/* The executive summary: every figure in it is a cell of a table this
 * paper shows (or a count of its rows), in a span saying which. */
static void
sec_summary(struct rep *r)
{
    fputs("<section class=\"summary\"><h2 class=\"front\" "
          "id=\"summary\">Executive summary</h2>\n<p class=\"reading\">"
          "Written from the tables of this paper: each figure below is the "
          "one its section shows, for the period and from the source "
          "named beside it.</p>\n<h3>What changed since the last "
          "period</h3>\n<ul class=\"summary\">\n",
          r->f);
    sum_population(r);
    sum_capacity(r);
    sum_entitlements(r);
    fputs("</ul>\n<h3>What needs the Committee's attention</h3>\n"
          "<ul class=\"summary\">\n",
          r->f);
    sum_resilience(r);
    sum_risks(r);
    sum_programmes(r);
    fputs("</ul>\n</section>\n", r->f);
}

/* ===== The reading that opens each section ===== */

static void
reading_open(struct rep *r)
{
    fputs("<p class=\"reading\">", r->f);
}

/* The row of part for the organisation whose col is largest (most) or
 * smallest, among rows where key_col is key (NULL: all rows); -1. */
static long
row_extreme(const struct rep *r, enum pccs_paper_part part, const char *col,
            bool most)
{
    const struct pccs_paper_table *pt = &r->p->part[part];
    long best = -1;
    double v = 0;
    for (size_t i = 0; pt->asked && pt->ok && i < pt->t.nrows; i++) {
        const struct pccs_cell *x = cell_of(r, part, (long)i, col);
        if (x && (best < 0 || (most ? x->num > v : x->num < v))) {
            best = (long)i;
            v = x->num;
        }
    }
    return best;
}

static void
read_population(struct rep *r)
{
    long row = row_of(r, PCCS_PAPER_POP, r->in, NULL);
    if (row < 0)
        return;
    reading_open(r);
    esc(r, r->p->name);
    fputs(" has ", r->f);
    fig(r, PCCS_PAPER_POP, row, "registered");
    fputs(" registered patients in ", r->f);
    fig(r, PCCS_PAPER_POP, row, "practices");
    fputs(" practices", r->f);
    enum pccs_paper_part pp = PCCS_PAPER_POP_PCN;
    long big = row_extreme(r, pp, "registered", true);
    long small = row_extreme(r, pp, "registered", false);
    if (big >= 0 && small >= 0) {
        fputs(". Of its ", r->f);
        fig_count(r, pp, NULL, NULL);
        fputs(" PCNs the largest is ", r->f);
        fig(r, pp, big, "name");
        fputs(" (", r->f);
        fig(r, pp, big, "registered");
        fputs(" registered) and the smallest ", r->f);
        fig(r, pp, small, "name");
        fputs(" (", r->f);
        fig(r, pp, small, "registered");
        fputs(")", r->f);
    }
    fputs(". PCN totals come first; each PCN's practices are in appendix "
          "A.</p>\n",
          r->f);
}

static void
read_capacity(struct rep *r)
{
    enum pccs_paper_part c = PCCS_PAPER_CAPACITY;
    long row = row_of(r, c, r->in, "");
    if (!cell_of(r, c, row, "per_1000"))
        return;
    reading_open(r);
    fputs("In the latest month, ", r->f);
    fig(r, c, row, "month");
    fputs(", practices gave ", r->f);
    fig(r, c, row, "per_1000");
    fputs(" appointments per 1,000 registered patients", r->f);
    if (fig_pre(r, c, row, "; ", "dna_pct"))
        fputs("% were not attended", r->f);
    if (fig_pre(r, c, row, "; ", "face_to_face_pct"))
        fputs("% were face to face", r->f);
    fputs(". The charts below show whether the month-to-month variation is "
          "more than common cause (Making Data Count).</p>\n",
          r->f);
}

/* This year's line against last year's, at the organisation's level. */
static void
ent_against_last_year(struct rep *r)
{
    enum pccs_paper_part a = PCCS_PAPER_ENT_AREA, b = PCCS_PAPER_ENT_AREA_PREV;
    long now = row_of(r, a, r->in, NULL), before = row_of(r, b, r->in, NULL);
    if (now < 0 || before < 0)
        return;
    fprintf(r->f,
            "<h3>Against last year</h3>\n<table><thead><tr><th>Line"
            "</th><th class=\"n\">%s £</th><th class=\"n\">%s £</th><th "
            "class=\"n\">Change</th></tr></thead><tbody>\n",
            r->p->year, r->p->prev_year);
    for (size_t i = 0; i <= r->p->nline_cols; i++) {
        char name[64];
        const char *lc = i < r->p->nline_cols ? r->p->line_cols[i]
                                              : "total_known=PCN total known";
        const char *eq = strchr(lc, '=');
        snprintf(name, sizeof(name), "%.*s", (int)(eq - lc), lc);
        const struct pccs_cell *x = cell_of(r, a, now, name);
        const struct pccs_cell *y = cell_of(r, b, before, name);
        fprintf(r->f, "<tr%s><td>",
                i < r->p->nline_cols ? "" : " class=\"total\"");
        esc(r, eq + 1);
        fputs("</td><td class=\"n\">", r->f);
        fig(r, a, now, name);
        fputs("</td><td class=\"n\">", r->f);
        fig(r, b, before, name);
        fputs("</td><td class=\"n\">", r->f);
        if (x && y)
            change_pct(r, x->num, y->num);
        fputs("</td></tr>\n", r->f);
    }
    fputs("</tbody></table>\n", r->f);
}

static void
read_entitlements(struct rep *r)
{
    enum pccs_paper_part a = PCCS_PAPER_ENT_AREA;
    long now = row_of(r, a, r->in, NULL);
    if (!cell_of(r, a, now, "total_known"))
        return;
    reading_open(r);
    fprintf(r->f, "For %s the Network Contract DES entitles the PCNs of ",
            r->p->year);
    esc(r, r->p->name);
    fputs(" to £", r->f);
    fig(r, a, now, "total_known");
    fputs(" where the rate and population are known", r->f);
    long before = row_of(r, PCCS_PAPER_ENT_AREA_PREV, r->in, NULL);
    if (fig_pre(r, PCCS_PAPER_ENT_AREA_PREV, before, ", against £",
                "total_known"))
        fprintf(r->f, " in %s", r->p->prev_year);
    if (fig_pre(r, a, now, "; of it the ARRS sum is £", "arrs"))
        fputs(", set against the roles in post below", r->f);
    fputs(". Each line is shown with its rate or the reason it has no "
          "amount.</p>\n",
          r->f);
}

static void
read_workforce(struct rep *r)
{
    enum pccs_paper_part w = PCCS_PAPER_WORKFORCE;
    const struct pccs_paper_table *pt = &r->p->part[w];
    long row = -1;
    int gc = pt->ok ? pccs_table_col_index(&pt->t, "staff_group") : -1;
    for (size_t i = 0; gc >= 0 && i < pt->t.nrows && row < 0; i++) {
        const char *g = pccs_table_cell(&pt->t, i, (size_t)gc)->text;
        if (g && !strcmp(g, "GP") && is_org(&pt->t, i, r->in))
            row = (long)i;
    }
    if (!cell_of(r, w, row, "fte_per_10000_weighted"))
        return;
    reading_open(r);
    fputs("GPs: ", r->f);
    fig(r, w, row, "fte");
    fputs(" FTE, ", r->f);
    fig(r, w, row, "fte_per_10000_weighted");
    fputs(" per 10,000 weighted patients (", r->f);
    fig(r, w, row, "publication");
    fputs(", census ", r->f);
    fig(r, w, row, "census");
    fputs("). The table gives every staff group.</p>\n", r->f);
}

/* The organisation's QOF row with the largest or smallest prevalence
 * against England's (the ratio picks the row; the figures are cells). */
static long
qof_extreme(const struct rep *r, bool above)
{
    enum pccs_paper_part q = PCCS_PAPER_QOF;
    const struct pccs_paper_table *pt = &r->p->part[q];
    long best = -1;
    double v = 0;
    for (size_t i = 0; pt->ok && i < pt->t.nrows; i++) {
        const struct pccs_cell *x = cell_of(r, q, (long)i, "prevalence_pct");
        const struct pccs_cell *e =
            cell_of(r, q, (long)i, "national_prevalence_pct");
        if (!x || !e || e->num <= 0 || !is_org(&pt->t, i, r->in))
            continue;
        double ratio = x->num / e->num;
        if (best < 0 || (above ? ratio > v : ratio < v)) {
            best = (long)i;
            v = ratio;
        }
    }
    return best;
}

static void
read_qof(struct rep *r)
{
    enum pccs_paper_part q = PCCS_PAPER_QOF;
    long hi = qof_extreme(r, true), lo = qof_extreme(r, false);
    if (hi < 0 || lo < 0)
        return;
    reading_open(r);
    fputs("Recorded prevalence furthest above England's is ", r->f);
    fig(r, q, hi, "group_label");
    fputs(" (", r->f);
    fig(r, q, hi, "prevalence_pct");
    fputs("% against ", r->f);
    fig(r, q, hi, "national_prevalence_pct");
    fputs("%); furthest below is ", r->f);
    fig(r, q, lo, "group_label");
    fputs(" (", r->f);
    fig(r, q, lo, "prevalence_pct");
    fputs("% against ", r->f);
    fig(r, q, lo, "national_prevalence_pct");
    fputs("%). Low recorded prevalence can mean undiagnosed disease as "
          "much as a healthier population.</p>\n",
          r->f);
}

static void
read_payments(struct rep *r)
{
    enum pccs_paper_part p = PCCS_PAPER_PAYMENTS;
    long hi = row_extreme(r, p, "total_per_weighted", true);
    long lo = row_extreme(r, p, "total_per_weighted", false);
    if (hi < 0 || lo < 0)
        return;
    reading_open(r);
    fprintf(r->f, "In %s, NHS payments per weighted patient ranged from £",
            r->p->year ? r->p->year : "the year");
    fig(r, p, lo, "total_per_weighted");
    fputs(" (", r->f);
    fig(r, p, lo, "name");
    fputs(") to £", r->f);
    fig(r, p, hi, "total_per_weighted");
    fputs(" (", r->f);
    fig(r, p, hi, "name");
    fputs("). Practices outside the 5th to 95th percentile of their ICB "
          "are listed after the table.</p>\n",
          r->f);
}

static void
read_resilience(struct rep *r)
{
    enum pccs_paper_part s = PCCS_PAPER_RESILIENCE;
    if (!r->p->part[s].asked || !r->p->part[s].ok)
        return;
    reading_open(r);
    fputs("Of ", r->f);
    fig_count(r, s, NULL, NULL);
    fputs(" practices, ", r->f);
    fig_count(r, s, "overall", "red");
    fputs(" are rated red, ", r->f);
    fig_count(r, s, "overall", "amber");
    fputs(" amber and ", r->f);
    fig_count(r, s, "overall", "green");
    fputs(" green by the rules of data/rules/resilience.csv (local "
          "judgement where no national threshold exists). The red "
          "practices follow with their reasons; appendix B lists the red "
          "and amber ones.</p>\n",
          r->f);
}

static void
read_registers(struct rep *r)
{
    enum pccs_paper_part k = PCCS_PAPER_RISKS, g = PCCS_PAPER_PROGRAMMES;
    enum pccs_paper_part b = PCCS_PAPER_BUDGET;
    long total = row_of(r, g, "Total", NULL), bt = row_of(r, b, "Total", NULL);
    if (!r->p->part[k].ok && total < 0 && bt < 0)
        return;
    reading_open(r);
    fputs("From the local registers:", r->f);
    if (r->p->part[k].ok) {
        fputs(" ", r->f);
        fig_count_ge(r, k, "score", 15);
        fputs(" of ", r->f);
        fig_count(r, k, NULL, NULL);
        fputs(" risks score 15 or more;", r->f);
    }
    if (fig_pre(r, g, total, " ", "overdue") &&
        fig_pre(r, g, total, " of ", "total"))
        fputs(" programme milestones are overdue;", r->f);
    if (fig_pre(r, b, bt, " the delegated budget forecasts £", "forecast") &&
        fig_pre(r, b, bt, " against a plan of £", "plan"))
        fputs("", r->f);
    fputs(". Practices not visited in 18 months are in appendix C.</p>\n",
          r->f);
}

/* Appendix B: every practice rated red or amber, with its reasons. */
static void
app_resilience(struct rep *r)
{
    const struct pccs_paper_table *pt = &r->p->part[PCCS_PAPER_RESILIENCE];
    if (!pt->asked || !pt->ok)
        return;
    fputs("<section class=\"major appendix\"><h2 class=\"front\">Appendix "
          "B. Practices rated red or amber</h2>\n<p class=\"reading\">Each "
          "practice rated red or amber in section ",
          r->f);
    fprintf(r->f, "%d, with the indicators that rate it so.</p>\n",
            r->n_resilience);
    static const char *const cols[] = {"code=Practice",   "name=Name",
                                       "parent_code=PCN", "overall=Rating",
                                       "reasons=Why",     NULL};
    if (!html_table(r, &pt->t, cols, red_or_amber, NULL))
        fputs("<p class=\"none\">None.</p>\n", r->f);
    fputs("</section>\n", r->f);
}

/* ===== Sections ===== */

static void
source_row(struct rep *r, const struct pccs_paper_source *s)
{
    fputs("<tr><td class=\"w\">", r->f);
    esc(r, s->title);
    if (s->mark) {
        fputs(" <span class=\"mark\">", r->f);
        esc(r, s->mark);
        fputs(s->example ? ": template example rows, not local data"
                         : ": generated file, not published data",
              r->f);
        fputs("</span>", r->f);
    }
    fputs("</td><td class=\"p\">", r->f);
    esc(r, s->period);
    fputs("</td><td class=\"n\">", r->f);
    struct pccs_table one;
    pccs_table_init(&one, "rows");
    pccs_table_col(&one, "rows", PCCS_COL_INT, 0);
    pccs_table_row(&one);
    pccs_table_int(&one, s->rows);
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_table_format_cell(&b, &one, 0, 0);
    esc(r, b.p);
    pccs_buf_release(&b);
    pccs_table_release(&one);
    fputs("</td><td class=\"f\">", r->f);
    esc(r, s->file);
    fputs("</td></tr>\n", r->f);
}

static void contents(struct rep *r); /* after the sections' list */

static void
sec_sources(struct rep *r)
{
    fputs("<section><h2>1. Purpose and data sources</h2>\n<p>This paper "
          "sets out the registered population, capacity and access, PCN "
          "entitlements, workforce, QOF prevalence, payments and practice "
          "resilience for ",
          r->f);
    esc(r, r->p->name);
    fputs(", from the NHS publications loaded into pccs. Each "
          "table names its source and period beneath it; the figures are "
          "those <code>pccs table</code> prints for the same question.</p>\n",
          r->f);
    int n[2] = {r->p->nsynthetic, r->p->nexample};
    if (n[0] || n[1]) {
        prov_open(r, n[0], n[1]);
        fprintf(r->f,
                "Not all of this paper rests on published or local data."
                "</strong> %d of the files below %s generated (SYNTHETIC) "
                "and %d %s a template's example rows (EXAMPLE); each table "
                "and chart resting on one says so.</div>\n",
                n[0], n[0] == 1 ? "is" : "are", n[1],
                n[1] == 1 ? "holds" : "hold");
    }
    contents(r);
    fputs("<p>The files loaded, with their periods, are listed in appendix "
          "D.</p>\n<p class=\"ogl\">Contains public sector information "
          "licensed under the Open Government Licence v3.0.</p>\n"
          "</section>\n",
          r->f);
}

/* Appendix D: every file loaded, its period and rows. */
static void
app_sources(struct rep *r)
{
    fputs("<section class=\"major appendix\"><h2 class=\"front\">Appendix "
          "D. Data sources</h2>\n<p class=\"reading\">Every file loaded "
          "into pccs for this paper, with the period it covers; files "
          "marked SYNTHETIC or EXAMPLE are not published or local "
          "data.</p>\n<table><thead><tr><th>Publication</th><th>Period</th>"
          "<th class=\"n\">Rows</th><th>File</th></tr></thead><tbody>\n",
          r->f);
    for (size_t i = 0; i < r->p->nsources; i++)
        source_row(r, &r->p->sources[i]);
    fputs("</tbody></table>\n</section>\n", r->f);
}

/* Growth of the registered list over the 12 months to the latest
 * snapshot, formatted as the tables format them. */
static void
list_growth(struct rep *r)
{
    const struct pccs_paper_growth *g = &r->p->growth;
    fputs("<h3>Growth</h3>\n", r->f);
    if (!g->found) {
        fprintf(r->f,
                "<p class=\"none\">List growth over 12 months needs two "
                "registrations snapshots about a year apart (%s).</p>\n",
                g->nsnaps ? "none 330 to 400 days before the latest"
                          : "none loaded");
        return;
    }
    struct pccs_buf f[3];
    for (size_t i = 0; i < 3; i++) {
        f[i] = (struct pccs_buf)PCCS_BUF_INIT;
        pccs_table_format_cell(&f[i], &g->t, 0, i);
    }
    fprintf(r->f,
            "<p>Registered list on %s: %s; on %s: %s; growth over 12 "
            "months: <strong>%s%%</strong> (Patients Registered at a GP "
            "Practice)%s%s.</p>\n",
            g->before, f[0].p, g->now, f[1].p, f[2].p, g->note[0] ? "; " : "",
            g->note);
    for (int i = 0; i < 3; i++)
        pccs_buf_release(&f[i]);
}

static void
see_appendix_a(struct rep *r, const struct pccs_table *t)
{
    (void)t;
    fputs("<p class=\"src\">Each PCN's practices are in appendix A.</p>\n",
          r->f);
}

static void
sec_population(struct rep *r)
{
    static const char *const area[] = {
        "code=Code",           "name=Organisation",
        "practices=Practices", "registered=Registered",
        "weighted=Weighted",   NULL};
    show(r, &(struct view){.part = PCCS_PAPER_POP,
                           .h3 = "Registered and weighted population",
                           .cols = area,
                           .own = true,
                           .no_notes = true});
    list_growth(r);
    static const char *const pcns[] = {
        "code=Code",           "name=PCN",
        "practices=Practices", "registered=Registered",
        "weighted=Weighted",   NULL};
    show(r, &(struct view){.part = PCCS_PAPER_POP_PCN,
                           .h3_shown = "By PCN",
                           .cols = pcns,
                           .then = see_appendix_a});
    const struct pccs_table *ab;
    fputs("<h3>Age and sex</h3>\n", r->f);
    ab = table_or_note(r, PCCS_PAPER_AGE);
    if (ab) {
        const char *bands[32];
        double m[32], fe[32];
        size_t n = 0;
        for (size_t i = 0; i < ab->nrows && n < 32; i++) {
            if (!is_org(ab, i, r->in))
                continue;
            bands[n] = pccs_table_cell(ab, i, 3)->text;
            m[n] = pccs_table_cell(ab, i, 4)->num;
            fe[n++] = pccs_table_cell(ab, i, 5)->num;
        }
        struct pccs_pyramid c = {.title = "Registered patients by age and sex",
                                 .bands = bands,
                                 .male = m,
                                 .female = fe,
                                 .n = n,
                                 .source = ""};
        fputs("<figure>", r->f);
        pccs_svg_pyramid_write(r->f, &c);
        fputs("</figure>\n", r->f);
        notes(r, ab);
    }
}

/* Appendix A: each PCN's total, then its practices. */
static void
app_population(struct rep *r)
{
    const struct pccs_paper_table *pp = &r->p->part[PCCS_PAPER_POP_PCN];
    if (!pp->asked || !pp->ok)
        return;
    const struct pccs_table *pcn = &pp->t;
    fputs("<section class=\"major appendix\"><h2 class=\"front\">Appendix "
          "A. Population by PCN and practice</h2>\n<p class=\"reading\">"
          "Each PCN's total row (in bold) comes first, then its practices; "
          "the figures are those of section 2.</p>\n",
          r->f);
    const struct pccs_table *prac = table_or_note(r, PCCS_PAPER_POP_PRACTICE);
    static const char *const cols[] = {"code=Code", "name=PCN / practice",
                                       "registered=Registered",
                                       "weighted=Weighted", NULL};
    struct cols c;
    char labels[32][64];
    html_head(r, pcn, cols, &c, labels);
    for (size_t i = 0; i < pcn->nrows; i++) {
        const char *code = pccs_table_cell(pcn, i, 0)->text;
        struct col_is w = {.col = "parent_code", .value = code};
        html_rows(r, pcn, &c, is_org, code, true);
        if (prac)
            html_rows(r, prac, &c, col_equals, &w, false);
    }
    html_foot(r);
    if (prac)
        notes(r, prac);
    fputs("</section>\n", r->f);
}

/* An SPC run as a figure: the chart, then what its latest point (the
 * month or census named by at) shows; fewer is said when a phase is
 * short. */
static void
spc_figure(struct rep *r, const struct pccs_spc_run *run, const char *at,
           const char *fewer)
{
    char title[256];
    snprintf(title, sizeof(title), "%s, %s", run->metric->summary, r->in);
    struct pccs_svg_spc c;
    pccs_svg_spc_of_run(&c, run, title);
    fputs("<figure>", r->f);
    pccs_svg_spc_write(r->f, &c);
    fputs("<figcaption class=\"src\">Making Data Count XmR chart: ", r->f);
    esc(r, pccs_svg_variation(&c));
    fprintf(r->f, " at the latest %s; %zu points%s.</figcaption>", at, run->s.n,
            run->short_group ? fewer : "");
    fputs("</figure>\n", r->f);
}

/* The paper's SPC run i as a chart, with its provenance first. */
static void
spc_chart(struct rep *r, size_t i)
{
    if (!r->p->spc_ok[i])
        return;
    const struct pccs_spc_run *run = &r->p->spc[i];
    const struct pccs_series *s = &run->s;
    bool marked = false;
    for (size_t k = 0; k < s->nnotes; k++) {
        if (!is_prov_note(s->notes[k]))
            continue;
        if (!marked) {
            prov_open(r, s->notes[k][0] == 'S', s->notes[k][0] != 'S');
            fputs("Not published data: this chart rests on a generated or "
                  "example file.</strong>",
                  r->f);
        }
        marked = true;
        fputs(" ", r->f);
        esc(r, s->notes[k]);
    }
    if (marked)
        fputs("</div>\n", r->f);
    spc_figure(r, run, "month",
               " (fewer than 13 in a group: limits less reliable)");
}

/* One cell of t as the tables format it, into b (released by the caller). */
static const char *
cell_text(struct pccs_buf *b, const struct pccs_table *t, size_t row,
          size_t col)
{
    *b = (struct pccs_buf)PCCS_BUF_INIT;
    pccs_table_format_cell(b, t, row, col);
    return b->p ? b->p : "";
}

/* Appointment growth against list growth, first to latest month, each
 * month's list its own snapshot or the nearest earlier; then the list
 * between the first and the latest snapshot (list-growth). */
static void
cap_sentence(struct rep *r, const struct pccs_table *g)
{
    struct pccs_buf f[7];
    fprintf(r->f,
            "<p>Appointments went from %s in %s to %s in %s "
            "(<strong>%s%%</strong>). ",
            cell_text(&f[0], g, 0, 3), cell_text(&f[1], g, 0, 1),
            cell_text(&f[2], g, 0, 4), cell_text(&f[3], g, 0, 2),
            cell_text(&f[4], g, 0, 5));
    const char *l0 = pccs_table_cell(g, 1, 1)->text;
    const char *l1 = pccs_table_cell(g, 1, 2)->text;
    pccs_day d0, d1;
    int y0, m0, y1, m1, dd;
    if (l0 && l1 && strcmp(l0, l1) != 0 &&
        !pccs_date_parse(pccs_str_from(l0), &d0) &&
        !pccs_date_parse(pccs_str_from(l1), &d1)) {
        pccs_date_to_ymd(d0, &y0, &m0, &dd);
        pccs_date_to_ymd(d1, &y1, &m1, &dd);
        fprintf(r->f,
                "The registered list of those months, from the snapshots of "
                "%s and %s (%d months apart: not the same span), changed by "
                "<strong>%s%%</strong>.",
                l0, l1, (y1 - y0) * 12 + m1 - m0, cell_text(&f[5], g, 1, 5));
    }
    else {
        f[5] = (struct pccs_buf)PCCS_BUF_INIT;
        fprintf(r->f,
                "Both months use the list of one registrations snapshot "
                "(%s), so there is no list growth to set against them.",
                l0 ? l0 : "");
    }
    fprintf(r->f, " Appointments per 1,000 patients changed by %s%%.</p>\n",
            cell_text(&f[6], g, 2, 5));
    for (size_t i = 0; i < 7; i++)
        pccs_buf_release(&f[i]);
}

static void
cap_vs_list(struct rep *r)
{
    const struct pccs_table *g = &r->p->cap_growth;
    fputs("<h3>Appointments against list growth</h3>\n", r->f);
    if (r->p->cap_growth_ok && g->nrows == 3) {
        cap_sentence(r, g);
        static const char *const cols[] = {
            "what=Figure", "from=From",           "to=To", "before=Before",
            "now=Latest",  "change_pct=Change %", NULL};
        html_table(r, g, cols, NULL, NULL);
    }
    else
        fputs("<p class=\"none\">Appointment growth needs two months of "
              "appointments loaded.</p>\n",
              r->f);
    const struct pccs_table *lg = table_or_note(r, PCCS_PAPER_LIST_GROWTH);
    if (lg) {
        fputs("<h3>The list between the first and the latest "
              "registrations snapshot</h3>\n",
              r->f);
        static const char *const lcols[] = {
            "from=From",
            "to=To",
            "registered_from=Registered then",
            "registered_to=Registered now",
            "registered_change_pct=Change %",
            "weighted_change_pct=Weighted change %",
            "opened=Practices opened",
            "closed=Practices closed",
            NULL};
        html_table(r, lg, lcols, is_org, r->in);
        notes(r, lg);
    }
}

static void
cap_charts(struct rep *r, const struct pccs_table *t)
{
    (void)t;
    for (size_t i = 0; i < PCCS_PAPER_NSPC; i++)
        spc_chart(r, i);
}

static void
sec_capacity(struct rep *r)
{
    static const char *const cols[] = {
        "month=Month",
        "registered=Registered",
        "appointments=Appointments",
        "per_1000=Per 1,000",
        "dna_pct=DNA %",
        "face_to_face_pct=Face to face %",
        "appointments_growth_12m_pct=Appointments growth 12m %",
        "list_growth_12m_pct=List growth 12m %",
        NULL};
    show(r, &(struct view){.part = PCCS_PAPER_CAPACITY,
                           .cols = cols,
                           .own = true,
                           .then = cap_charts});
    cap_vs_list(r);
}

/* Every DES line of the year: the area's amount, or why there is none;
 * then the PCNs with the lines paid that year. */
static void
ent_lines(struct rep *r, const struct pccs_table *pcns)
{
    if (r->access)
        fprintf(r->f,
                "<p>Enhanced access delivered: minutes required, offered "
                "and delivered by PCN in section <a href=\"#access\">%d. "
                "Enhanced access</a>.</p>\n",
                r->n_access);
    else
        fputs("<p class=\"none\">Enhanced access delivered: no delivery "
              "data loaded.</p>\n",
              r->f);
    if (!r->p->lines_ok)
        return;
    fputs("<h3>PCN entitlements by line</h3>\n", r->f);
    table_or_note(r, PCCS_PAPER_ENT_AREA);
    static const char *const lcols[] = {"line=Line", "paid_to=Paid to",
                                        "amount=Amount",
                                        "basis=Rate or "
                                        "reason",
                                        NULL};
    html_table(r, &r->p->lines, lcols, NULL, NULL);

    /* Per PCN: the lines paid that year. */
    const char *cols[32];
    size_t n = 0;
    cols[n++] = "code=PCN";
    for (size_t i = 0; i < r->p->nline_cols; i++)
        cols[n++] = r->p->line_cols[i];
    cols[n++] = "total_known=PCN total known";
    cols[n++] = "practice_income_known=Practice income";
    cols[n] = NULL;
    fputs("<h3>PCN entitlements by PCN</h3>\n", r->f);
    html_table(r, pcns, cols, NULL, NULL);
}

static void
sec_entitlements(struct rep *r)
{
    ent_against_last_year(r);
    static const char *const acc[] = {
        "code=PCN", "name=Name", "adjusted_estimate=Adjusted population",
        "enhanced_access_minutes_per_week=Minutes per week required", NULL};
    show(r, &(struct view){.part = PCCS_PAPER_ENT_PCN,
                           .h3 = "Enhanced access required",
                           .cols = acc,
                           .then = ent_lines});
    static const char *const cols[] = {
        "code=PCN",          "fte=FTE in post",   "cost_in_post=Cost in post",
        "arrs_sum=ARRS sum", "share_pct=Share %", NULL};
    static const struct col_is all = {.col = "arrs_role",
                                      .value = "all ARRS roles"};
    show(r, &(struct view){.part = PCCS_PAPER_ARRS,
                           .h3 = "ARRS roles in post",
                           .cols = cols,
                           .keep = col_equals,
                           .ctx = &all});
}

/* A number as the paper writes FTE: two decimals, thousands separated. */
static void
fte_text(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.2f", v);
}

/* The census dates and FTE of the workforce series, all staff beside
 * direct patient care, then the SPC chart of the latter. */
static void
wf_table(struct rep *r)
{
    const struct pccs_series *all = &r->p->wf[0].s, *dpc = &r->p->wf[1].s;
    fputs("<table><thead><tr><th>Census</th><th class=\"n\">All PCN staff "
          "FTE</th><th class=\"n\">Direct patient care FTE</th></tr>"
          "</thead><tbody>\n",
          r->f);
    for (size_t i = 0; i < all->n; i++) {
        double v = NAN;
        for (size_t k = 0; r->p->wf_ok[1] && k < dpc->n; k++)
            if (!strcmp(dpc->date[k], all->date[i]))
                v = dpc->y[k];
        char a[32], b[32];
        fte_text(a, sizeof(a), all->y[i]);
        fte_text(b, sizeof(b), v);
        fprintf(r->f,
                "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s"
                "</td></tr>\n",
                all->date[i], a, b);
    }
    fputs("</tbody></table>\n", r->f);
}

/* The PCN workforce series: growth since the first census (2020), by
 * census and by direct patient care role (the ARRS roles and others). */
static void
wf_series(struct rep *r)
{
    fputs("<h3>PCN workforce since 2020</h3>\n", r->f);
    const struct pccs_series *s = &r->p->wf[1].s;
    if (!r->p->wf_ok[0] || !r->p->wf_ok[1] || s->n < 2) {
        fputs("<p class=\"none\">The series needs two PCN workforce "
              "censuses loaded.</p>\n",
              r->f);
        return;
    }
    char a[32], b[32];
    fte_text(a, sizeof(a), s->y[0]);
    fte_text(b, sizeof(b), s->y[s->n - 1]);
    fprintf(r->f,
            "<p>Direct patient care staff in PCNs (the Additional Roles "
            "Reimbursement Scheme roles and others): %s FTE at the census of "
            "%s, %s FTE at that of %s (<strong>%+.1f%%</strong>; PCN "
            "workforce, every census loaded).</p>\n",
            a, s->date[0], b, s->date[s->n - 1],
            pccs_growth_pct(s->y[s->n - 1], s->y[0]));
    wf_table(r);
    spc_figure(r, &r->p->wf[1], "census",
               " (fewer than 13: limits less reliable)");
    if (r->p->wf_roles_ok) {
        fprintf(r->f, "<h3>By role: %s against %s</h3>\n", s->date[0],
                s->date[s->n - 1]);
        static const char *const cols[] = {
            "staff_role=Role",       "fte_first=FTE first",
            "fte_latest=FTE latest", "change=Change (FTE)",
            "change_pct=Change %",   NULL};
        html_table(r, &r->p->wf_roles, cols, NULL, NULL);
    }
    notes(r, &r->p->wf[1].table);
}

static void
sec_workforce(struct rep *r)
{
    static const char *const cols[] = {
        "publication=Publication",
        "staff_group=Staff group",
        "fte=FTE",
        "headcount=Headcount",
        "contracted_services=Contracted services",
        "fte_per_10000_weighted=FTE per 10,000 weighted",
        "census=Census",
        NULL};
    show(r, &(struct view){
                .part = PCCS_PAPER_WORKFORCE, .cols = cols, .own = true});
    /* The PCN part fails for the reason the area's did: say it once. */
    const struct pccs_paper_table *wa = &r->p->part[PCCS_PAPER_WORKFORCE],
                                  *wp = &r->p->part[PCCS_PAPER_WORKFORCE_PCN];
    bool same = wa->asked && !wa->ok && wp->asked && !wp->ok &&
                !strcmp(wa->why, wp->why);
    const struct pccs_table *w =
        same ? NULL : table_or_note(r, PCCS_PAPER_WORKFORCE_PCN);
    if (w) {
        fputs("<h3>GPs per 10,000 weighted patients by PCN (GP "
              "workforce)</h3>\n",
              r->f);
        const char **labels = pccs_xcalloc(w->nrows + 1, sizeof(*labels));
        const char **codes = pccs_xcalloc(w->nrows + 1, sizeof(*codes));
        double *v = pccs_xcalloc(w->nrows + 1, sizeof(*v));
        size_t n = 0;
        int nmc = pccs_table_col_index(w, "name");
        int pc = pccs_table_col_index(w, "publication");
        int gc = pccs_table_col_index(w, "staff_group");
        int vc = pccs_table_col_index(w, "fte_per_10000_weighted");
        for (size_t i = 0; i < w->nrows && pc >= 0 && gc >= 0 && vc >= 0; i++) {
            if (strcmp(pccs_table_cell(w, i, (size_t)pc)->text,
                       "GP workforce") ||
                strcmp(pccs_table_cell(w, i, (size_t)gc)->text, "GP"))
                continue;
            /* The bar by the PCN's name; its code in the chart's text. */
            const struct pccs_cell *nc =
                nmc >= 0 ? pccs_table_cell(w, i, (size_t)nmc) : NULL;
            codes[n] = pccs_table_cell(w, i, 0)->text;
            labels[n] =
                nc && !nc->null && nc->text && *nc->text ? nc->text : codes[n];
            const struct pccs_cell *c = pccs_table_cell(w, i, (size_t)vc);
            v[n++] = c->null ? NAN : c->num;
        }
        if (n) {
            struct pccs_bar_chart c = {
                .title = "GP FTE per 10,000 weighted patients",
                .unit = "per 10,000",
                .labels = labels,
                .codes = codes,
                .v = v,
                .n = n,
                .decimals = 2,
                .source = ""};
            fputs("<figure>", r->f);
            pccs_svg_bar_write(r->f, &c);
            fputs("</figure>\n", r->f);
        }
        else
            fputs("<p class=\"none\">No GP workforce practice-level file "
                  "loaded.</p>\n",
                  r->f);
        free(labels);
        free(codes);
        free(v);
    }
    wf_series(r);
}

static void
sec_qof(struct rep *r)
{
    static const char *const cols[] = {"group_label=Disease group",
                                       "register=Register",
                                       "list_size=List size",
                                       "prevalence_pct=Prevalence %",
                                       "national_prevalence_pct=England %",
                                       NULL};
    show(r, &(struct view){.part = PCCS_PAPER_QOF,
                           .cols = cols,
                           .own = true,
                           .none = "No QOF figures for ",
                           .none_tail = " in the files loaded."});
}

static void
sec_payments(struct rep *r)
{
    static const char *const cols[] = {"code=Code",
                                       "name=Name",
                                       "registered=Registered",
                                       "weighted=Weighted",
                                       "total=Total £",
                                       "total_per_registered=£ per registered",
                                       "total_per_weighted=£ per weighted",
                                       "decile=Decile",
                                       NULL};
    show(r, &(struct view){.part = PCCS_PAPER_PAYMENTS, .cols = cols});
    static const char *const out[] = {"code=Practice", "name=Name",
                                      "total_per_weighted=£ per weighted",
                                      "flag=Flag", NULL};
    show(r, &(struct view){.part = PCCS_PAPER_PAYMENTS_PRACTICE,
                           .h3 = "Practices outside the 5th to 95th "
                                 "percentile of their ICB",
                           .cols = out,
                           .keep = flagged,
                           .none = "None.",
                           .no_notes = true});
}

static void
sec_resilience(struct rep *r)
{
    static const char *const cols[] = {"code=Practice", "name=Name",
                                       "overall=Rating", "reasons=Why", NULL};
    static const struct col_is red = {.col = "overall", .value = "red"};
    show(r, &(struct view){.part = PCCS_PAPER_RESILIENCE,
                           .cols = cols,
                           .keep = col_equals,
                           .ctx = &red,
                           .none = "No practice is rated red."});
}

/* A register table under its heading, or a line saying why not. */
static void
register_part(struct rep *r, const char *title, enum pccs_paper_part part,
              const char *const *cols)
{
    show(r, &(struct view){
                .part = part, .h3 = title, .cols = cols, .none = "None."});
}

static void
sec_registers(struct rep *r)
{
    static const char *const ps[] = {"workstream=Workstream",
                                     "not_started=Not started",
                                     "achieved_and_closed=Achieved and closed",
                                     "in_progress=In progress",
                                     "overdue=Overdue",
                                     "total=Total",
                                     NULL};
    register_part(r, "Programme status", PCCS_PAPER_PROGRAMMES, ps);
    static const char *const rk[] = {
        "risk_id=Risk", "title=Title",        "owner=Owner", "score=Score",
        "rag=RAG",      "review_date=Review", NULL};
    register_part(r, "Risks by score", PCCS_PAPER_RISKS, rk);
    static const char *const es[] = {"place=Place",           "tenure=Tenure",
                                     "premises=Premises",     "area_m2=Area m2",
                                     "area_pct=Area %",       "void_m2=Void m2",
                                     "void_cost=Void cost £", NULL};
    register_part(r, "Estates", PCCS_PAPER_ESTATES, es);
    static const char *const bu[] = {"line=Line",
                                     "plan=Plan £",
                                     "actual=Actual £",
                                     "forecast=Forecast £",
                                     "variance=Variance £",
                                     "movement_since_last=Movement £",
                                     NULL};
    register_part(r, "Delegated budget", PCCS_PAPER_BUDGET, bu);
    static const char *const lc[] = {"code=Practice",
                                     "name=Name",
                                     "closed_from=From",
                                     "closed_to=To",
                                     "in_force=In force",
                                     "review_date=Review",
                                     NULL};
    register_part(r, "List closures", PCCS_PAPER_CLOSURES, lc);
}

/* Appendix C: practices not visited in 18 months. */
static void
app_visits(struct rep *r)
{
    fputs("<section class=\"major appendix\"><h2 class=\"front\">Appendix "
          "C. Practice visits</h2>\n",
          r->f);
    static const char *const vi[] = {"code=Practice", "name=Name",
                                     "last_visit=Last visit",
                                     "months_since=Months since", NULL};
    register_part(r, "Practices not visited in 18 months", PCCS_PAPER_VISITS,
                  vi);
    fputs("</section>\n", r->f);
}

/*
 * The numbered sections after the sources: each opens with its heading
 * and a reading of its figures, then its tables and charts. A new
 * section is a line here with its two functions.
 */
struct section {
    const char *title; /* numbered in order as the paper is written */
    void (*reading)(struct rep *r);
    void (*body)(struct rep *r);
};

static const struct section sections[] = {
    {.title = "Population", .reading = read_population, .body = sec_population},
    {.title = "Capacity against population growth",
     .reading = read_capacity,
     .body = sec_capacity},
    {.title = "Access, PCN entitlements and ARRS",
     .reading = read_entitlements,
     .body = sec_entitlements},
    {.title = "Workforce per 10,000 weighted patients",
     .reading = read_workforce,
     .body = sec_workforce},
    {.title = "QOF prevalence", .reading = read_qof, .body = sec_qof},
    {.title = "Payments per weighted patient",
     .reading = read_payments,
     .body = sec_payments},
    {.title = "Practices rated red or amber",
     .reading = read_resilience,
     .body = sec_resilience},
    {.title = "Local registers",
     .reading = read_registers,
     .body = sec_registers},
};

/* Section 1 is the sources; sections[] from 2; enhanced access (when
 * loaded) follows the access section, population health (when loaded)
 * comes last. */
#define SEC_FIRST 2
#define SEC_ACCESS 2     /* sections[] index of the access section */
#define SEC_RESILIENCE 6 /* of the practices rated red or amber */

static int
sec_number(const struct rep *r, size_t i)
{
    return SEC_FIRST + (int)i + (r->access && i > SEC_ACCESS);
}

static void
number_sections(struct rep *r, bool phm)
{
    size_t n = sizeof(sections) / sizeof(sections[0]);
    r->n_access = r->access ? sec_number(r, SEC_ACCESS) + 1 : 0;
    r->n_resilience = sec_number(r, SEC_RESILIENCE);
    r->n_registers = sec_number(r, n - 1);
    r->n_phm = phm ? sec_number(r, n - 1) + 1 : 0;
}

/* The contents: every numbered section, linked. */
static void
contents(struct rep *r)
{
    fputs("<h3>Contents</h3>\n<ul class=\"contents\">\n<li>1. Purpose and "
          "data sources</li>\n",
          r->f);
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        fprintf(r->f, "<li><a href=\"#s%d\">%d. %s</a></li>\n",
                sec_number(r, i), sec_number(r, i), sections[i].title);
        if (i == SEC_ACCESS && r->access)
            fprintf(r->f,
                    "<li><a href=\"#access\">%d. Enhanced access: minutes "
                    "required, offered and delivered</a></li>\n",
                    r->n_access);
    }
    if (r->n_phm)
        fprintf(r->f,
                "<li><a href=\"#phm\">%d. Population health: Network "
                "Contract DES cohorts</a></li>\n",
                r->n_phm);
    fputs("</ul>\n", r->f);
}

/* ===== The cover sheet ===== */

/* The paper's title: the front matter's, else the organisation's. */
static void
paper_title(struct rep *r, const struct pccs_paper_front *fr)
{
    if (fr->title[0]) {
        esc(r, fr->title);
        return;
    }
    fputs("Primary care commissioning report: ", r->f);
    esc(r, r->p->name);
    fputs(" (", r->f);
    esc(r, r->p->in);
    fputs(")", r->f);
    if (r->p->year)
        fprintf(r->f, ", %s", r->p->year);
}

static void
cover_row(struct rep *r, const char *label, const char *value)
{
    fprintf(r->f, "<tr><th scope=\"row\">%s</th><td class=\"w\">", label);
    esc(r, value);
    fputs("</td></tr>\n", r->f);
}

/* Decision, assurance or information: the one chosen ticked. */
static void
cover_purpose(struct rep *r, enum pccs_paper_purpose purpose)
{
    static const char *const names[] = {"Decision", "Assurance", "Information"};
    fputs("<tr><th scope=\"row\">Purpose</th><td class=\"w purpose\">", r->f);
    for (int i = 0; i < 3; i++)
        fprintf(r->f, "<span class=\"%s\">%s %s</span> ",
                i == (int)purpose ? "tick on" : "tick",
                i == (int)purpose ? "&#9746;" : "&#9744;", names[i]);
    fputs("</td></tr>\n", r->f);
}

/* A recommendation, its {section:NAME} as the section's number here. */
static void
rec_text(struct rep *r, const char *s)
{
    static const char *const names[] = {"resilience", "registers", "access",
                                        "phm"};
    struct pccs_buf b = PCCS_BUF_INIT;
    while (*s) {
        const char *at = strstr(s, "{section:");
        if (!at) {
            pccs_buf_add(&b, s, strlen(s));
            break;
        }
        pccs_buf_add(&b, s, (size_t)(at - s));
        const char *name = at + 9, *end = strchr(name, '}');
        int num[] = {r->n_resilience, r->n_registers, r->n_access, r->n_phm};
        size_t k = 0;
        while (end && k < 4 &&
               (strlen(names[k]) != (size_t)(end - name) ||
                strncmp(names[k], name, (size_t)(end - name))))
            k++;
        if (!end || k == 4 || !num[k]) { /* not ours: as written */
            pccs_buf_add(&b, at, 1);
            s = at + 1;
            continue;
        }
        pccs_buf_addf(&b, "%d", num[k]);
        s = end + 1;
    }
    esc(r, b.p ? b.p : "");
    pccs_buf_release(&b);
}

static void
sec_cover(struct rep *r, const struct pccs_paper_front *fr,
          const char *generated)
{
    fputs("<section class=\"cover\">\n<p class=\"meeting\">", r->f);
    esc(r, fr->meeting);
    fputs("</p>\n<h1>", r->f);
    paper_title(r, fr);
    fputs("</h1>\n<table class=\"coversheet\"><tbody>\n", r->f);
    cover_row(r, "Meeting", fr->meeting);
    cover_row(r, "Date of meeting", fr->date[0] ? fr->date : generated);
    cover_row(r, "Agenda item", fr->agenda_item);
    cover_row(r, "Author", fr->author);
    cover_row(r, "Lead", fr->lead);
    cover_purpose(r, fr->purpose);
    fputs("<tr><th scope=\"row\">Figures</th><td class=\"w\">", r->f);
    esc(r, r->p->name);
    fputs(" (", r->f);
    esc(r, r->p->in);
    fprintf(r->f,
            ")%s%s; made by pccs on %s from the NHS publications "
            "listed in appendix D, each table naming its source and "
            "period.</td></tr>\n</tbody></table>\n",
            r->p->year ? ", financial year " : "", r->p->year ? r->p->year : "",
            generated);
    fputs("<h2 class=\"front\" id=\"recommendations\">Recommendations</h2>\n"
          "<p class=\"asked\">The Committee is asked to:</p>\n<ol "
          "class=\"recs\">\n",
          r->f);
    for (size_t i = 0; i < fr->nrecs; i++) {
        fputs("<li>", r->f);
        rec_text(r, fr->recs[i]);
        fputs("</li>\n", r->f);
    }
    fputs("</ol>\n<h2 class=\"front\">Implications</h2>\n<table "
          "class=\"impl\"><tbody>\n",
          r->f);
    for (size_t i = 0; i < PCCS_PAPER_NIMPL; i++)
        cover_row(r, pccs_paper_impl_labels[i], fr->impl[i]);
    fputs("</tbody></table>\n", r->f);
    int n[2] = {r->p->nsynthetic, r->p->nexample};
    if (n[0] || n[1]) {
        prov_open(r, n[0], n[1]);
        fprintf(r->f,
                "Not all of this paper rests on published or local data:"
                "</strong> %d generated (SYNTHETIC) file%s and %d "
                "template example (EXAMPLE) file%s loaded; every table "
                "and figure resting on one says so.</div>\n",
                n[0], n[0] == 1 ? "" : "s", n[1], n[1] == 1 ? "" : "s");
    }
    fputs("</section>\n", r->f);
}

int
pccs_committee_write(FILE *f, const struct pccs_paper *p,
                     const struct pccs_committee_options *o,
                     struct pccs_err *err)
{
    struct rep r = {.f = f,
                    .p = p,
                    .in = p->in,
                    .level = p->level,
                    .access = o->access != NULL};
    const char *name = p->name;
    struct pccs_paper_front defaults;
    const struct pccs_paper_front *fr = o->front;
    if (!fr) {
        pccs_paper_front_init(&defaults);
        fr = &defaults;
    }
    const char *generated = o->generated ? o->generated : "";
    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<title>",
          f);
    esc(&r, name);
    fprintf(f,
            " - primary care commissioning report</title>\n<style>\n%s"
            "</style>\n</head>\n<body>\n",
            style);
    number_sections(&r, o->phm != NULL);
    sec_cover(&r, fr, generated);
    sec_summary(&r);
    sec_sources(&r);
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        const struct section *sec = &sections[i];
        int k = sec_number(&r, i);
        fprintf(f, "<section class=\"major\" id=\"s%d\"><h2>%d. %s</h2>\n", k,
                k, sec->title);
        sec->reading(&r);
        sec->body(&r);
        fputs("</section>\n", f);
        if (i == SEC_ACCESS && o->access)
            pccs__committee_access_write(f, o->access, r.n_access);
    }
    if (o->phm)
        pccs__committee_phm_write(f, o->phm, r.n_phm);
    app_population(&r);
    app_resilience(&r);
    app_visits(&r);
    app_sources(&r);
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? pccs_err_set(err, PCCS_EIO, "cannot write the report")
                     : PCCS_OK;
}

int
pccs_committee_report(FILE *f, struct pccs_store *st,
                      const struct pccs_tree *tree,
                      const struct pccs_committee_request *rq,
                      struct pccs_err *err)
{
    struct pccs_paper paper;
    struct pccs_paper_options po = {.in = rq->in,
                                    .year = rq->year,
                                    .include_synthetic = rq->include_synthetic};
    int rc = pccs_paper_gather(st, tree, &po, &paper, err);
    struct pccs_table phm = {0};
    bool have = false;
    if (!rc)
        rc = pccs__committee_phm_gather(st, tree, paper.in, &phm, &have, err);
    struct pccs_ea_period ea;
    bool have_ea = false;
    if (!rc)
        rc = pccs_enhanced_access_period(st, tree, paper.in, rq->year,
                                         rq->generated, &ea, &have_ea, err);
    if (!rc) {
        struct pccs_committee_options o = {.generated = rq->generated,
                                           .front = rq->front,
                                           .phm = have ? &phm : NULL,
                                           .access = have_ea ? &ea : NULL};
        rc = pccs_committee_write(f, &paper, &o, err);
    }
    pccs_table_release(&phm);
    if (have_ea)
        pccs_ea_period_release(&ea);
    pccs_paper_release(&paper);
    return rc;
}
