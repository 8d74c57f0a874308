/* SPDX-License-Identifier: MIT */
/*
 * Tables over the local registers (sources/registers.c): the latest load
 * of each register, with what is derived from it (overdue, score and RAG,
 * tenure shares, variance and movement, visit gaps), and `register`, the
 * rows as loaded, for export and round trips.
 */
#include "model/tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "calc/stats.h"
#include "model/build.h"
#include "model/refdata.h"
#include "sources/register_defs.h"
#include "sources/sources.h"

/* ===== Reading a register (sources/register_edit.c reads it) ===== */

/* The latest version of a register, and the one before (budget). */
struct reg {
    struct pccs_register_data d, prev;
    const char *cols[PCCS_REG_MAXCOLS]; /* every column's name */
};

static const char *
val_of(const struct pccs_register_data *d, size_t i, const char *col)
{
    int k = pccs_reg_col_index(d->def, col);
    return k >= 0 ? pccs_register_val(d, i, (size_t)k) : "";
}

static const char *
val(const struct reg *g, size_t i, const char *col)
{
    return val_of(&g->d, i, col);
}

static double
num_of(const struct pccs_register_data *d, size_t i, const char *col)
{
    const char *s = val_of(d, i, col);
    return *s ? strtod(s, NULL) : NAN;
}

static double
num(const struct reg *g, size_t i, const char *col)
{
    return num_of(&g->d, i, col);
}

static pccs_day
day(const struct reg *g, size_t i, const char *col)
{
    pccs_day d;
    const char *s = val(g, i, col);
    return *s && !pccs_date_parse(pccs_str_from(s), &d) ? d : PCCS_DAY_NONE;
}

static bool
numeric_col(const struct reg *g, const char *col)
{
    int k = pccs_reg_col_index(g->d.def, col);
    return k >= 0 && pccs_reg_col_numeric(&g->d.def->cols[k]);
}

/* The day tables are "as at": --at, else today. */
static pccs_day
as_at(const struct pccs_table_query *q)
{
    return q->at != PCCS_DAY_NONE ? q->at : pccs_date_today();
}

/* What a table's rows are made from: the register read for it (g), the
 * question (q) over the tree (t), the day it is as at, and err. */
struct rows_in {
    const struct pccs_tree *t;
    const struct pccs_table_query *q;
    const struct reg *g;
    pccs_day at; /* --at, else today */
    struct pccs_err *err;
};

/* Is code within --in (any organisation, or itself), as at in->at? */
static bool
in_scope(const struct rows_in *x, const char *code)
{
    const struct pccs_tree *t = x->t;
    if (!x->q->in)
        return true;
    int in = pccs_tree_find(t, x->q->in);
    int o = pccs_tree_find(t, code);
    if (in < 0 || o < 0)
        return false;
    return o == in ||
           pccs_tree_ancestor(t, o, t->orgs[in].level, x->at, 0) == in;
}

/* Is a register's owner (NULL: none) within --in? ctx: a rows_in. */
static bool
owner_in(void *ctx, const char *owner)
{
    const struct rows_in *oi = ctx;
    /* A load without --org is the store's holder's: the command line's
     * and an admin's (a reader who is no organisation), no one else's. */
    if (!owner)
        return !oi->q->viewer || !*oi->q->viewer;
    return in_scope(oi, owner);
}

/*
 * Start a table over register name: check --in (when check_in), read the
 * register's latest version (and the one before for the budget). On
 * failure g is released.
 */
