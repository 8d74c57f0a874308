/* SPDX-License-Identifier: MIT */
/* The committee report as one HTML file. */
#include "report/committee.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/resilience.h"
#include "calc/spc.h"
#include "model/entitlements.h"
#include "model/metrics.h"
#include "model/period.h"
#include "model/tables.h"
#include "report/chart.h"
#include "report/svg.h"
#include "report/table.h"

struct rep {
    FILE *f;
    struct pccs_store *st;
    const struct pccs_tree *t;
    const char *in;
    int org;
    enum pccs_level level;
    const char *year;
    struct pccs_err *err;
    bool include_synthetic;
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
    "section.major { break-before: page; }\n"
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
    "table.wide { font-size: 6.5pt; }\n"
    "table.wide th { padding: 1mm 0.8mm; }\n"
    "table.wide td { padding: 0.7mm 0.8mm; }\n"
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
    "td .mark { color: #D5281B; font-weight: bold; }\n";

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

/* Run table name for q, or say in the report why it is not there. */
static bool
table_or_note(struct rep *r, const char *name, enum pccs_level level,
              const char *in, const char *period, struct pccs_table *out)
{
    struct pccs_table_query q = {level, in,    PCCS_DAY_NONE, period, NULL,
                                 NULL,  false, false,         NULL,   false};
    q.include_synthetic = r->include_synthetic;
    memset(out, 0, sizeof(*out));
    int rc =
        pccs_table_run(pccs_table_def_find(name), r->st, r->t, &q, out, r->err);
    if (rc) {
        fputs("<p class=\"none\">Not available: ", r->f);
        esc(r, r->err->msg);
        fputs(".</p>\n", r->f);
        pccs_err_clear(r->err);
        pccs_table_release(out);
        return false;
    }
    /* What follows rests on made-up or example rows: say so first. */
    if (out->marks) {
        fprintf(r->f,
                "<div class=\"prov\" data-provenance=\"%s%s%s\"><strong>%s"
                "</strong>",
                out->marks & PCCS_TABLE_SYNTHETIC ? "synthetic" : "",
                out->marks == (PCCS_TABLE_SYNTHETIC | PCCS_TABLE_EXAMPLE) ? " "
                                                                          : "",
                out->marks & PCCS_TABLE_EXAMPLE ? "example" : "",
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
    return true;
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

typedef bool (*row_pred)(const struct pccs_table *t, size_t row, void *ctx);

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

static size_t
html_rows(struct rep *r, const struct pccs_table *t, const struct cols *c,
          row_pred keep, void *ctx, bool total)
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
                            !strcmp(nm, "flag");
                fprintf(r->f, "<td%s>",
                        num    ? " class=\"n\""
                        : wrap ? " class=\"w\""
                               : "");
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
           row_pred keep, void *ctx)
{
    struct cols c;
    char labels[32][64];
    html_head(r, t, cols, &c, labels);
    size_t n = html_rows(r, t, &c, keep, ctx, false);
    html_foot(r);
    return n;
}

static bool
is_org(const struct pccs_table *t, size_t row, void *ctx)
{
    const struct pccs_cell *c = pccs_table_cell(t, row, 0);
    return c->text && strcmp(c->text, (const char *)ctx) == 0;
}

struct col_is {
    const char *col, *value;
};

static bool
col_equals(const struct pccs_table *t, size_t row, void *ctx)
{
    const struct col_is *w = ctx;
    int c = pccs_table_col_index(t, w->col);
    const struct pccs_cell *x =
        c >= 0 ? pccs_table_cell(t, row, (size_t)c) : NULL;
    return x && x->text && strcmp(x->text, w->value) == 0;
}

static bool
flagged(const struct pccs_table *t, size_t row, void *ctx)
{
    (void)ctx;
    int c = pccs_table_col_index(t, "flag");
    const struct pccs_cell *x =
        c >= 0 ? pccs_table_cell(t, row, (size_t)c) : NULL;
    return x && x->text && *x->text;
}

static bool
red_or_amber(const struct pccs_table *t, size_t row, void *ctx)
{
    (void)ctx;
    int c = pccs_table_col_index(t, "overall");
    const struct pccs_cell *x =
        c >= 0 ? pccs_table_cell(t, row, (size_t)c) : NULL;
    return x && x->text &&
           (!strcmp(x->text, "red") || !strcmp(x->text, "amber"));
}

/* ===== Sections ===== */

static int
source_row(void *ctx, const struct pccs_source_info *s)
{
    struct rep *r = ctx;
    fputs("<tr><td class=\"w\">", r->f);
    esc(r, s->publication ? s->publication : s->kind);
    if (s->provenance) {
        fputs(" <span class=\"mark\">", r->f);
        esc(r, pccs_source_mark(s));
        fputs(!strcmp(s->provenance, PCCS_PROV_EXAMPLE)
                  ? ": template example rows, not local data"
                  : ": generated file, not published data",
              r->f);
        fputs("</span>", r->f);
    }
    fputs("</td><td class=\"p\">", r->f);
    esc(r, s->period ? s->period : "");
    fputs("</td><td class=\"n\">", r->f);
    struct pccs_table one;
    pccs_table_init(&one, "rows");
    pccs_table_col(&one, "rows", PCCS_COL_INT, 0);
    pccs_table_row(&one);
    pccs_table_int(&one, s->rows_loaded);
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_table_format_cell(&b, &one, 0, 0);
    esc(r, b.p);
    pccs_buf_release(&b);
    pccs_table_release(&one);
    fputs("</td><td class=\"f\">", r->f);
    const char *base = s->path ? strrchr(s->path, '/') : NULL;
    esc(r, base ? base + 1 : s->path ? s->path : "");
    fputs("</td></tr>\n", r->f);
    return 0;
}

/*
 * The organisation's name as at the report's year (its last day), else
 * as at the latest data: a 2020-21 paper names a CCG as it was then.
 */
static const char *
report_name(const struct pccs_tree *t, int org, const char *year,
            const char *code)
{
    int fy;
    pccs_day at = year && !pccs_fy_parse(pccs_str_from(year), &fy)
                      ? pccs_fy_start(fy + 1) - 1
                      : pccs_tree_default_day(t);
    const char *name = pccs_tree_name(t, org, at);
    return *name ? name : code;
}

static int
count_marked(void *ctx, const struct pccs_source_info *s)
{
    int *n = ctx;
    n[0] += s->provenance && strcmp(s->provenance, PCCS_PROV_EXAMPLE);
    n[1] += s->provenance && !strcmp(s->provenance, PCCS_PROV_EXAMPLE);
    return 0;
}

static void
sec_sources(struct rep *r)
{
    fputs("<section><h2>1. Purpose and data sources</h2>\n<p>This paper "
          "sets out the registered population, capacity and access, PCN "
          "entitlements, workforce, QOF prevalence, payments and practice "
          "resilience for ",
          r->f);
    esc(r, report_name(r->t, r->org, r->year, r->in));
    fputs(", from the NHS publications below as loaded into pccs. Each "
          "table names its source and period beneath it; the figures are "
          "those <code>pccs table</code> prints for the same question.</p>\n",
          r->f);
    int n[2] = {0, 0};
    pccs_store_sources_each(r->st, count_marked, n, r->err);
    pccs_err_clear(r->err);
    if (n[0] || n[1])
        fprintf(r->f,
                "<div class=\"prov\" data-provenance=\"%s%s%s\"><strong>"
                "Not all of this paper rests on published or local data."
                "</strong> %d of the files below %s generated (SYNTHETIC) "
                "and %d %s a template's example rows (EXAMPLE); each table "
                "and chart resting on one says so.</div>\n",
                n[0] ? "synthetic" : "", n[0] && n[1] ? " " : "",
                n[1] ? "example" : "", n[0], n[0] == 1 ? "is" : "are", n[1],
                n[1] == 1 ? "holds" : "hold");
    fputs("<table><thead><tr><th>Publication</th><th>Period</th><th "
          "class=\"n\">Rows</th><th>File</th></tr></thead><tbody>\n",
          r->f);
    pccs_store_sources_each(r->st, source_row, r, r->err);
    pccs_err_clear(r->err);
    fputs("</tbody></table>\n<p class=\"ogl\">Contains public sector "
          "information licensed under the Open Government Licence "
          "v3.0.</p>\n</section>\n",
          r->f);
}

/* The org's registered list on a snapshot (the populations table). */
static double
registered_on(struct rep *r, pccs_day d)
{
    char p[16];
    pccs_date_format(d, p);
    struct pccs_table_query q = {r->level, r->in, PCCS_DAY_NONE, p,    NULL,
                                 NULL,     false, false,         NULL, false};
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    double v = NAN;
    if (!pccs_table_run(pccs_table_def_find("populations"), r->st, r->t, &q, &t,
                        r->err)) {
        int c = pccs_table_col_index(&t, "registered");
        for (size_t i = 0; c >= 0 && i < t.nrows; i++)
            if (is_org(&t, i, (void *)r->in))
                v = pccs_table_cell(&t, i, (size_t)c)->num;
    }
    pccs_err_clear(r->err);
    pccs_table_release(&t);
    return v;
}

/* Growth of the registered list over the 12 months to the latest
 * snapshot (model/period.h: the snapshot nearest 365 days before it). */
static void
list_growth(struct rep *r)
{
    struct pccs_period_pick lp, pp;
    memset(&pp, 0, sizeof(pp));
    pccs_day last = PCCS_DAY_NONE, prev = PCCS_DAY_NONE;
    size_t nsnaps = 0;
    if (pccs_period_latest(r->st, "registered", &lp, r->err) == PCCS_OK &&
        lp.found) {
        nsnaps = 1;
        pccs_date_parse(pccs_str_from(lp.period), &last);
        if (pccs_period_year_earlier(r->st, "registered", last, &pp,
                                     r->err) == PCCS_OK &&
            pp.found)
            pccs_date_parse(pccs_str_from(pp.period), &prev);
    }
    pccs_err_clear(r->err);
    fputs("<h3>Growth</h3>\n", r->f);
    if (prev == PCCS_DAY_NONE) {
        fprintf(r->f,
                "<p class=\"none\">List growth over 12 months needs two "
                "registrations snapshots about a year apart (%s).</p>\n",
                nsnaps ? "none 330 to 400 days before the latest"
                       : "none loaded");
        return;
    }
    double v[3] = {registered_on(r, prev), registered_on(r, last), 0};
    v[2] = pccs_res_change_pct(v[1], v[0]);
    /* Formatted as the tables format them. */
    struct pccs_table t;
    pccs_table_init(&t, "growth");
    pccs_table_col(&t, "before", PCCS_COL_NUM, 0);
    pccs_table_col(&t, "now", PCCS_COL_NUM, 0);
    pccs_table_col(&t, "growth", PCCS_COL_NUM, 2);
    pccs_table_row(&t);
    for (int i = 0; i < 3; i++)
        pccs_table_num(&t, v[i]);
    struct pccs_buf f[3];
    for (size_t i = 0; i < 3; i++) {
        f[i] = (struct pccs_buf)PCCS_BUF_INIT;
        pccs_table_format_cell(&f[i], &t, 0, i);
    }
    char a[16], b[16];
    pccs_date_format(prev, a);
    pccs_date_format(last, b);
    fprintf(r->f,
            "<p>Registered list on %s: %s; on %s: %s; growth over 12 "
            "months: <strong>%s%%</strong> (Patients Registered at a GP "
            "Practice)%s%s.</p>\n",
            a, f[0].p, b, f[1].p, f[2].p, pp.note[0] ? "; " : "", pp.note);
    for (int i = 0; i < 3; i++)
        pccs_buf_release(&f[i]);
    pccs_table_release(&t);
}

static void
sec_population(struct rep *r)
{
    struct pccs_table pcn, prac;
    fputs("<section class=\"major\"><h2>2. Population</h2>\n", r->f);
    fputs("<h3>Registered and weighted population</h3>\n", r->f);
    if (table_or_note(r, "populations", r->level, r->in, NULL, &pcn)) {
        static const char *const cols[] = {
            "code=Code",           "name=Organisation",
            "practices=Practices", "registered=Registered",
            "weighted=Weighted",   NULL};
        html_table(r, &pcn, cols, is_org, (void *)r->in);
        pccs_table_release(&pcn);
    }
    list_growth(r);
    if (r->level > PCCS_PCN &&
        table_or_note(r, "populations", PCCS_PCN, r->in, NULL, &pcn)) {
        fputs("<h3>By PCN, with its practices</h3>\n", r->f);
        bool have_prac =
            table_or_note(r, "populations", PCCS_PRACTICE, r->in, NULL, &prac);
        static const char *const cols[] = {"code=Code", "name=PCN / practice",
                                           "registered=Registered",
                                           "weighted=Weighted", NULL};
        struct cols c;
        char labels[32][64];
        html_head(r, &pcn, cols, &c, labels);
        for (size_t i = 0; i < pcn.nrows; i++) {
            const char *code = pccs_table_cell(&pcn, i, 0)->text;
            struct col_is w = {"parent_code", code};
            if (have_prac)
                html_rows(r, &prac, &c, col_equals, &w, false);
            html_rows(r, &pcn, &c, is_org, (void *)code, true);
        }
        html_foot(r);
        if (have_prac)
            notes(r, &prac);
        notes(r, &pcn);
        if (have_prac)
            pccs_table_release(&prac);
        pccs_table_release(&pcn);
    }
    struct pccs_table ab;
    fputs("<h3>Age and sex</h3>\n", r->f);
    if (table_or_note(r, "age-bands", r->level, r->in, NULL, &ab)) {
        const char *bands[32];
        double m[32], fe[32];
        size_t n = 0;
        for (size_t i = 0; i < ab.nrows && n < 32; i++) {
            if (!is_org(&ab, i, (void *)r->in))
                continue;
            bands[n] = pccs_table_cell(&ab, i, 3)->text;
            m[n] = pccs_table_cell(&ab, i, 4)->num;
            fe[n++] = pccs_table_cell(&ab, i, 5)->num;
        }
        struct pccs_pyramid c = {
            "Registered patients by age and sex", bands, m, fe, n, ""};
        fputs("<figure>", r->f);
        pccs_svg_pyramid_write(r->f, &c);
        fputs("</figure>\n", r->f);
        notes(r, &ab);
        pccs_table_release(&ab);
    }
    fputs("</section>\n", r->f);
}

static void
spc_chart(struct rep *r, const char *metric)
{
    const struct pccs_metric_def *m = pccs_metric_find(metric);
    struct pccs_series s;
    if (pccs_metric_series(r->st, r->t, m, r->in, &s, r->err)) {
        pccs_err_clear(r->err);
        return;
    }
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.direction = m->improvement;
    struct pccs_spc_point *p = pccs_xcalloc(s.n + 1, sizeof(*p));
    enum pccs_spc_assurance a;
    bool short_group;
    pccs_spc_compute(s.y, s.n, &o, p, &a, &short_group);
    bool marked = false;
    for (size_t i = 0; i < s.nnotes; i++) {
        if (!is_prov_note(s.notes[i]))
            continue;
        if (!marked)
            fprintf(r->f,
                    "<div class=\"prov\" data-provenance=\"%s\">"
                    "<strong>Not published data: this chart rests on "
                    "a generated or example file.</strong>",
                    s.notes[i][0] == 'S' ? "synthetic" : "example");
        marked = true;
        fputs(" ", r->f);
        esc(r, s.notes[i]);
    }
    if (marked)
        fputs("</div>\n", r->f);
    char title[256];
    snprintf(title, sizeof(title), "%s, %s", m->summary, r->in);
    struct pccs_svg_spc c = {
        title, (const char *const *)s.date, s.y, p, s.n, &o, a};
    fputs("<figure>", r->f);
    pccs_svg_spc_write(r->f, &c);
    fputs("<figcaption class=\"src\">Making Data Count XmR chart: ", r->f);
    esc(r, pccs_svg_variation(&c));
    fprintf(r->f, " at the latest month; %zu points%s.</figcaption>", s.n,
            short_group ? " (fewer than 13 in a group: limits less "
                          "reliable)"
                        : "");
    fputs("</figure>\n", r->f);
    free(p);
    pccs_series_release(&s);
}

static void
sec_capacity(struct rep *r)
{
    struct pccs_table cap;
    fputs("<section class=\"major\"><h2>3. Capacity against population "
          "growth</h2>\n",
          r->f);
    if (table_or_note(r, "capacity", r->level, r->in, NULL, &cap)) {
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
        html_table(r, &cap, cols, is_org, (void *)r->in);
        spc_chart(r, "appointments_per_1000");
        spc_chart(r, "dna_pct");
        notes(r, &cap);
        pccs_table_release(&cap);
    }
    fputs("</section>\n", r->f);
}

/* Every DES line of the year: the area's amount, or why there is none;
 * then the PCNs with the lines paid that year. */
static void
ent_lines(struct rep *r, const struct pccs_table *pcns)
{
    struct pccs_rates rates = PCCS_RATES_INIT;
    struct pccs_ent_lines ls = {NULL, 0};
    struct pccs_table area;
    int fy;
    memset(&area, 0, sizeof(area));
    if (!r->year || pccs_fy_parse(pccs_str_from(r->year), &fy) ||
        pccs_rates_load_default(&rates, r->err) ||
        pccs_ent_lines_load(&ls, &rates, fy, r->err)) {
        pccs_err_clear(r->err);
        pccs_rates_release(&rates);
        return;
    }
    fputs("<h3>PCN entitlements by line</h3>\n", r->f);
    bool have_area = r->level >= PCCS_PCN &&
                     table_or_note(r, "entitlements", r->level, r->in,
                                   r->year, &area);
    struct pccs_table lt;
    pccs_table_init(&lt, "lines");
    pccs_table_col(&lt, "line", PCCS_COL_TEXT, 0);
    pccs_table_col(&lt, "paid_to", PCCS_COL_TEXT, 0);
    pccs_table_col(&lt, "amount", PCCS_COL_NUM, 0);
    pccs_table_col(&lt, "basis", PCCS_COL_TEXT, 0);
    for (size_t i = 0; i < ls.n; i++) {
        const struct pccs_ent_line_info *l = &ls.l[i];
        int c = have_area ? pccs_table_col_index(&area, l->name) : -1;
        const struct pccs_cell *v =
            c >= 0 && area.nrows ? pccs_table_cell(&area, 0, (size_t)c) : NULL;
        pccs_table_row(&lt);
        pccs_table_text(&lt, l->label);
        pccs_table_text(&lt, l->practices ? "practices (not in the PCN "
                                            "total)"
                                          : "PCN");
        if (v && !v->null)
            pccs_table_num(&lt, v->num);
        else
            pccs_table_null(&lt);
        char why[400];
        if (!l->applies)
            snprintf(why, sizeof(why), "%s", l->reason);
        else if (!l->known)
            snprintf(why, sizeof(why), "rate unknown: %s", l->reason);
        else if (!v || v->null)
            snprintf(why, sizeof(why), "%s; not computed: %s", l->basis,
                     l->r.per[PCCS_ENT_BED].present
                         ? "care home beds not loaded"
                         : "no population loaded");
        else
            snprintf(why, sizeof(why), "%s%s", l->basis,
                     l->derived ? " (derived)" : "");
        pccs_table_text(&lt, why);
    }
    static const char *const lcols[] = {"line=Line", "paid_to=Paid to",
                                        "amount=Amount", "basis=Rate or "
                                                         "reason",
                                        NULL};
    html_table(r, &lt, lcols, NULL, NULL);
    pccs_table_release(&lt);
    pccs_table_release(&area);

    /* Per PCN: the lines paid that year. */
    char names[32][160];
    const char *cols[32];
    size_t n = 0;
    cols[n++] = "code=PCN";
    for (size_t i = 0; i < ls.n && n < 28; i++) {
        if (!ls.l[i].applies)
            continue;
        snprintf(names[n], sizeof(names[n]), "%s=%s", ls.l[i].name,
                 ls.l[i].label);
        cols[n] = names[n];
        n++;
    }
    cols[n++] = "total_known=PCN total known";
    cols[n++] = "practice_income_known=Practice income";
    cols[n] = NULL;
    fputs("<h3>PCN entitlements by PCN</h3>\n", r->f);
    html_table(r, pcns, cols, NULL, NULL);
    pccs_ent_lines_release(&ls);
    pccs_rates_release(&rates);
}

static void
sec_entitlements(struct rep *r)
{
    struct pccs_table e;
    fputs("<section class=\"major\"><h2>4. Access, PCN entitlements and "
          "ARRS</h2>\n<h3>Enhanced access required</h3>\n",
          r->f);
    if (table_or_note(r, "entitlements", PCCS_PCN, r->in, r->year, &e)) {
        static const char *const acc[] = {
            "code=PCN", "name=Name", "adjusted_estimate=Adjusted population",
            "enhanced_access_minutes_per_week=Minutes per week required", NULL};
        html_table(r, &e, acc, NULL, NULL);
        fputs("<p class=\"none\">Enhanced access delivered: no delivery "
              "data loaded.</p>\n",
              r->f);
        ent_lines(r, &e);
        notes(r, &e);
        pccs_table_release(&e);
    }
    fputs("<h3>ARRS roles in post</h3>\n", r->f);
    struct col_is all = {"arrs_role", "all ARRS roles"};
    if (table_or_note(r, "arrs", PCCS_PCN, r->in, r->year, &e)) {
        static const char *const cols[] = {"code=PCN",
                                           "fte=FTE in post",
                                           "cost_in_post=Cost in post",
                                           "arrs_sum=ARRS sum",
                                           "share_pct=Share %",
                                           NULL};
        html_table(r, &e, cols, col_equals, &all);
        notes(r, &e);
        pccs_table_release(&e);
    }
    fputs("</section>\n", r->f);
}

static void
sec_workforce(struct rep *r)
{
    struct pccs_table w;
    fputs("<section class=\"major\"><h2>5. Workforce per 10,000 weighted "
          "patients</h2>\n",
          r->f);
    if (table_or_note(r, "workforce", r->level, r->in, NULL, &w)) {
        static const char *const cols[] = {
            "publication=Publication",
            "staff_group=Staff group",
            "fte=FTE",
            "headcount=Headcount",
            "contracted_services=Contracted services",
            "fte_per_10000_weighted=FTE per 10,000 weighted",
            "census=Census",
            NULL};
        html_table(r, &w, cols, is_org, (void *)r->in);
        notes(r, &w);
        pccs_table_release(&w);
    }
    if (r->level > PCCS_PCN &&
        table_or_note(r, "workforce", PCCS_PCN, r->in, NULL, &w)) {
        fputs("<h3>GPs per 10,000 weighted patients by PCN (GP "
              "workforce)</h3>\n",
              r->f);
        const char **labels = pccs_xcalloc(w.nrows + 1, sizeof(*labels));
        double *v = pccs_xcalloc(w.nrows + 1, sizeof(*v));
        size_t n = 0;
        int pc = pccs_table_col_index(&w, "publication");
        int gc = pccs_table_col_index(&w, "staff_group");
        int vc = pccs_table_col_index(&w, "fte_per_10000_weighted");
        for (size_t i = 0; i < w.nrows && pc >= 0 && gc >= 0 && vc >= 0; i++) {
            if (strcmp(pccs_table_cell(&w, i, (size_t)pc)->text,
                       "GP workforce") ||
                strcmp(pccs_table_cell(&w, i, (size_t)gc)->text, "GP"))
                continue;
            labels[n] = pccs_table_cell(&w, i, 0)->text;
            const struct pccs_cell *c = pccs_table_cell(&w, i, (size_t)vc);
            v[n++] = c->null ? NAN : c->num;
        }
        if (n) {
            struct pccs_bar_chart c = {"GP FTE per 10,000 weighted patients",
                                       "per 10,000",
                                       labels,
                                       v,
                                       n,
                                       2,
                                       ""};
            fputs("<figure>", r->f);
            pccs_svg_bar_write(r->f, &c);
            fputs("</figure>\n", r->f);
        }
        else
            fputs("<p class=\"none\">No GP workforce practice-level file "
                  "loaded.</p>\n",
                  r->f);
        free(labels);
        free(v);
        pccs_table_release(&w);
    }
    fputs("</section>\n", r->f);
}

static void
sec_qof(struct rep *r)
{
    struct pccs_table q;
    fputs("<section class=\"major\"><h2>6. QOF prevalence</h2>\n", r->f);
    if (table_or_note(r, "qof-prevalence", r->level, r->in, NULL, &q)) {
        static const char *const cols[] = {"group_label=Disease group",
                                           "register=Register",
                                           "list_size=List size",
                                           "prevalence_pct=Prevalence %",
                                           "national_prevalence_pct=England %",
                                           NULL};
        html_table(r, &q, cols, is_org, (void *)r->in);
        notes(r, &q);
        pccs_table_release(&q);
    }
    fputs("</section>\n", r->f);
}

static void
sec_payments(struct rep *r)
{
    struct pccs_table p;
    fputs("<section class=\"major\"><h2>7. Payments per weighted "
          "patient</h2>\n",
          r->f);
    enum pccs_level l = r->level > PCCS_PCN ? PCCS_PCN : PCCS_PRACTICE;
    if (table_or_note(r, "payments", l, r->in, r->year, &p)) {
        static const char *const cols[] = {
            "code=Code",
            "name=Name",
            "registered=Registered",
            "weighted=Weighted",
            "total=Total £",
            "total_per_registered=£ per registered",
            "total_per_weighted=£ per weighted",
            "decile=Decile",
            NULL};
        html_table(r, &p, cols, NULL, NULL);
        notes(r, &p);
        pccs_table_release(&p);
    }
    fputs("<h3>Practices outside the 5th to 95th percentile of their "
          "ICB</h3>\n",
          r->f);
    if (table_or_note(r, "payments", PCCS_PRACTICE, r->in, r->year, &p)) {
        static const char *const cols[] = {"code=Practice", "name=Name",
                                           "total_per_weighted=£ per weighted",
                                           "flag=Flag", NULL};
        if (!html_table(r, &p, cols, flagged, NULL))
            fputs("<p class=\"none\">None.</p>\n", r->f);
        pccs_table_release(&p);
    }
    fputs("</section>\n", r->f);
}

static void
sec_resilience(struct rep *r)
{
    struct pccs_table s;
    fputs("<section class=\"major\"><h2>8. Practices rated red or "
          "amber</h2>\n",
          r->f);
    if (table_or_note(r, "resilience", PCCS_PRACTICE, r->in, r->year, &s)) {
        static const char *const cols[] = {"code=Practice", "name=Name",
                                           "overall=Rating", "reasons=Why",
                                           NULL};
        size_t n = html_table(r, &s, cols, red_or_amber, NULL);
        if (!n)
            fputs("<p class=\"none\">No practice is rated red or "
                  "amber.</p>\n",
                  r->f);
        fprintf(r->f, "<p>%zu of %zu practices rated red or amber.</p>\n", n,
                s.nrows);
        notes(r, &s);
        pccs_table_release(&s);
    }
    fputs("</section>\n", r->f);
}

/* A register table, or a line saying it is not loaded. */
static void
register_part(struct rep *r, const char *title, const char *name,
              const char *const *cols, row_pred keep, void *ctx)
{
    struct pccs_table t;
    fprintf(r->f, "<h3>%s</h3>\n", title);
    enum pccs_level l =
        strcmp(name, "visits") ? PCCS_LEVEL_NONE : PCCS_PRACTICE;
    if (table_or_note(r, name, l, r->in, NULL, &t)) {
        if (!html_table(r, &t, cols, keep, ctx))
            fputs("<p class=\"none\">None.</p>\n", r->f);
        notes(r, &t);
        pccs_table_release(&t);
    }
}

static void
sec_registers(struct rep *r)
{
    fputs("<section class=\"major\"><h2>9. Local registers</h2>\n", r->f);
    static const char *const ps[] = {"workstream=Workstream",
                                     "not_started=Not started",
                                     "achieved_and_closed=Achieved and closed",
                                     "in_progress=In progress",
                                     "overdue=Overdue",
                                     "total=Total",
                                     NULL};
    register_part(r, "Programme status", "programme-status", ps, NULL, NULL);
    static const char *const rk[] = {
        "risk_id=Risk", "title=Title",        "owner=Owner", "score=Score",
        "rag=RAG",      "review_date=Review", NULL};
    register_part(r, "Risks by score", "risks", rk, NULL, NULL);
    static const char *const es[] = {"place=Place",           "tenure=Tenure",
                                     "premises=Premises",     "area_m2=Area m2",
                                     "area_pct=Area %",       "void_m2=Void m2",
                                     "void_cost=Void cost £", NULL};
    register_part(r, "Estates", "estates", es, NULL, NULL);
    static const char *const bu[] = {"line=Line",
                                     "plan=Plan £",
                                     "actual=Actual £",
                                     "forecast=Forecast £",
                                     "variance=Variance £",
                                     "movement_since_last=Movement £",
                                     NULL};
    register_part(r, "Delegated budget", "budget", bu, NULL, NULL);
    static const char *const lc[] = {"code=Practice",
                                     "name=Name",
                                     "closed_from=From",
                                     "closed_to=To",
                                     "in_force=In force",
                                     "review_date=Review",
                                     NULL};
    register_part(r, "List closures", "list-closures", lc, NULL, NULL);
    static const char *const vi[] = {"code=Practice", "name=Name",
                                     "last_visit=Last visit",
                                     "months_since=Months since", NULL};
    register_part(r, "Practices not visited in 18 months", "visits", vi, NULL,
                  NULL);
    fputs("</section>\n", r->f);
}

int
pccs_committee_write(FILE *f, struct pccs_store *st, const struct pccs_tree *t,
                     const struct pccs_committee_options *o,
                     struct pccs_err *err)
{
    int org = pccs_tree_find(t, o->in);
    if (org < 0)
        return pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s",
                            o->in);
    if (t->orgs[org].level <= PCCS_PRACTICE)
        return pccs_err_set(err, PCCS_EINVAL,
                            "%s is a practice: the report is for an "
                            "organisation with children (a PCN or above)",
                            o->in);
    struct rep r = {f,       st,  t,
                    o->in,   org, t->orgs[org].level,
                    o->year, err, o->include_synthetic};
    const char *name = report_name(t, org, o->year, o->in);
    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<title>",
          f);
    esc(&r, name);
    fprintf(f,
            " - primary care commissioning report</title>\n<style>\n%s"
            "</style>\n</head>\n<body>\n<h1>Primary care commissioning "
            "report</h1>\n<p class=\"lead\">",
            style);
    esc(&r, name);
    fputs(" (", f);
    esc(&r, o->in);
    fprintf(f, ")%s%s. Generated by pccs on %s.</p>\n",
            o->year ? ", financial year " : "", o->year ? o->year : "",
            o->generated ? o->generated : "");
    sec_sources(&r);
    sec_population(&r);
    sec_capacity(&r);
    sec_entitlements(&r);
    sec_workforce(&r);
    sec_qof(&r);
    sec_payments(&r);
    sec_resilience(&r);
    sec_registers(&r);
    fputs("</body>\n</html>\n", f);
    return ferror(f) ? pccs_err_set(err, PCCS_EIO, "cannot write the report")
                     : PCCS_OK;
}
