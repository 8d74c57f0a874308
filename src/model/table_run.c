/* SPDX-License-Identifier: MIT */
/*
 * Running a named table: the builder, then the two things every table
 * offers: --explain and disclosure control (--suppress, or a reader who
 * does not own the figures).
 */
#include "model/tables.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "calc/disclosure.h"
#include "model/labels.h"
#include "model/period.h"
#include "model/rates.h"

/* Rows explained when no --in names one organisation. */
#define EXPLAIN_MAX_ROWS 20

static void
add_value(struct pccs_buf *b, const struct pccs_table *t, size_t row,
          size_t col)
{
    const struct pccs_cell *c = pccs_table_cell(t, row, col);
    if (c->null)
        pccs_buf_addstr(b, c->text ? c->text : "none");
    else if (t->cols[col].type == PCCS_COL_TEXT)
        pccs_buf_addstr(b, c->text);
    else if (c->num == floor(c->num) && fabs(c->num) < 1e15)
        pccs_buf_addf(b, "%.0f", c->num);
    else
        pccs_buf_addf(b, "%.*f",
                      t->cols[col].decimals < 4 ? 4 : t->cols[col].decimals,
                      c->num);
}

/* "lhs = a (1) / b (2) x 1,000 = 3" for one row. */
static void
explain_row(struct pccs_table *t, size_t row, const char *formula)
{
    struct pccs_buf b = PCCS_BUF_INIT;
    const char *eq = strstr(formula, " = ");
    if (!eq)
        return;
    char lhs[64];
    snprintf(lhs, sizeof(lhs), "%.*s", (int)(eq - formula), formula);
    int lc = pccs_table_col_index(t, lhs);
    if (lc < 0)
        return;
    pccs_buf_addstr(&b, "explain ");
    add_value(&b, t, row, 0);
    /* The row's other keys: its text columns beyond code, name, parent. */
    for (size_t c = 3; c < t->ncols; c++)
        if (t->cols[c].type == PCCS_COL_TEXT &&
            pccs_table_cell(t, row, c)->text &&
            *pccs_table_cell(t, row, c)->text &&
            strcmp(t->cols[c].name, "excluded") != 0 &&
            strcmp(t->cols[c].name, "source") != 0 &&
            strcmp(t->cols[c].name, "flag") != 0 &&
            !strstr(t->cols[c].name, "_source")) {
            pccs_buf_addstr(&b, " ");
            add_value(&b, t, row, c);
        }
    pccs_buf_addf(&b, ": %s = ", lhs);
    for (const char *p = eq + 3; *p;) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *s = p;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            char word[64];
            snprintf(word, sizeof(word), "%.*s", (int)(p - s), s);
            int c = pccs_table_col_index(t, word);
            pccs_buf_add(&b, s, (size_t)(p - s));
            if (c >= 0 && c != lc) {
                pccs_buf_addstr(&b, " (");
                add_value(&b, t, row, (size_t)c);
                pccs_buf_addstr(&b, ")");
            }
        }
        else
            pccs_buf_add(&b, p++, 1);
    }
    pccs_buf_addstr(&b, " = ");
    add_value(&b, t, row, (size_t)lc);
    pccs_table_note(t, "%s", b.p);
    pccs_buf_release(&b);
}

static void
explain(struct pccs_table *t, const struct pccs_table_def *def,
        const struct pccs_table_query *q)
{
    if (!def->formulas || !t->nrows)
        return;
    size_t shown = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const struct pccs_cell *code = pccs_table_cell(t, r, 0);
        if (q->in ? (code->null || strcmp(code->text, q->in) != 0)
                  : shown >= EXPLAIN_MAX_ROWS)
            continue;
        for (const char *const *f = def->formulas; *f; f++)
            explain_row(t, r, *f);
        shown++;
    }
    if (!shown)
        pccs_table_note(t,
                        "explain: %s is not a row of this table; --in names "
                        "a parent, --level its level (try --level of %s)",
                        q->in, q->in);
    else if (!q->in && shown < t->nrows)
        pccs_table_note(t,
                        "explain: the first %zu rows; --in CODE --level "
                        "LEVEL explains one organisation",
                        shown);
}

/* data/rules/disclosure.csv: parameter,value,source,confidence. */
static int
load_sdc(struct pccs_sdc_rule *rule, char *source, size_t sn,
         struct pccs_err *err)
{
    static const char *const names[] = {"suppress_max", "round_to"};
    double v[2];
    char src[2][512], path[4096];
    int rc = pccs_rules_params("disclosure.csv", names, 2, v, src, path,
                               sizeof(path), err);
    rule->suppress_max = v[0];
    rule->round_to = v[1];
    snprintf(source, sn, "%s", src[1]);
    return rc;
}