static int
open_reg(struct pccs_store *st, const struct pccs_tree *t,
         const struct pccs_table_query *q, bool check_in, const char *name,
         struct reg *g, struct pccs_err *err)
{
    memset(g, 0, sizeof(*g));
    if (check_in && q->in && pccs_tree_find(t, q->in) < 0)
        return pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s",
                            q->in);
    /* Every owner's latest version; of a register naming no
     * organisation, the owners within --in. */
    const struct pccs_reg_def *def = pccs_reg_def_find(name);
    struct rows_in oi = {.t = t, .q = q, .at = as_at(q)};
    int rc = pccs_register_read_owners(
        st, name, def && def->org_col < 0 ? owner_in : NULL, &oi, &g->d,
        !strcmp(name, "budget") ? &g->prev : NULL, err);
    for (size_t k = 0; !rc && k < g->d.def->ncols; k++)
        g->cols[k] = g->d.def->cols[k].name;
    if (rc) {
        pccs_register_data_release(&g->d);
        pccs_register_data_release(&g->prev);
    }
    return rc;
}

/* Finish a table: the note naming each load it rests on (one per owner,
 * newest first); release g. */
static int
close_reg(struct pccs_store *st, struct pccs_table *out, struct reg *g,
          struct pccs_err *err)
{
    /* Its counts are the loader's own (disclosure control): the owner
     * of every load read, or no one's when they differ. */
    char owner[32] = "";
    bool one_owner = true;
    for (size_t i = 0; i <= g->d.n; i++) {
        int64_t v = i ? g->d.from[i - 1] : g->d.version;
        bool seen = false;
        for (size_t k = 0; k + 1 < i; k++)
            seen |= g->d.from[k] == v;
        struct pccs_source_info si;
        if (seen || (i && v == g->d.version) ||
            pccs_store_source_get(st, v, &si, err) != PCCS_OK)
            continue;
        /* The table rests on this load (its marks, if example, follow). */
        pccs_table_source(out, v);
        pccs_table_note(out, "%s: %s (%s, loaded %s)", g->d.def->name,
                        si.publication, si.path ? si.path : "?",
                        si.loaded_at ? si.loaded_at : "?");
        if (!i)
            snprintf(owner, sizeof(owner), "%s", si.owner ? si.owner : "");
        one_owner &= si.owner && !strcmp(owner, si.owner);
    }
    pccs_table_sdc_owner(out, one_owner && owner[0] ? owner : NULL);
    pccs_err_clear(err);
    pccs_register_data_release(&g->d);
    pccs_register_data_release(&g->prev);
    return PCCS_OK;
}

/*
 * The cells of row i for the columns cols (n of them) as loaded: numbers
 * as numbers (whole when whole), empty cells null.
 */
static void
row_cells(struct pccs_table *out, const struct reg *g, size_t i,
          const char *const *cols, size_t n, bool whole)
{
    for (size_t k = 0; k < n; k++) {
        const char *v = val(g, i, cols[k]);
        if (!*v)
            pccs_table_null(out);
        else if (!numeric_col(g, cols[k]))
            pccs_table_text(out, v);
        else if (whole)
            pccs_table_int(out, (int64_t)strtod(v, NULL));
        else
            pccs_table_num(out, strtod(v, NULL));
    }
}

/* Columns for cols (n): numbers (whole or with 2 decimals) or text. */
static void
row_cols(struct pccs_table *out, const struct reg *g, const char *const *cols,
         size_t n, bool whole)
{
    for (size_t k = 0; k < n; k++)
        pccs_table_col(out, cols[k],
                       !numeric_col(g, cols[k]) ? PCCS_COL_TEXT
                       : whole                  ? PCCS_COL_INT
                                                : PCCS_COL_NUM,
                       whole ? 0 : 2);
}

/* A table's rows from what it is made from. */
typedef int (*rows_fn)(const struct rows_in *in, struct pccs_table *out);

/* Table title over register name: read it, emit its rows, note it. */
static int
run(struct pccs_store *st, const struct pccs_tree *t,
    const struct pccs_table_query *q, struct pccs_table *out,
    struct pccs_err *err, const char *title, const char *name, bool check_in,
    rows_fn rows)
{
    pccs_table_init(out, title);
    struct reg g;
    int rc = open_reg(st, t, q, check_in, name, &g, err);
    if (rc)
        return rc;
    struct rows_in in = {.t = t, .q = q, .g = &g, .at = as_at(q), .err = err};
    rc = rows(&in, out);
    if (rc) {
        pccs_register_data_release(&g.d);
        pccs_register_data_release(&g.prev);
        return rc;
    }
    return close_reg(st, out, &g, err);
}

