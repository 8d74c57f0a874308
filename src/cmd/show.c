/* SPDX-License-Identifier: MIT */
/*
 * pccs show CODE: one organisation with its parents up to England, its
 * children and its populations for every loaded period, each figure with
 * the file it came from; --compare (a practice or PCN): its benchmarks
 * beside its ICB, region and England, rank and decile (as the API's).
 */
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/profile.h"
#include "report/profile.h"
#include "report/table.h"

static void
show_json(const struct pccs_profile *p, const struct pccs_table *cmp)
{
    json_t *root = json_object();
    json_object_set_new(root, "organisation",
                        pccs_profile_org_json(&p->self, false));
    pccs_profile_head_json(root, p);
    json_t *a = json_array();
    for (size_t i = 0; i < p->nchildren; i++)
        json_array_append_new(a, pccs_profile_org_json(&p->children[i], false));
    json_object_set_new(root, "children", a);
    json_object_set_new(root, "populations", pccs_profile_pops_json(p));
    if (cmp)
        json_object_set_new(root, "comparison", pccs_table_json(cmp));
    json_dumpf(root, stdout,
               JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    putchar('\n');
    json_decref(root);
}

static void
text_details(const struct pccs_profile *p)
{
    const struct pccs_tree_org *o = p->o;
    char d[16];
    printf("%s  %s  (%s)\n", o->code, p->self.name, o->level_name);
    if (o->postcode)
        printf("  postcode     %s\n", o->postcode);
    if (o->ons_code)
        printf("  ONS code     %s\n", o->ons_code);
    if (o->open_date != PCCS_DAY_NONE) {
        pccs_date_format(o->open_date, d);
        printf("  opened       %s\n", d);
    }
    if (o->close_date != PCCS_DAY_NONE) {
        pccs_date_format(o->close_date, d);
        printf("  closed       %s\n", d);
    }
    if (o->status)
        printf("  status       %s\n", o->status);
    for (size_t i = 0; i < p->nnames; i++)
        printf("%s  %-10s %s  [%s]\n", i ? "" : "\nNames:\n", p->names[i].from,
               p->names[i].name, p->names[i].source);
}

/* One period's populations, formatted as the tables format them. */
static void
text_pop(const struct pccs_profile_pop *pp)
{
    const struct pccs_table *t = &pp->table;
    struct pccs_buf b = PCCS_BUF_INIT;
    pccs_table_format_text(&b, t, 0, (size_t)pp->registered);
    printf("  %-10s registered %14s", pp->period, b.p);
    pccs_buf_reset(&b);
    if (!pccs_table_cell(t, 0, (size_t)pp->weighted)->null) {
        pccs_table_format_text(&b, t, 0, (size_t)pp->weighted);
        printf("  weighted %14s", b.p);
    }
    pccs_buf_reset(&b);
    pccs_table_format_text(&b, t, 0, (size_t)pp->practices);
    printf("  practices %s  [%s]\n", b.p,
           pccs_table_cell(t, 0, (size_t)pp->source)->text);
    pccs_buf_release(&b);
}

/* Is s, a number as the terminal shows it, whole (3,747.00)? */
static bool
shown_whole(const char *s)
{
    const char *dot = strchr(s, '.');
    return !dot || strspn(dot + 1, "0") == strlen(dot + 1);
}

/*
 * Cell (r, c) of the comparison as text into b; the figures (value to
 * england) with the decimals of the row's own table, none when all four
 * are whole at them: a count of patients is 3,747 as in Populations, a
 * payment per patient 178.81, a prevalence 14.54.
 */
static void
compare_cell(struct pccs_buf *b, const struct pccs_table *cmp, size_t r,
             size_t c, int dcol)
{
    int value = pccs_table_col_index(cmp, "value");
    if (dcol < 0 || (int)c < value || (int)c > value + 3) {
        pccs_table_format_cell(b, cmp, r, c);
        return;
    }
    /* The table as it is but for the decimals of its figure columns. */
    struct pccs_table_col cols[16];
    PCCS_ASSERT(cmp->ncols <= PCCS_LEN(cols));
    memcpy(cols, cmp->cols, cmp->ncols * sizeof(*cols));
    struct pccs_table row = *cmp;
    row.cols = cols;
    const struct pccs_cell *d = pccs_table_cell(cmp, r, (size_t)dcol);
    int dec = d->null ? 2 : (int)d->num;
    bool whole = true;
    for (int k = value; k <= value + 3 && dec; k++) {
        struct pccs_buf t = PCCS_BUF_INIT;
        cols[k].decimals = dec;
        pccs_table_format_cell(&t, &row, r, (size_t)k);
        whole = whole && shown_whole(t.p);
        pccs_buf_release(&t);
    }
    cols[c].decimals = whole ? 0 : dec;
    pccs_table_format_cell(b, &row, r, c);
}

/*
 * The comparison as the table writer prints it, each row with its own
 * decimals: every cell formatted here into a text column, the numbers
 * padded on the left so they stay right-aligned; decimals not shown.
 */
static void
text_compare(const struct pccs_table *cmp)
{
    int dcol = pccs_table_col_index(cmp, "decimals");
    size_t nc = cmp->ncols, nr = cmp->nrows;
    char **cell = pccs_xcalloc(nr * nc + 1, sizeof(*cell));
    size_t *w = pccs_xcalloc(nc + 1, sizeof(*w));
    for (size_t c = 0; c < nc; c++)
        w[c] = strlen(cmp->cols[c].name);
    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; c < nc; c++) {
            struct pccs_buf b = PCCS_BUF_INIT;
            compare_cell(&b, cmp, r, c, dcol);
            cell[r * nc + c] = pccs_buf_detach(&b, NULL);
            if (strlen(cell[r * nc + c]) > w[c])
                w[c] = strlen(cell[r * nc + c]);
        }
    struct pccs_table d;
    pccs_table_init(&d, cmp->title);
    struct pccs_buf b = PCCS_BUF_INIT;
    for (size_t c = 0; c < nc; c++) {
        bool right = cmp->cols[c].type != PCCS_COL_TEXT;
        pccs_buf_reset(&b);
        pccs_buf_addf(&b, "%*s", right ? (int)w[c] : 0, cmp->cols[c].name);
        if ((int)c != dcol)
            pccs_table_col(&d, b.p, PCCS_COL_TEXT, 0);
    }
    for (size_t r = 0; r < nr; r++) {
        pccs_table_row(&d);
        for (size_t c = 0; c < nc; c++) {
            bool right = cmp->cols[c].type != PCCS_COL_TEXT;
            pccs_buf_reset(&b);
            pccs_buf_addf(&b, "%*s", right ? (int)w[c] : 0, cell[r * nc + c]);
            if ((int)c != dcol)
                pccs_table_text(&d, b.p);
        }
    }
    struct pccs_err err = PCCS_ERR_INIT;
    pccs_table_write(&d, PCCS_FMT_TEXT, stdout, &err);
    for (size_t i = 0; i < cmp->nnotes; i++)
        printf("%s%s\n", i ? "" : "\n", cmp->notes[i]);
    pccs_buf_release(&b);
    pccs_table_release(&d);
    for (size_t i = 0; i < nr * nc; i++)
        free(cell[i]);
    free(cell);
    free(w);
}

