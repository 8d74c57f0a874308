/* SPDX-License-Identifier: MIT */
/*
 * pccs show CODE: one organisation with its parents up to England, its
 * children and its populations for every loaded period, each figure with
 * the file it came from.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/population.h"
#include "model/query.h"
#include "model/tree.h"
#include "report/table.h"

struct period_list {
    char p[64][32];
    size_t n;
};

static int
period_cb(void *ctx, const struct pccs_fact_row *f)
{
    struct period_list *l = ctx;
    if (l->n < 64)
        snprintf(l->p[l->n++], sizeof(l->p[0]), "%s", f->period);
    return 0;
}

static const char *
source_label(struct pccs_store *st, int64_t id, char *buf, size_t n)
{
    struct pccs_source_info s;
    struct pccs_err err = PCCS_ERR_INIT;
    if (id <= 0)
        return "";
    if (pccs_store_source_get(st, id, &s, &err))
        snprintf(buf, n, "source %lld", (long long)id);
    else
        snprintf(buf, n, "%s %s", s.kind, s.period ? s.period : "");
    return buf;
}

/* An organisation with its name as at day. */
static json_t *
org_json(const struct pccs_tree *t, int org, pccs_day day)
{
    const struct pccs_tree_org *o = &t->orgs[org];
    const char *name = pccs_tree_name(t, org, day);
    json_t *j = json_object();
    json_object_set_new(j, "code", json_string(o->code));
    json_object_set_new(j, "name", *name ? json_string(name) : json_null());
    json_object_set_new(j, "level", json_string(o->level_name));
    return j;
}