/*
 * pccs_NAME_table(): table TITLE over register REG (--in checked when
 * CHECK), its rows from NAME_rows().
 */
#define REGISTER_TABLE(NAME, TITLE, REG, CHECK)                                \
    int pccs_##NAME##_table(struct pccs_store *st, const struct pccs_tree *t,  \
                            const struct pccs_table_query *q,                  \
                            struct pccs_table *out, struct pccs_err *err)      \
    {                                                                          \
        return run(st, t, q, out, err, TITLE, REG, CHECK, NAME##_rows);        \
    }

/* ===== register: the rows as loaded ===== */

int
pccs_register_table(struct pccs_store *st, const struct pccs_tree *t,
                    const struct pccs_table_query *q, struct pccs_table *out,
                    struct pccs_err *err)
{
    pccs_table_init(out, "register");
    if (!q->group)
        return pccs_err_set(err, PCCS_EINVAL,
                            "which register? --group places, programmes, "
                            "milestones, risks, estates, budget, "
                            "list_closures, support_payments, visits or "
                            "care_home_beds");
    struct reg g;
    int rc = open_reg(st, t, q, false, q->group, &g, err);
    char owners[1][32];
    size_t any = 0;
    if (rc == PCCS_ENOTFOUND &&
        !pccs_register_owners(st, q->group, owners, 1, &any, err) && any) {
        /* Loaded, but by none within --in: no rows. */
        pccs_err_clear(err);
        g.d.def = pccs_reg_def_find(q->group);
        for (size_t k = 0; k < g.d.def->ncols; k++)
            g.cols[k] = g.d.def->cols[k].name;
        row_cols(out, &g, g.cols, g.d.def->ncols, false);
        pccs_table_note(out, "%s: no load of an organisation within %s",
                        q->group, q->in ? q->in : "England");
        return PCCS_OK;
    }
    if (rc)
        return rc;
    /*
     * An example or generated load keeps its mark when exported and
     * loaded again (the xlsx twins of data/templates are made so).
     */
    char prov[200] = "";
    struct pccs_source_info si;
    if (pccs_store_source_get(st, g.d.version, &si, err) == PCCS_OK &&
        si.provenance)
        snprintf(prov, sizeof(prov), "%s",
                 si.provenance_note ? si.provenance_note : si.provenance);
    pccs_err_clear(err);
    const char *const *cols = g.cols;
    size_t nc = g.d.def->ncols;
    row_cols(out, &g, cols, nc, false);
    if (prov[0])
        pccs_table_col(out, "pccs_provenance", PCCS_COL_TEXT, 0);
    for (size_t i = 0; i < g.d.n; i++) {
        pccs_table_row(out);
        row_cells(out, &g, i, cols, nc, false);
        if (prov[0])
            pccs_table_text(out, prov);
    }
    close_reg(st, out, &g, err);
    pccs_table_note(out,
                    "the template: data/templates/%s.csv; export this "
                    "table and load it to move a register between "
                    "stores",
                    q->group);
    return PCCS_OK;
}

/* ===== programme-status ===== */

enum { PS_NOT_STARTED, PS_ACHIEVED, PS_IN_PROGRESS, PS_OVERDUE, PS_N };

/*
 * An item is overdue when its due date has passed and it is not achieved
 * and closed; overdue is counted instead of its status, so the columns
 * add up to the total.
 */
static int
programme_state(const struct reg *g, size_t r, pccs_day at)
{
    const char *s = val(g, r, "status");
    if (!strcmp(s, "achieved and closed"))
        return PS_ACHIEVED;
    pccs_day due = day(g, r, "due_date");
    if (due != PCCS_DAY_NONE && due < at)
        return PS_OVERDUE;
    return !strcmp(s, "in progress") ? PS_IN_PROGRESS : PS_NOT_STARTED;
}

static int
programme_status_rows(const struct rows_in *in, struct pccs_table *out)
{
    char(*ws)[128] = pccs_xcalloc(in->g->d.n + 1, sizeof(*ws));
    int(*cnt)[PS_N] = pccs_xcalloc(in->g->d.n + 1, sizeof(*cnt));
    size_t nw = 0;
    for (size_t i = 0; i < in->g->d.n; i++) {
        if (!in_scope(in, val(in->g, i, "org_code")))
            continue;
        const char *w = val(in->g, i, "workstream");
        size_t k = 0;
        while (k < nw && strcmp(ws[k], w) != 0)
            k++;
        if (k == nw)
            snprintf(ws[nw++], 128, "%s", w);
        cnt[k][programme_state(in->g, i, in->at)]++;
    }
    /* The states in the order of PS_*, then their total. */
    static const struct pccs_build_col cols[] = {
        PCCS_BUILD_TEXT("workstream"),
        PCCS_BUILD_INT("not_started"),
        PCCS_BUILD_INT("achieved_and_closed"),
        PCCS_BUILD_INT("in_progress"),
        PCCS_BUILD_INT("overdue"),
        PCCS_BUILD_INT("total")};
    PCCS_BUILD_COLS(out, cols);
    /* The states and their total are counts (disclosure control). */
    for (size_t c = 1; c <= PS_N; c++)
        out->cols[c].sdc = true;
    out->cols[PS_N + 1].sdc = out->cols[PS_N + 1].sdc_total = true;
    int tot[PS_N] = {0};
    for (size_t k = 0; k <= nw; k++) {
        const int *c = k < nw ? cnt[k] : tot;
        pccs_table_row(out);
        pccs_table_text(out, k < nw ? ws[k] : "Total");
        int sum = 0;
        for (int s = 0; s < PS_N; s++) {
            pccs_table_int(out, c[s]);
            sum += c[s];
            if (k < nw)
                tot[s] += c[s];
        }
        pccs_table_int(out, sum);
    }
    pccs_table_sdc_total_row(out, nw, 0, nw);
    char d[16];
    pccs_date_format(in->at, d);
    pccs_table_note(out,
                    "as at %s: overdue = due date before that day and not "
                    "achieved and closed (counted instead of its status)",
                    d);
    free(ws);
    free(cnt);
    return PCCS_OK;
}

/* ===== milestones ===== */

static int
milestones_rows(const struct rows_in *in, struct pccs_table *out)
{
    const char *const *cols = in->g->cols;
    row_cols(out, in->g, cols, in->g->d.def->ncols, false);
    pccs_table_col(out, "achieved_pct_of_target", PCCS_COL_NUM, 1);
    pccs_table_col(out, "result", PCCS_COL_TEXT, 0);
    for (size_t i = 0; i < in->g->d.n; i++) {
        size_t r = i;
        pccs_table_row(out);
        row_cells(out, in->g, r, cols, in->g->d.def->ncols, false);
        double target = num(in->g, r, "target"),
               got = num(in->g, r, "achieved");
        pccs_table_num(out,
                       target > 0 && !isnan(got) ? got / target * 100 : NAN);
        pccs_day td = day(in->g, r, "target_date");
        pccs_day ad = day(in->g, r, "achieved_date");
        const char *res =
            !isnan(got) && got >= target && (ad == PCCS_DAY_NONE || ad <= td)
                ? "met"
            : !isnan(got) && got >= target ? "met late"
            : td < in->at                  ? "missed"
                                           : "not yet due";
        pccs_table_text(out, res);
    }
    return PCCS_OK;
}

/* ===== risks ===== */

struct risk_band {
    double from, to;
    char rag[16];
};

/* data/rules/risk.csv: score_from,score_to,rag,source */
static int
risk_bands(struct risk_band *b, size_t *n, char *source, size_t sn,
           struct pccs_err *err)
{
    const struct pccs_refdata *f;
    int rc = pccs_refdata_load("rules/risk.csv", &f, err);
    *n = 0;
    for (size_t k = 1; !rc && k < f->nrecords && *n < 8; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        if (rec->nfields < 4)
            continue;
        b[*n].from = strtod(rec->fields[0].p, NULL);
        b[*n].to = strtod(rec->fields[1].p, NULL);
        pccs_str_copy(rec->fields[2], b[*n].rag, sizeof(b[*n].rag));
        char src[400];
        pccs_str_copy(rec->fields[3], src, sizeof(src));
        size_t used = strlen(source);
        snprintf(source + used, sn - used, "%s%g-%g %s: %s", used ? "; " : "",
                 b[*n].from, b[*n].to, b[*n].rag, src);
        (*n)++;
    }
    return rc;
}

static int
risks_rows(const struct rows_in *in, struct pccs_table *out)
{
    struct risk_band bands[8];
    size_t nb = 0;
    char source[2048] = "";
    int rc = risk_bands(bands, &nb, source, sizeof(source), in->err);
    if (rc)
        return rc;
    /* The rows in scope (row[k], score[k]), highest score first. */
    size_t *row = pccs_xcalloc(in->g->d.n + 1, sizeof(*row));
    double *score = pccs_xcalloc(in->g->d.n + 1, sizeof(*score));
    size_t n = 0;
    for (size_t i = 0; i < in->g->d.n; i++)
        if (in_scope(in, val(in->g, i, "org_code"))) {
            row[n] = i;
            score[n++] = num(in->g, i, "likelihood") * num(in->g, i, "impact");
        }
    size_t *order = pccs_xcalloc(n + 1, sizeof(*order));
    pccs_order_desc(score, n, order);
    const char *const *cols = in->g->cols;
    row_cols(out, in->g, cols, in->g->d.def->ncols, true);
    pccs_table_cols(out, "score:i rag review_overdue");
    for (size_t i = 0; i < n; i++) {
        size_t r = row[order[i]];
        double sc = score[order[i]];
        pccs_table_row(out);
        row_cells(out, in->g, r, cols, in->g->d.def->ncols, true);
        pccs_table_int(out, (int64_t)sc);
        const char *rag = "";
        for (size_t b = 0; b < nb; b++)
            if (sc >= bands[b].from && sc <= bands[b].to)
                rag = bands[b].rag;
        pccs_table_text(out, rag);
        pccs_day rd = day(in->g, r, "review_date");
        pccs_table_text(out, rd != PCCS_DAY_NONE && rd < in->at ? "yes" : "no");
    }
    pccs_table_note(out,
                    "score = likelihood x impact (1 to 25); RAG by "
                    "data/rules/risk.csv: %s",
                    source);
    free(row);
    free(score);
    free(order);
    return PCCS_OK;
}

/* ===== estates ===== */

enum { E_PREMISES, E_AREA, E_VOID, E_COST, E_VOIDCOST, E_INV, E_AGREED, E_N };

static const char *const tenures[] = {"freehold", "leasehold",
                                      "NHS Property Services", "LIFT"};

static int
estates_rows(const struct rows_in *in, struct pccs_table *out)
{
    /* Places in order of first appearance; tenure sums per place. */
    char(*pl)[128] = pccs_xcalloc(in->g->d.n + 1, sizeof(*pl));
    double(*v)[4][E_N] = pccs_xcalloc(in->g->d.n + 1, sizeof(*v));
    size_t np = 0;
    for (size_t i = 0; i < in->g->d.n; i++) {
        size_t r = i;
        if (!in_scope(in, val(in->g, r, "practice_code")))
            continue;
        const char *p =
            *val(in->g, r, "place") ? val(in->g, r, "place") : "(no place)";
        size_t k = 0;
        while (k < np && strcmp(pl[k], p) != 0)
            k++;
        if (k == np)
            snprintf(pl[np++], 128, "%s", p);
        int tn = 0;
        for (int j = 0; j < 4; j++)
            if (!strcmp(val(in->g, r, "tenure"), tenures[j]))
                tn = j;
        double area = num(in->g, r, "area_m2"), vd = num(in->g, r, "void_m2");
        double cost = num(in->g, r, "annual_cost");
        double *x = v[k][tn];
        x[E_PREMISES] += 1;
        x[E_AREA] += area;
        x[E_VOID] += vd;
        x[E_COST] += cost;
        x[E_VOIDCOST] += area > 0 ? cost * vd / area : 0;
        x[E_INV] += num(in->g, r, "void_invoiced");
        x[E_AGREED] += num(in->g, r, "void_agreed");
    }
    static const char *const c[] = {"place",         "tenure",      "premises",
                                    "area_m2",       "area_pct",    "void_m2",
                                    "void_pct",      "annual_cost", "void_cost",
                                    "void_invoiced", "void_agreed", NULL};
    for (size_t i = 0; c[i]; i++) {
        pccs_table_col(out, c[i],
                       i < 2   ? PCCS_COL_TEXT
                       : i < 3 ? PCCS_COL_INT
                               : PCCS_COL_NUM,
                       i == 4 || i == 6 ? 1 : 2);
        if (i == 2)
            pccs_table_col_sdc(out); /* premises: a count */
    }
    for (size_t k = 0; k < np; k++) {
        size_t first = out->nrows;
        double all[E_N] = {0};
        for (int j = 0; j < 4; j++)
            for (int e = 0; e < E_N; e++)
                all[e] += v[k][j][e];
        for (int j = 0; j <= 4; j++) {
            const double *x = j < 4 ? v[k][j] : all;
            if (j < 4 && x[E_PREMISES] == 0)
                continue;
            pccs_table_row(out);
            pccs_table_text(out, pl[k]);
            pccs_table_text(out, j < 4 ? tenures[j] : "all");
            pccs_table_int(out, (int64_t)x[E_PREMISES]);
            pccs_table_num(out, x[E_AREA]);
            pccs_table_num(out, all[E_AREA] > 0 ? x[E_AREA] / all[E_AREA] * 100
                                                : NAN);
            pccs_table_num(out, x[E_VOID]);
            pccs_table_num(out,
                           x[E_AREA] > 0 ? x[E_VOID] / x[E_AREA] * 100 : NAN);
            pccs_table_num(out, x[E_COST]);
            pccs_table_num(out, x[E_VOIDCOST]);
            pccs_table_num(out, x[E_INV]);
            pccs_table_num(out, x[E_AGREED]);
        }
        pccs_table_sdc_total_row(out, out->nrows - 1, first, out->nrows - 1);
    }
    pccs_table_note(out,
                    "area_pct = the tenure's area / the place's area; "
                    "void_pct = void m2 / area m2; void_cost = annual cost "
                    "x void m2 / area m2, per premises, summed");
    free(pl);
    free(v);
    return PCCS_OK;
}

/* ===== budget ===== */

static int
budget_rows(const struct rows_in *in, struct pccs_table *out)
{
    char(*lines)[128] = pccs_xcalloc(in->g->d.n + 1, sizeof(*lines));
    double(*v)[5] = pccs_xcalloc(in->g->d.n + 2, sizeof(*v));
    bool *had = pccs_xcalloc(in->g->d.n + 2, sizeof(*had));
    size_t nl = 0;
    for (int pass = 0; pass < 2; pass++) {
        const struct pccs_register_data *d = pass ? &in->g->prev : &in->g->d;
        for (size_t i = 0; i < d->n; i++) {
            const char *l = val_of(d, i, "line");
            size_t k = 0;
            while (k < nl && strcmp(lines[k], l) != 0)
                k++;
            if (k == nl) {
                if (pass)
                    continue; /* a line since dropped: not shown */
                snprintf(lines[nl++], 128, "%s", l);
            }
            if (pass) {
                v[k][4] += num_of(d, i, "forecast");
                had[k] = true;
            }
            else {
                v[k][0] += num_of(d, i, "plan");
                v[k][1] += num_of(d, i, "actual");
                v[k][2] += num_of(d, i, "forecast");
            }
        }
    }
    pccs_table_cols(out, "line plan:2 actual:2 forecast:2 variance:2 "
                         "variance_pct:1 movement_since_last:2");
    double tot[5] = {0};
    bool any_prev = false;
    for (size_t k = 0; k <= nl; k++) {
        const double *x = k < nl ? v[k] : tot;
        bool h = k < nl ? had[k] : any_prev;
        pccs_table_row(out);
        pccs_table_text(out, k < nl ? lines[k] : "Total");
        pccs_table_num(out, x[0]);
        pccs_table_num(out, x[1]);
        pccs_table_num(out, x[2]);
        pccs_table_num(out, x[2] - x[0]);
        pccs_table_num(out, x[0] != 0 ? (x[2] - x[0]) / x[0] * 100 : NAN);
        if (h)
            pccs_table_num(out, x[2] - x[4]);
        else
            pccs_table_null(out);
        if (k < nl) {
            for (int e = 0; e < 5; e++)
                tot[e] += x[e];
            any_prev |= had[k];
        }
    }
    pccs_table_note(out, "plan, actual and forecast summed over the months "
                         "of the latest load; variance = forecast - plan; "
                         "movement = this load's forecast - the previous "
                         "load's, for lines in both");
    free(lines);
    free(v);
    free(had);
    return PCCS_OK;
}

/* ===== list closures, support payments ===== */

/*
 * Start the row of register row r when its practice is within --in: the
 * practice's code and name. False, and no row, when it is outside.
 */
static bool
practice_row(const struct rows_in *in, size_t r, struct pccs_table *out)
{
    const struct pccs_tree *t = in->t;
    const char *code = val(in->g, r, "practice_code");
    if (!in_scope(in, code))
        return false;
    int o = pccs_tree_find(t, code);
    pccs_table_row(out);
    pccs_table_text(out, code);
    pccs_table_text(out, o >= 0 && t->orgs[o].name ? t->orgs[o].name : "");
    return true;
}

static int
list_closures_rows(const struct rows_in *in, struct pccs_table *out)
{
    static const char *const c[] = {"closed_from",   "closed_to",
                                    "approval_body", "approval_date",
                                    "review_date",   NULL};
    pccs_table_col(out, "code", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "name", PCCS_COL_TEXT, 0);
    for (size_t i = 0; c[i]; i++)
        pccs_table_col(out, c[i], PCCS_COL_TEXT, 0);
    pccs_table_col(out, "in_force", PCCS_COL_TEXT, 0);
    pccs_table_col(out, "review_overdue", PCCS_COL_TEXT, 0);
    for (size_t r = 0; r < in->g->d.n; r++) {
        if (!practice_row(in, r, out))
            continue;
        for (size_t k = 0; c[k]; k++)
            pccs_table_text(out, val(in->g, r, c[k]));
        pccs_day f = day(in->g, r, "closed_from"),
                 to = day(in->g, r, "closed_to");
        pccs_day rv = day(in->g, r, "review_date");
        bool force = f <= in->at && (to == PCCS_DAY_NONE || in->at <= to);
        pccs_table_text(out, force ? "yes" : "no");
        pccs_table_text(out, force && rv < in->at ? "yes" : "no");
    }
    char d[16];
    pccs_date_format(in->at, d);
    pccs_table_note(out, "as at %s", d);
    return PCCS_OK;
}

static int
support_payments_rows(const struct rows_in *in, struct pccs_table *out)
{
    pccs_table_cols(out, "code name payment_date amount:2 reason");
    double total = 0;
    size_t n = 0;
    for (size_t r = 0; r < in->g->d.n; r++) {
        if (!practice_row(in, r, out))
            continue;
        pccs_table_text(out, val(in->g, r, "payment_date"));
        pccs_table_num(out, num(in->g, r, "amount"));
        pccs_table_text(out, val(in->g, r, "reason"));
        total += num(in->g, r, "amount");
        n++;
    }
    pccs_table_row(out);
    pccs_table_text(out, "Total");
    pccs_table_text(out, "");
    pccs_table_text(out, "");
    pccs_table_num(out, total);
    char what[32];
    snprintf(what, sizeof(what), "%zu payments", n);
    pccs_table_text(out, what);
    return PCCS_OK;
}

/* ===== visits: practices not visited in the last 18 months ===== */

static int
visits_rows(const struct rows_in *in, struct pccs_table *out)
{
    int y, m, d;
    pccs_date_to_ymd(in->at, &y, &m, &d);
    int mm = m - 18;
    int yy = y;
    while (mm < 1) {
        mm += 12;
        yy--;
    }
    pccs_day since = pccs_date_from_ymd(yy, mm, d > 28 ? 28 : d);
    pccs_day *last = pccs_xcalloc(in->t->norgs + 1, sizeof(*last));
    for (size_t o = 0; o <= in->t->norgs; o++)
        last[o] = PCCS_DAY_NONE;
    for (size_t i = 0; i < in->g->d.n; i++) {
        int o = pccs_tree_find(in->t, val(in->g, i, "practice_code"));
        pccs_day v = day(in->g, i, "visit_date");
        if (o >= 0 && v <= in->at && (last[o] == PCCS_DAY_NONE || v > last[o]))
            last[o] = v;
    }
    int *rows = pccs_xcalloc(in->t->norgs + 1, sizeof(*rows));
    int64_t *current = pccs_xcalloc(in->t->norgs + 1, sizeof(*current));
    pccs_tree_count_practices(in->t, in->at, current);
    size_t n = 0;
    for (size_t o = 0; o < in->t->norgs; o++) {
        const struct pccs_tree_org *x = &in->t->orgs[o];
        if (x->level != PCCS_PRACTICE || current[o] <= 0 ||
            !in_scope(in, x->code))
            continue;
        if (last[o] == PCCS_DAY_NONE || last[o] < since)
            rows[n++] = (int)o;
    }
    pccs_tree_sort_by_code(in->t, rows, n);
    pccs_table_cols(out, "code name parent_code last_visit months_since:i");
    for (size_t k = 0; k < n; k++) {
        int o = rows[k];
        int parent = pccs_tree_up(in->t, o, in->at, 0);
        pccs_table_row(out);
        pccs_table_text(out, in->t->orgs[o].code);
        pccs_table_text(out, pccs_tree_name(in->t, o, in->at));
        pccs_table_text(out, parent >= 0 ? in->t->orgs[parent].code : "");
        if (last[o] == PCCS_DAY_NONE) {
            pccs_table_text(out, "never");
            pccs_table_null(out);
        }
        else {
            char ds[16];
            pccs_date_format(last[o], ds);
            pccs_table_text(out, ds);
            int ly, lm, ld;
            pccs_date_to_ymd(last[o], &ly, &lm, &ld);
            pccs_table_int(out, (y - ly) * 12 + (m - lm) - (d < ld));
        }
    }
    char ds[16], ss[16];
    pccs_date_format(in->at, ds);
    pccs_date_format(since, ss);
    pccs_table_note(out,
                    "as at %s: practices in the tree not visited since %s "
                    "(18 months), or never",
                    ds, ss);
    free(last);
    free(rows);
    free(current);
    return PCCS_OK;
}

/* The tables over the registers, each with its rows function above. */
REGISTER_TABLE(programme_status, "programme-status", "programmes", true)
REGISTER_TABLE(milestones, "milestones", "milestones", false)
REGISTER_TABLE(risks, "risks", "risks", true)
REGISTER_TABLE(estates, "estates", "estates", true)
REGISTER_TABLE(budget, "budget", "budget", false)
REGISTER_TABLE(list_closures, "list-closures", "list_closures", true)
REGISTER_TABLE(support_payments, "support-payments", "support_payments", true)
REGISTER_TABLE(visits, "visits", "visits", true)