/*
 * ===== Disclosure control =====
 *
 * Who reads decides: q->viewer NULL is the data's owner (the command
 * line: whoever holds the store loaded its data) and nothing is
 * controlled; q->viewer an organisation code (pccs serve: the signed-in
 * user's scope; "" for an admin, who is no organisation) sees the rows
 * that organisation owns as they are and every other row's counts
 * controlled; q->suppress controls every row, as for a reader who owns
 * none. Whose a row is, the builder says (model/result.h).
 */

/* The reader, when counts are controlled for them ("" owns nothing). */
static const char *
reader(const struct pccs_table_query *q)
{
    return q->suppress ? "" : q->viewer;
}

/* The organisation of row r (the table's organisation column), or -1. */
static int
row_org(const struct pccs_table *t, const struct pccs_tree *tree, size_t r)
{
    if (t->sdc.org_col >= t->ncols)
        return -1;
    const struct pccs_cell *c = pccs_table_cell(t, r, t->sdc.org_col);
    return c->null || !c->text ? -1 : pccs_tree_find(tree, c->text);
}

/* Does the reader own row r's counts? */
static bool
row_owned(const struct pccs_table *t, const struct pccs_tree *tree, size_t r,
          const char *who)
{
    if (!*who)
        return false;
    if (t->sdc.by_owner)
        return t->sdc.owner && !strcmp(t->sdc.owner, who);
    int o = row_org(t, tree, r);
    return o >= 0 && (int)tree->orgs[o].level == t->sdc.own_level &&
           !strcmp(tree->orgs[o].code, who);
}

/* The cells under control and the groups over them. */
struct sdc_work {
    struct pccs_sdc_cell *cells;
    size_t n, cap;
    long *at; /* nrows * ncols: the cell of (row, col), or -1 */
    struct pccs_sdc_group *groups;
    size_t *first; /* each group's first child in kids */
    size_t ng, gcap;
    size_t *kids; /* every group's children, one after another */
    size_t nk, kcap;
    size_t gstart; /* the first child of the group being built */
};

static size_t
add_cell(struct sdc_work *w, double n, enum pccs_sdc_kind kind)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->cells = pccs_xreallocarray(w->cells, w->cap, sizeof(*w->cells));
    }
    w->cells[w->n] = (struct pccs_sdc_cell){.n = n, .kind = kind};
    return w->n++;
}

static void
add_kid(struct sdc_work *w, long cell)
{
    if (cell < 0)
        return;
    if (w->nk == w->kcap) {
        w->kcap = w->kcap ? w->kcap * 2 : 64;
        w->kids = pccs_xreallocarray(w->kids, w->kcap, sizeof(*w->kids));
    }
    w->kids[w->nk++] = (size_t)cell;
}

/* The group of parent and the children added since the last one (its
 * children pointed into kids once all are added). */
static void
end_group(struct sdc_work *w, long parent)
{
    if (parent < 0 || w->nk == w->gstart) {
        w->nk = w->gstart;
        return;
    }
    if (w->ng == w->gcap) {
        w->gcap = w->gcap ? w->gcap * 2 : 32;
        w->groups = pccs_xreallocarray(w->groups, w->gcap, sizeof(*w->groups));
        w->first = pccs_xreallocarray(w->first, w->gcap, sizeof(*w->first));
    }
    w->first[w->ng] = w->gstart;
    w->groups[w->ng++] = (struct pccs_sdc_group){
        .parent = (size_t)parent, .nchildren = w->nk - w->gstart};
    w->gstart = w->nk;
}

/* Every sdc cell with a count, of the kind its row is to the reader. */
static size_t
collect(struct sdc_work *w, const struct pccs_table *t,
        const struct pccs_tree *tree, const char *who)
{
    size_t owned = 0;
    w->at = pccs_xcalloc(t->nrows * t->ncols + 1, sizeof(*w->at));
    for (size_t r = 0; r < t->nrows; r++) {
        int o = row_org(t, tree, r);
        bool own = row_owned(t, tree, r, who);
        bool known = own || (o >= 0 && tree->orgs[o].level == PCCS_ENGLAND);
        owned += own;
        for (size_t c = 0; c < t->ncols; c++) {
            const struct pccs_cell *cell = pccs_table_cell(t, r, c);
            w->at[r * t->ncols + c] =
                !t->cols[c].sdc || cell->null
                    ? -1
                    : (long)add_cell(w, cell->num,
                                     known ? PCCS_SDC_KNOWN : PCCS_SDC_CONTROL);
        }
    }
    return owned;
}

