/* SPDX-License-Identifier: MIT */
/* pccs orgs: organisations at a level, as at a date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/build.h"
#include "model/query.h"
#include "model/tree.h"
#include "base/xalloc.h"
#include "report/table.h"

/* "PCNs", "sub-ICB locations": a level's organisations in a sentence. */
static const char *
level_plural(enum pccs_level lv)
{
    static const char *const names[PCCS_NLEVELS] = {
        "practices", "PCNs",    "places", "sub-ICB locations",
        "ICBs",      "regions", "England"};
    return lv >= 0 && lv < PCCS_NLEVELS ? names[lv] : "organisations";
}

/* The command line: format, level, area and day. */
struct args {
    const char *format, *level, *in, *at;
    int fmt;
    pccs_day day;
    enum pccs_level lv;
};

/* PCCS_CMD_GO to go on, as pccs_cmd_args(); else the exit code. */
static int
parse_args(struct pccs_global *g, int argc, char **argv, struct args *a)
{
    struct pccs_opt opts[] = {
        {"format", &a->format, NULL},
        {"level", &a->level, NULL},
        {"in", &a->in, NULL},
        {"at", &a->at, NULL},
    };
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (rc != PCCS_CMD_GO)
        return rc;
    rc = pccs_cmd_format("orgs", a->format, &a->fmt);
    if (!rc)
        rc = pccs_cmd_date("orgs", a->at, &a->day);
    if (rc)
        return rc;
    a->lv = PCCS_REGION;
    if (a->level) {
        a->lv = pccs_level_parse(a->level);
        if (a->lv == PCCS_LEVEL_NONE)
            return pccs_cmd_usage("orgs",
                                  "--level must be practice, pcn, sub_icb, "
                                  "icb, region or england, not '%s'",
                                  a->level);
    }
    return PCCS_CMD_GO;
}

/* The open organisations of level lv within in_org with practices. */
static size_t
select_orgs(const struct pccs_tree *t, enum pccs_level lv, int in_org,
            pccs_day day, const int64_t *count, int *rows)
{
    size_t n = 0;
    for (size_t i = 0; i < t->norgs; i++) {
        if (t->orgs[i].level != lv || !count[i] ||
            !pccs_tree_open_at(&t->orgs[i], day))
            continue;
        if (!pccs_build_within(t, (int)i, in_org, day, 0))
            continue;
        rows[n++] = (int)i;
    }
    pccs_tree_sort_by_code(t, rows, n);
    return n;
}

static void
emit_rows(struct pccs_table *tab, const struct pccs_tree *t, const int *rows,
          size_t n, const int64_t *count, pccs_day day)
{
    static const struct pccs_build_col cols[] = {
        PCCS_BUILD_TEXT("code"),        PCCS_BUILD_TEXT("name"),
        PCCS_BUILD_TEXT("level"),       PCCS_BUILD_TEXT("parent_code"),
        PCCS_BUILD_TEXT("parent_name"), PCCS_BUILD_INT("practices")};
    PCCS_BUILD_COLS(tab, cols);
    for (size_t i = 0; i < n; i++) {
        const struct pccs_tree_org *o = &t->orgs[rows[i]];
        int p = pccs_tree_up(t, rows[i], day, 0);
        pccs_table_row(tab);
        pccs_table_text(tab, o->code);
        pccs_table_text(tab, pccs_tree_name(t, rows[i], day));
        pccs_table_text(tab, o->level_name);
        pccs_table_text(tab, p >= 0 ? t->orgs[p].code : "");
        pccs_table_text(tab, p >= 0 ? pccs_tree_name(t, p, day) : "");
        pccs_table_int(tab, count[rows[i]]);
    }
}

/* Why there are none: before the level began, or none open there. */
static void
note_none(struct pccs_table *tab, const struct pccs_tree *t,
          const struct args *a, int in_org, pccs_day began,
          const char *began_src, const char *d)
{
    const char *lname = level_plural(a->lv);
    if (began != PCCS_DAY_NONE && a->day < began) {
        char b[16];
        pccs_date_format(began, b);
        pccs_table_note(tab, "no %s at %s: %s began on %s (%s)", lname, d,
                        lname, b, began_src);
    }
    else
        pccs_table_note(tab, "no %s open at %s%s%s", lname, d,
                        in_org >= 0 ? " within " : "",
                        in_org >= 0 ? t->orgs[in_org].code : "");
    /* CSV has no notes: say it on stderr. */
    if (a->fmt == PCCS_FMT_CSV)
        fprintf(stderr, "pccs orgs: %s\n", tab->notes[tab->nnotes - 1]);
}

/* The organisations asked for into tab, with a note when there are none. */
static int
build(const struct pccs_tree *t, struct args *a, struct pccs_table *tab,
      struct pccs_err *err)
{
    int64_t *count = NULL;
    int *rows = NULL;
    int in_org = -1, rc = PCCS_OK;
    pccs_day began;
    char began_src[512];
    if (a->day == PCCS_DAY_NONE)
        a->day = pccs_tree_default_day(t);
    if (a->in && (in_org = rc = pccs_query_org(t, "", a->in, err)) < 0)
        goto out;
    /* No organisation of a level before the level began (PCNs: 2019). */
    rc = pccs_query_level_began(a->lv, &began, began_src, sizeof(began_src),
                                err);
    if (rc)
        goto out;
    bool before = began != PCCS_DAY_NONE && a->day < began;
    count = pccs_xcalloc(t->norgs + 1, sizeof(*count));
    rows = pccs_xcalloc(t->norgs + 1, sizeof(*rows));
    pccs_tree_count_practices(t, a->day, count);
    size_t n = before ? 0 : select_orgs(t, a->lv, in_org, a->day, count, rows);
    emit_rows(tab, t, rows, n, count, a->day);
    char d[16];
    pccs_date_format(a->day, d);
    pccs_table_note(tab,
                    "organisations as at %s: practices open on that "
                    "day and placed in the tree, and their parents",
                    d);
    if (!n)
        note_none(tab, t, a, in_org, began, began_src, d);
out:
    free(count);
    free(rows);
    return rc;
}

int
pccs_cmd_orgs(struct pccs_global *g, int argc, char **argv)
{
    struct args a = {.format = NULL};
    int rc = parse_args(g, argc, argv, &a);
    if (rc != PCCS_CMD_GO)
        return rc;
    struct pccs_cmd_open o;
    rc = pccs_cmd_open_tree(g, &o);
    if (rc)
        return rc;
    struct pccs_table tab;
    pccs_table_init(&tab, "orgs");
    rc = build(&o.tree, &a, &tab, &o.err);
    pccs_tree_release(&o.tree); /* the table holds copies */
    return pccs_cmd_print(&tab, a.fmt, o.st, rc, &o.err);
}