static void
show_text(const struct pccs_profile *p, const struct pccs_table *cmp)
{
    char d[16];
    pccs_date_format(p->at, d);
    text_details(p);
    printf("\nParents as at %s:\n", d);
    for (size_t i = 0; i < p->nparents; i++) {
        const struct pccs_profile_org *po = &p->parents[i];
        printf("  %-9s %-8s %s%s%s%s\n", po->level, po->code, po->name,
               *po->source ? "  [" : "", po->source, *po->source ? "]" : "");
    }
    printf("\nChildren as at %s: %zu\n", d, p->nchildren);
    for (size_t i = 0; i < p->nchildren; i++)
        printf("  %-9s %-8s %s\n", p->children[i].level, p->children[i].code,
               p->children[i].name);
    if (p->npops)
        printf("\nPopulations:\n");
    for (size_t i = 0; i < p->npops; i++)
        text_pop(&p->pops[i]);
    if (cmp) {
        printf("\nCompared with its ICB, region and England:\n");
        text_compare(cmp);
    }
    printf("\nContains public sector information licensed under the "
           "Open Government Licence v3.0.\n");
}

int
pccs_cmd_show(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *at = NULL;
    bool compare = false;
    struct pccs_opt opts[] = {{"format", &format, NULL},
                              {"at", &at, NULL},
                              {"compare", NULL, &compare}};
    char *pos[1];
    size_t npos;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 1, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (!npos)
        return pccs_cmd_usage("show", "which organisation? (an ODS code)");
    int fmt;
    struct pccs_profile_query q = {.code = pos[0]};
    rc = pccs_cmd_format("show", format, &fmt);
    if (!rc)
        rc = pccs_cmd_date("show", at, &q.at);
    if (rc)
        return rc;
    if (fmt == PCCS_FMT_CSV)
        return pccs_cmd_usage("show", "--format must be text or json");

    struct pccs_cmd_open o;
    rc = pccs_cmd_open_tree(g, &o);
    if (rc)
        return rc;
    struct pccs_profile p;
    rc = pccs_profile_get(o.st, &o.tree, &q, &p, &o.err);
    struct pccs_table cmp;
    pccs_table_init(&cmp, "comparison");
    if (!rc && compare) {
        pccs_table_release(&cmp);
        rc = pccs_profile_compare(o.st, &o.tree, &p, false, &cmp, &o.err);
    }
    if (!rc && fmt == PCCS_FMT_TEXT)
        show_text(&p, compare ? &cmp : NULL);
    else if (!rc)
        show_json(&p, compare ? &cmp : NULL);
    pccs_table_release(&cmp);
    pccs_profile_release(&p);
    return pccs_cmd_close(&o, rc);
}