/* A row's total columns over the counts before them; total rows. */
static void
declared_groups(struct sdc_work *w, const struct pccs_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const long *at = &w->at[r * t->ncols];
        for (size_t c = 0, from = 0; c < t->ncols; c++) {
            if (!t->cols[c].sdc_total)
                continue;
            for (size_t k = from; k < c; k++)
                if (t->cols[k].sdc && !t->cols[k].sdc_total)
                    add_kid(w, at[k]);
            end_group(w, at[c]);
            from = c + 1;
        }
    }
    for (size_t i = 0; i < t->sdc.ntotals; i++) {
        const struct pccs_table_sdc_span *s = &t->sdc.totals[i];
        for (size_t c = 0; c < t->ncols; c++) {
            for (size_t r = s->first; t->cols[c].sdc && r < s->last; r++)
                if (r != s->row)
                    add_kid(w, w->at[r * t->ncols + c]);
            end_group(w, w->at[s->row * t->ncols + c]);
        }
    }
}

/*
 * Rows summed into their parent organisation: its row when the table has
 * one, else a total shown by another question (the reader knows it) when
 * two or more of its children are rows here.
 */
static void
rollup_groups(struct sdc_work *w, const struct pccs_table *t,
              const struct pccs_tree *tree, pccs_day at)
{
    int *up = pccs_xcalloc(t->nrows + 1, sizeof(*up));
    long *row_of = pccs_xcalloc(tree->norgs + 1, sizeof(*row_of));
    for (size_t o = 0; o < tree->norgs; o++)
        row_of[o] = -1;
    for (size_t r = 0; r < t->nrows; r++) {
        int o = row_org(t, tree, r);
        up[r] = o >= 0 ? pccs_tree_up(tree, o, at, 0) : -1;
        if (o >= 0 && row_of[o] < 0)
            row_of[o] = (long)r;
    }
    bool *done = pccs_xcalloc(t->nrows + 1, sizeof(*done));
    for (size_t r = 0; r < t->nrows; r++) {
        if (done[r] || up[r] < 0)
            continue;
        size_t nkids = 0;
        for (size_t k = r; k < t->nrows; k++)
            nkids += up[k] == up[r];
        long prow = row_of[up[r]];
        if (prow < 0 && nkids < 2)
            continue;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!t->cols[c].sdc)
                continue;
            double sum = 0;
            for (size_t k = r; k < t->nrows; k++)
                if (up[k] == up[r] && w->at[k * t->ncols + c] >= 0) {
                    add_kid(w, w->at[k * t->ncols + c]);
                    sum += pccs_table_cell(t, k, c)->num;
                }
            long parent = prow >= 0 ? w->at[(size_t)prow * t->ncols + c]
                                    : (long)add_cell(w, sum, PCCS_SDC_KNOWN);
            end_group(w, parent);
        }
        for (size_t k = r; k < t->nrows; k++)
            done[k] |= up[k] == up[r];
    }
    free(up);
    free(row_of);
    free(done);
}

/* Control the cells of t; returns the cells hidden in all. */
static size_t
control(struct pccs_table *t, const struct pccs_tree *tree,
        const struct pccs_table_query *q, const struct pccs_sdc_rule *rule,
        size_t *owned, size_t *complements, size_t *unprotected)
{
    struct sdc_work w;
    memset(&w, 0, sizeof(w));
    *owned = collect(&w, t, tree, reader(q));
    declared_groups(&w, t);
    if (t->sdc.rollup)
        rollup_groups(&w, t, tree,
                      q->at != PCCS_DAY_NONE ? q->at
                                             : pccs_tree_default_day(tree));
    for (size_t g = 0; g < w.ng; g++)
        w.groups[g].children = w.kids + w.first[g];
    size_t hidden =
        pccs_sdc_table(rule, w.cells, w.n, w.groups, w.ng, unprotected);
    *complements = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            long k = w.at[r * t->ncols + c];
            if (k < 0 || w.cells[k].kind == PCCS_SDC_KNOWN)
                continue;
            if (w.cells[k].suppressed)
                pccs_table_set_mark(t, r, c, "*");
            else
                pccs_table_set_num(t, r, c, w.cells[k].shown);
            *complements += w.cells[k].complement;
        }
    free(w.cells);
    free(w.at);
    free(w.groups);
    free(w.first);
    free(w.kids);
    return hidden;
}

