/* SPDX-License-Identifier: MIT */
/*
 * Running a named table: the builder, then the two things every table
 * offers: --explain and --suppress.
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

static int
suppress(struct pccs_table *t, const struct pccs_tree *tree,
         struct pccs_err *err)
{
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++)
        n += t->cols[c].sdc;
    if (!n) {
        pccs_table_note(t, "disclosure control: no column of this table is "
                           "a count of individuals derived by pccs; "
                           "published figures are shown as published");
        return PCCS_OK;
    }
    struct pccs_sdc_rule rule;
    char source[512];
    int rc = load_sdc(&rule, source, sizeof(source), err);
    if (rc)
        return rc;
    size_t hidden = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const struct pccs_cell *code = pccs_table_cell(t, r, 0);
        int o = code->null ? -1 : pccs_tree_find(tree, code->text);
        bool national = o >= 0 && tree->orgs[o].level == PCCS_ENGLAND;
        for (size_t c = 0; c < t->ncols; c++) {
            const struct pccs_cell *cell = pccs_table_cell(t, r, c);
            if (!t->cols[c].sdc || cell->null)
                continue;
            double shown;
            if (pccs_sdc_count(&rule, cell->num, national, &shown) ==
                PCCS_SDC_SUPPRESSED) {
                pccs_table_set_mark(t, r, c, "*");
                hidden++;
            }
            else
                pccs_table_set_num(t, r, c, shown);
        }
    }
    pccs_table_note(t,
                    "disclosure control: counts of individuals below "
                    "England of 1 to %g shown as *, others rounded to the "
                    "nearest %g, totals summed before rounding (%zu "
                    "suppressed); %s",
                    rule.suppress_max, rule.round_to, hidden, source);
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
    if (q->suppress)
        rc = suppress(out, t, err);
    /* Labels last: explain and suppress work on the builder's columns. */
    if (!rc)
        rc = pccs_labels_add(def->name, out, err);
    return rc;
}