int
pccs_cmd_show(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *at = NULL;
    bool help = false;
    struct pccs_opt opts[] = {
        {"format", &format, NULL},
        {"at", &at, NULL},
        {"store", &g->store, NULL},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 3, pos, 1, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("show");
    if (!npos)
        return pccs_cmd_usage("show", "which organisation? (an ODS code)");
    int fmt;
    pccs_day day;
    rc = pccs_cmd_format("show", format, &fmt);
    if (!rc)
        rc = pccs_cmd_date("show", at, &day);
    if (rc)
        return rc;
    if (fmt == PCCS_FMT_CSV)
        return pccs_cmd_usage("show", "--format must be text or json");

    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_tree t = PCCS_TREE_INIT;
    struct pccs_err err = PCCS_ERR_INIT;
    int64_t *count = NULL;
    int *kids = NULL;
    json_t *root = json_object();
    char lbl[160];
    rc = pccs_tree_load(&t, st, &err);
    if (rc)
        goto out;
    int org = pccs_query_org(&t, "", pos[0], &err);
    if (org < 0) {
        rc = org;
        goto out;
    }
    if (day == PCCS_DAY_NONE)
        day = pccs_tree_default_day(&t);
    const struct pccs_tree_org *o = &t.orgs[org];
    char d[16], d2[16];
    pccs_date_format(day, d);
    bool text = fmt == PCCS_FMT_TEXT;

    if (text) {
        printf("%s  %s  (%s)\n", o->code, pccs_tree_name(&t, org, day),
               o->level_name);
        if (o->postcode)
            printf("  postcode     %s\n", o->postcode);
        if (o->ons_code)
            printf("  ONS code     %s\n", o->ons_code);
        if (o->open_date != PCCS_DAY_NONE) {
            pccs_date_format(o->open_date, d2);
            printf("  opened       %s\n", d2);
        }
        if (o->close_date != PCCS_DAY_NONE) {
            pccs_date_format(o->close_date, d2);
            printf("  closed       %s\n", d2);
        }
        if (o->status)
            printf("  status       %s\n", o->status);
    }
    /*
     * Its names over time, each from the first file that gave it (a
     * change of case only is not a new name).
     */
    json_t *jnames = json_array();
    for (size_t i = 0; i < o->nnames; i++) {
        const struct pccs_tree_name *n = &o->names[i];
        if (i > 0 && strcasecmp(n->name, o->names[i - 1].name) == 0)
            continue;
        char from[16] = "";
        if (n->from != PCCS_DAY_NONE)
            pccs_date_format(n->from, from);
        source_label(st, n->source_id, lbl, sizeof(lbl));
        if (text)
            printf("%s  %-10s %s  [%s]\n", i ? "" : "\nNames:\n", from,
                   n->name, lbl);
        json_t *jn = json_object();
        json_object_set_new(jn, "from", *from ? json_string(from) : json_null());
        json_object_set_new(jn, "name", json_string(n->name));
        json_object_set_new(jn, "source", json_string(lbl));
        json_array_append_new(jnames, jn);
    }
    if (text)
        printf("\nParents as at %s:\n", d);
    json_object_set_new(root, "organisation", org_json(&t, org, day));
    json_object_set_new(root, "names", jnames);
    json_object_set_new(root, "as_at", json_string(d));
    json_t *jparents = json_array();
    int64_t src;
    int p = pccs_tree_up_via(&t, org, day, 0, &src);
    for (int guard = 0; p >= 0 && guard < PCCS_NLEVELS; guard++) {
        const struct pccs_tree_org *po = &t.orgs[p];
        source_label(st, src, lbl, sizeof(lbl));
        if (text)
            printf("  %-9s %-8s %s%s%s%s\n", po->level_name, po->code,
                   pccs_tree_name(&t, p, day), *lbl ? "  [" : "", lbl,
                   *lbl ? "]" : "");
        json_t *jp = org_json(&t, p, day);
        json_object_set_new(jp, "source", json_string(lbl));
        json_array_append_new(jparents, jp);
        p = pccs_tree_up_via(&t, p, day, 0, &src);
    }
    json_object_set_new(root, "parents", jparents);

    count = pccs_xcalloc(t.norgs + 1, sizeof(*count));
    kids = pccs_xcalloc(t.norgs + 1, sizeof(*kids));
    pccs_tree_count_practices(&t, day, count);
    size_t nk = 0;
    for (size_t i = 0; i < t.norgs; i++) {
        if (count[i] && (int)i != org &&
            pccs_tree_up(&t, (int)i, day, 0) == org)
            kids[nk++] = (int)i;
    }
    pccs_tree_sort_by_code(&t, kids, nk);
    if (text)
        printf("\nChildren as at %s: %zu\n", d, nk);
    json_t *jkids = json_array();
    for (size_t i = 0; i < nk; i++) {
        const struct pccs_tree_org *k = &t.orgs[kids[i]];
        if (text)
            printf("  %-9s %-8s %s\n", k->level_name, k->code,
                   pccs_tree_name(&t, kids[i], day));
        json_array_append_new(jkids, org_json(&t, kids[i], day));
    }
    json_object_set_new(root, "children", jkids);

    /* Populations for every loaded period, through the populations table. */
    json_t *jpops = json_array();
    struct period_list periods = {.n = 0};
    if (o->level != PCCS_LEVEL_NONE)
        rc = pccs_store_periods_each(st, "registered", period_cb, &periods,
                                     &err);
    if (rc)
        goto out;
    if (text && periods.n)
        printf("\nPopulations:\n");
    for (size_t i = 0; i < periods.n; i++) {
        struct pccs_pop_query q = {.level = o->level,
                                   .in = o->code,
                                   .at = PCCS_DAY_NONE,
                                   .period = periods.p[i]};
        struct pccs_table tab;
        struct pccs_err e2 = PCCS_ERR_INIT;
        if (pccs_population_table(st, &t, &q, &tab, &e2) == PCCS_OK &&
            tab.nrows == 1) {
            const struct pccs_cell *reg = pccs_table_cell(&tab, 0, 4);
            const struct pccs_cell *w = pccs_table_cell(&tab, 0, 5);
            const struct pccs_cell *s = pccs_table_cell(&tab, 0, 6);
            const struct pccs_cell *np = pccs_table_cell(&tab, 0, 3);
            if (text) {
                struct pccs_buf b = PCCS_BUF_INIT;
                pccs_table_format_cell(&b, &tab, 0, 4);
                printf("  %-10s registered %14s", periods.p[i], b.p);
                pccs_buf_reset(&b);
                if (!w->null) {
                    pccs_table_format_cell(&b, &tab, 0, 5);
                    printf("  weighted %14s", b.p);
                }
                pccs_buf_reset(&b);
                pccs_table_format_cell(&b, &tab, 0, 3);
                printf("  practices %s  [%s]\n", b.p, s->text);
                pccs_buf_release(&b);
            }
            json_t *jp = json_object();
            json_object_set_new(jp, "period", json_string(periods.p[i]));
            json_object_set_new(jp, "practices",
                                json_integer((json_int_t)np->num));
            json_object_set_new(jp, "registered", json_real(reg->num));
            json_object_set_new(jp, "weighted",
                                w->null ? json_null() : json_real(w->num));
            json_object_set_new(jp, "source", json_string(s->text));
            json_array_append_new(jpops, jp);
        }
        pccs_table_release(&tab);
    }
    json_object_set_new(root, "populations", jpops);
    if (text)
        printf("\nContains public sector information licensed under the "
               "Open Government Licence v3.0.\n");
    else
        json_dumpf(root, stdout,
                   JSON_INDENT(1) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(12));
    if (!text)
        putchar('\n');
out:
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    json_decref(root);
    free(count);
    free(kids);
    pccs_tree_release(&t);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