int
pccs_table_disclose(struct pccs_table *t, const struct pccs_tree *tree,
                    const struct pccs_table_query *q, struct pccs_err *err)
{
    size_t n = 0, owned = 0;
    for (size_t c = 0; c < t->ncols; c++)
        n += t->cols[c].sdc;
    if (!n) {
        for (size_t r = 0; r < t->nrows; r++)
            owned += row_owned(t, tree, r, reader(q));
        if (!t->nrows || owned < t->nrows)
            pccs_table_note(t, "disclosure control: no column of this table "
                               "is a count of individuals derived by pccs; "
                               "published figures are shown as published");
        return PCCS_OK;
    }
    struct pccs_sdc_rule rule;
    char source[512];
    int rc = load_sdc(&rule, source, sizeof(source), err);
    if (rc)
        return rc;
    size_t complements, unprotected;
    size_t hidden =
        control(t, tree, q, &rule, &owned, &complements, &unprotected);
    if (owned == t->nrows && t->nrows)
        return PCCS_OK; /* the reader's own figures: nothing controlled */
    pccs_table_note(t,
                    "disclosure control: counts of individuals below "
                    "England of 1 to %g shown as *, others rounded to the "
                    "nearest %g, totals summed before rounding (%zu "
                    "suppressed, %zu of them so that none can be had by "
                    "subtracting the others from a total)%s; %s",
                    rule.suppress_max, rule.round_to, hidden, complements,
                    owned ? "; the reader's own rows as they are" : "", source);
    if (unprotected)
        pccs_table_note(t,
                        "disclosure control: in %zu totals one suppressed "
                        "count has no other cell that could be hidden",
                        unprotected);
    return PCCS_OK;
}

int
pccs_latest_payments_year(struct pccs_store *st, char fy[8],
                          struct pccs_err *err)
{
    int year = -1;
    fy[0] = '\0';
    int rc = pccs_period_latest_fy(st,
                                   "pay_total_nhs_payments_to_general_"
                                   "practice",
                                   &year, err);
    if (!rc && year >= 0)
        pccs_fy_format(year, fy);
    return rc;
}

/*
 * Say so under a table resting on a generated file or on example rows,
 * whatever the builder wrote: the marks come from the sources of the
 * figures it read.
 */
static void
mark_sources(struct pccs_store *st, struct pccs_table *out)
{
    size_t first = out->nnotes;
    for (size_t i = 0; i < out->nsources; i++) {
        struct pccs_source_info si;
        struct pccs_err e = PCCS_ERR_INIT;
        if (pccs_store_source_get(st, out->sources[i], &si, &e) ||
            !si.provenance)
            continue;
        bool example = !strcmp(si.provenance, PCCS_PROV_EXAMPLE);
        out->marks |= example ? PCCS_TABLE_EXAMPLE : PCCS_TABLE_SYNTHETIC;
        /* The note as the file gave it, without its leading word. */
        const char *why = si.provenance_note ? si.provenance_note : "";
        size_t n = strlen(si.provenance);
        if (!strncasecmp(why, si.provenance, n))
            why += n;
        while (*why == ':' || *why == ' ')
            why++;
        pccs_table_note(out,
                        example ? "EXAMPLE: %s (%s) holds the example rows "
                                  "of a template%s%s, not local data"
                                : "SYNTHETIC: %s (%s) is a generated file%s%s, "
                                  "not published data: figures from it are "
                                  "made up",
                        si.publication ? si.publication : si.kind,
                        si.path ? si.path : "?", *why ? ": " : "", why);
    }
    /* These notes first: they matter more than any other. */
    size_t k = out->nnotes - first;
    if (k && first) {
        const char **moved = pccs_xcalloc(k, sizeof(*moved));
        memcpy(moved, out->notes + first, k * sizeof(*moved));
        memmove(out->notes + k, out->notes, first * sizeof(*moved));
        memcpy(out->notes, moved, k * sizeof(*moved));
        free(moved);
    }
}

int
pccs_table_run(const struct pccs_table_def *def, struct pccs_store *st,
               const struct pccs_tree *t, const struct pccs_table_query *q,
               struct pccs_table *out, struct pccs_err *err)
{
    struct pccs_source_set used = PCCS_SOURCE_SET_INIT;
    struct pccs_source_set *outer = pccs_store_track(st, &used);
    int rc = def->build(st, t, q, out, err);
    pccs_store_track(st, outer);
    for (size_t i = 0; !rc && i < used.n; i++)
        pccs_table_source(out, used.ids[i]);
    pccs_source_set_release(&used);
    if (rc)
        return rc;
    mark_sources(st, out);
    if (q->explain)
        explain(out, def, q);
    if (q->suppress || q->viewer)
        rc = pccs_table_disclose(out, t, q, err);
    /* Labels last: explain and suppress work on the builder's columns. */
    if (!rc)
        rc = pccs_labels_add(def->name, out, err);
    return rc;
}
