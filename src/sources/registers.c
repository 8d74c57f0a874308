/* SPDX-License-Identifier: MIT */
/*
 * Local commissioning registers: the templates of data/templates (places,
 * programmes, milestones, risks, estates, budget, list closures, support
 * payments, visits, care home beds), as CSV or as the first sheet of an
 * xlsx workbook, recognised by their headers. Every field is checked: an
 * organisation code must be in the tree (and open on the row's date),
 * dates must be real, enumerations must match, numbers must be numbers;
 * the first problem refuses the whole file with FILE:LINE:COL.
 *
 * Each row is stored as refs (kind "register:NAME", key the line number,
 * one attr per column, canonical text: ISO dates, enumerations as in the
 * template). The latest load of a register replaces the previous one in
 * every table; the budget table also reads the load before it for the
 * movement in forecast. A row with a value in the column pccs_provenance
 * ("example", as the rows of data/templates) marks the load as example
 * data (or synthetic: scripts/gen-registers). Places also become organisations
 * at level place with links from their members and to their parent; care home
 * beds also become facts (care_home_beds) for the care home premium.
 */
#include "sources/sources.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "model/tree.h"

enum rtype {
    R_TEXT,     /* any non-empty text */
    R_OPT,      /* optional text */
    R_ORG,      /* an organisation in the tree */
    R_PRACTICE, /* a practice in the tree */
    R_PLACE,    /* optional: a place of the places register, in the tree */
    R_DATE,     /* a real date */
    R_ODATE,    /* an optional date */
    R_INT,      /* a whole number in [min, max] */
    R_NUM,      /* a number >= 0 */
    R_ONUM,     /* an optional number >= 0 */
    R_SNUM,     /* a number, any sign */
    R_ENUM,     /* one of values ("a|b|c"), matched ignoring case */
    R_OENUM,    /* optional enumeration */
};

struct rcol {
    const char *name;
    enum rtype type;
    const char *values; /* R_ENUM: "a|b"; R_INT: "min|max" */
    int date_col;       /* R_ORG/R_PRACTICE: the column whose date the org
                           must be open on, or -1 */
};

struct rdef {
    const char *name; /* register:NAME */
    const struct rcol *cols;
    size_t ncols;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool
is_optional(enum rtype t)
{
    return t == R_OPT || t == R_ODATE || t == R_ONUM || t == R_OENUM ||
           t == R_PLACE;
}

static const struct rcol places_cols[] = {
    {"place_code", R_TEXT, NULL, -1}, {"place_name", R_TEXT, NULL, -1},
    {"parent_code", R_ORG, NULL, 4},  {"member_code", R_ORG, NULL, 4},
    {"start_date", R_DATE, NULL, -1}, {"end_date", R_ODATE, NULL, -1},
};
static const struct rcol programmes_cols[] = {
    {"workstream", R_TEXT, NULL, -1},
    {"project", R_TEXT, NULL, -1},
    {"owner", R_TEXT, NULL, -1},
    {"org_code", R_ORG, NULL, 4},
    {"start_date", R_DATE, NULL, -1},
    {"due_date", R_DATE, NULL, -1},
    {"status", R_ENUM, "not started|in progress|achieved and closed", -1},
    {"rag", R_ENUM, "red|amber|green", -1},
};
static const struct rcol milestones_cols[] = {
    {"project", R_TEXT, NULL, -1},        {"milestone", R_TEXT, NULL, -1},
    {"measure", R_TEXT, NULL, -1},        {"target", R_NUM, NULL, -1},
    {"target_date", R_DATE, NULL, -1},    {"achieved", R_ONUM, NULL, -1},
    {"achieved_date", R_ODATE, NULL, -1},
};
static const struct rcol risks_cols[] = {
    {"risk_id", R_TEXT, NULL, -1},    {"title", R_TEXT, NULL, -1},
    {"owner", R_TEXT, NULL, -1},      {"org_code", R_ORG, NULL, -1},
    {"likelihood", R_INT, "1|5", -1}, {"impact", R_INT, "1|5", -1},
    {"controls", R_OPT, NULL, -1},    {"review_date", R_DATE, NULL, -1},
};
static const struct rcol estates_cols[] = {
    {"premises_id", R_TEXT, NULL, -1},
    {"practice_code", R_PRACTICE, NULL, -1},
    {"place", R_PLACE, NULL, -1},
    {"address", R_TEXT, NULL, -1},
    {"tenure", R_ENUM, "freehold|leasehold|NHS Property Services|LIFT", -1},
    {"area_m2", R_NUM, NULL, -1},
    {"void_m2", R_NUM, NULL, -1},
    {"condition", R_ENUM, "A|B|C|D", -1},
    {"utilisation_pct", R_NUM, NULL, -1},
    {"annual_cost", R_NUM, NULL, -1},
    {"void_invoiced", R_NUM, NULL, -1},
    {"void_agreed", R_NUM, NULL, -1},
};
static const struct rcol budget_cols[] = {
    {"line", R_TEXT, NULL, -1},     {"month", R_DATE, NULL, -1},
    {"plan", R_SNUM, NULL, -1},     {"actual", R_SNUM, NULL, -1},
    {"forecast", R_SNUM, NULL, -1},
};
static const struct rcol closures_cols[] = {
    {"practice_code", R_PRACTICE, NULL, 1}, {"closed_from", R_DATE, NULL, -1},
    {"closed_to", R_DATE, NULL, -1},        {"approval_body", R_TEXT, NULL, -1},
    {"approval_date", R_DATE, NULL, -1},    {"review_date", R_DATE, NULL, -1},
};
static const struct rcol support_cols[] = {
    {"practice_code", R_PRACTICE, NULL, 1},
    {"payment_date", R_DATE, NULL, -1},
    {"amount", R_NUM, NULL, -1},
    {"reason", R_TEXT, NULL, -1},
};
static const struct rcol visits_cols[] = {
    {"practice_code", R_PRACTICE, NULL, 1},
    {"visit_date", R_DATE, NULL, -1},
    {"visit_type", R_ENUM, "contract|quality|CQC follow-up|other", -1},
};
static const struct rcol beds_cols[] = {
    {"beds_org_code", R_ORG, NULL, 3}, {"care_home", R_TEXT, NULL, -1},
    {"beds", R_INT, "0|10000", -1},    {"as_of", R_DATE, NULL, -1},
    {"beds_source", R_TEXT, NULL, -1},
};

static const struct rdef defs[] = {
    {"places", places_cols, N(places_cols)},
    {"programmes", programmes_cols, N(programmes_cols)},
    {"milestones", milestones_cols, N(milestones_cols)},
    {"risks", risks_cols, N(risks_cols)},
    {"estates", estates_cols, N(estates_cols)},
    {"budget", budget_cols, N(budget_cols)},
    {"list_closures", closures_cols, N(closures_cols)},
    {"support_payments", support_cols, N(support_cols)},
    {"visits", visits_cols, N(visits_cols)},
    {"care_home_beds", beds_cols, N(beds_cols)},
};

struct rctx {
    struct pccs_load *ld;
    const struct rdef *def;
    int idx[16];
    int prov; /* the provenance column (example rows), or -1 */
    struct pccs_tree tree;
    bool tree_loaded;
    struct pccs_hmap places; /* place codes described once */
};

/* "43556" (an Excel serial from a date cell) -> "2019-04-01". */
static bool
serial_date(struct pccs_str f, char out[16])
{
    if (!f.len || f.len > 6)
        return false;
    long s = 0; /* f is not NUL-terminated */
    for (size_t i = 0; i < f.len; i++) {
        if (!isdigit((unsigned char)f.p[i]))
            return false;
        s = s * 10 + (f.p[i] - '0');
    }
    if (s < 20000 || s > 80000)
        return false;
    /* Serial 25569 is 1970-01-01. */
    pccs_day d = pccs_date_from_ymd(1970, 1, 1) + (pccs_day)(s - 25569);
    pccs_date_format(d, out);
    return true;
}

static int
check_org(struct rctx *c, const struct pccs_csv_record *rec, size_t k,
          struct pccs_str code, pccs_day on, struct pccs_err *err)
{
    const struct rcol *col = &c->def->cols[k];
    char buf[32];
    pccs_str_copy(code, buf, sizeof(buf));
    int o = pccs_tree_find(&c->tree, buf);
    if (col->type == R_PLACE && (o < 0 || c->tree.orgs[o].level != PCCS_PLACE))
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                   "a place code of the places register "
                                   "(load it first), or nothing");
    if (o < 0)
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                   col->type == R_PRACTICE
                                       ? "a practice in the organisation "
                                         "tree (load the NHS files first)"
                                       : "an organisation in the tree (load "
                                         "the NHS files first)");
    if (col->type == R_PRACTICE && c->tree.orgs[o].level != PCCS_PRACTICE)
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                   "a practice code");
    if (on != PCCS_DAY_NONE && !pccs_tree_open_at(&c->tree.orgs[o], on))
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                   "an organisation open on the row's date");
    return PCCS_OK;
}

/* Validate field k and give its canonical text in out. */
static int
field(struct rctx *c, const struct pccs_csv_record *rec, size_t k,
      struct pccs_buf *out, pccs_day *day, struct pccs_err *err)
{
    const struct rcol *col = &c->def->cols[k];
    struct pccs_str f = PCCS_STR_EMPTY;
    if (c->idx[k] >= 0 && (size_t)c->idx[k] < rec->nfields)
        f = pccs_str_trim(rec->fields[c->idx[k]]);
    pccs_buf_reset(out);
    *day = PCCS_DAY_NONE;
    bool optional = is_optional(col->type);
    if (!f.len) {
        if (optional)
            return PCCS_OK;
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                   "a value");
    }
    switch (col->type) {
    case R_TEXT:
    case R_OPT:
    case R_ORG:
    case R_PRACTICE:
    case R_PLACE:
        pccs_buf_add(out, f.p, f.len);
        return PCCS_OK;
    case R_DATE:
    case R_ODATE: {
        char iso[16];
        pccs_day d;
        if (serial_date(f, iso))
            f = pccs_str_from(iso);
        if (pccs_date_parse(f, &d))
            return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                       "a real date (YYYY-MM-DD)");
        pccs_date_format(d, iso);
        pccs_buf_addstr(out, iso);
        *day = d;
        return PCCS_OK;
    }
    case R_INT: {
        int64_t v;
        long lo = strtol(col->values, NULL, 10);
        long hi = strtol(strchr(col->values, '|') + 1, NULL, 10);
        if (pccs_str_to_i64(f, &v) || v < lo || v > hi) {
            char what[64];
            snprintf(what, sizeof(what), "a whole number from %ld to %ld", lo,
                     hi);
            return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                       what);
        }
        pccs_buf_addf(out, "%lld", (long long)v);
        return PCCS_OK;
    }
    case R_NUM:
    case R_ONUM:
    case R_SNUM: {
        double v;
        if (pccs_str_to_double(f, &v) || !isfinite(v) ||
            (col->type != R_SNUM && v < 0))
            return pccs_load_field_err(
                c->ld, err, rec, c->idx[k], col->name,
                col->type == R_SNUM ? "a number" : "a number of 0 or more");
        pccs_buf_addf(out, "%.10g", v);
        return PCCS_OK;
    }
    case R_ENUM:
    case R_OENUM: {
        const char *s = col->values;
        while (*s) {
            size_t n = strcspn(s, "|");
            if (n == f.len && strncasecmp(s, f.p, n) == 0) {
                pccs_buf_add(out, s, n);
                return PCCS_OK;
            }
            s += n + (s[n] == '|');
        }
        char what[160];
        snprintf(what, sizeof(what), "one of: %s", col->values);
        for (char *p = what; *p; p++)
            if (*p == '|')
                *p = ',';
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name, what);
    }
    }
    return PCCS_OK;
}

static int
place_row(struct rctx *c, char vals[][256], pccs_day start, pccs_day end,
          struct pccs_err *err)
{
    struct pccs_str code = pccs_str_from(vals[0]);
    int parent = pccs_tree_find(&c->tree, vals[2]);
    int member = pccs_tree_find(&c->tree, vals[3]);
    bool created;
    pccs_hmap_put(&c->places, vals[0], strlen(vals[0]), &created);
    int rc = PCCS_OK;
    if (created) {
        rc = pccs_load_named_org(c->ld, code, PCCS_LEVEL_PLACE,
                                 pccs_str_from(vals[1]), PCCS_STR_EMPTY, start,
                                 err);
        if (!rc)
            rc = pccs_load_link(c->ld, code, pccs_str_from(vals[2]),
                                pccs_level_name(c->tree.orgs[parent].level),
                                start, end, false, err);
    }
    (void)member;
    if (!rc)
        rc = pccs_load_link(c->ld, pccs_str_from(vals[3]), code,
                            PCCS_LEVEL_PLACE, start, end, false, err);
    return rc;
}

static int
load_rows(struct rctx *c,
          int (*next)(void *, struct pccs_csv_record *, struct pccs_err *),
          void *src, uint64_t (*offset)(void *), struct pccs_err *err)
{
    struct pccs_buf v = PCCS_BUF_INIT;
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", c->def->name);
    struct pccs_csv_record rec;
    int rc;
    char(*vals)[256] = pccs_xcalloc(c->def->ncols, sizeof(*vals));
    pccs_day *days = pccs_xcalloc(c->def->ncols, sizeof(*days));
    pccs_day latest = PCCS_DAY_NONE;
    while ((rc = next(src, &rec, err)) == 1) {
        rc = PCCS_OK;
        if (c->prov >= 0 && (size_t)c->prov < rec.nfields)
            pccs_load_mark(c->ld, rec.fields[c->prov]);
        for (size_t k = 0; !rc && k < c->def->ncols; k++) {
            rc = field(c, &rec, k, &v, &days[k], err);
            snprintf(vals[k], 256, "%s", v.len ? v.p : "");
            if (!rc && days[k] != PCCS_DAY_NONE &&
                (latest == PCCS_DAY_NONE || days[k] > latest))
                latest = days[k];
        }
        /* Organisation codes against the tree, on the row's date. */
        for (size_t k = 0; !rc && k < c->def->ncols; k++) {
            const struct rcol *col = &c->def->cols[k];
            if ((col->type == R_ORG || col->type == R_PRACTICE ||
                 col->type == R_PLACE) &&
                vals[k][0])
                rc = check_org(c, &rec, k, pccs_str_from(vals[k]),
                               col->date_col >= 0 ? days[col->date_col]
                                                  : PCCS_DAY_NONE,
                               err);
        }
        if (!rc && !strcmp(c->def->name, "places") &&
            days[5] != PCCS_DAY_NONE && days[5] < days[4])
            rc = pccs_load_field_err(c->ld, err, &rec, c->idx[5], "end_date",
                                     "a date on or after start_date");
        if (rc)
            break;
        char key[24];
        snprintf(key, sizeof(key), "%08lld", (long long)rec.line);
        for (size_t k = 0; !rc && k < c->def->ncols; k++)
            if (vals[k][0])
                rc = pccs_load_ref(c->ld, kind, pccs_str_from(key),
                                   c->def->cols[k].name, pccs_str_from(vals[k]),
                                   err);
        if (!rc && !strcmp(c->def->name, "places"))
            rc = place_row(c, vals, days[4], days[5], err);
        if (!rc && !strcmp(c->def->name, "care_home_beds")) {
            char period[16];
            pccs_date_format(days[3], period);
            rc = pccs_load_fact_at(c->ld, "care_home_beds", period,
                                   pccs_str_from(vals[0]), vals[1],
                                   strtod(vals[2], NULL), err);
        }
        if (rc)
            break;
        pccs_load_row(c->ld, offset(src));
    }
    if (rc > 0)
        rc = PCCS_OK;
    if (!rc && latest == PCCS_DAY_NONE) {
        /* A register without dates (estates) describes the day it is
         * loaded. */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        latest = pccs_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
                                    tm.tm_mday);
    }
    if (!rc)
        pccs_load_set_period_day(c->ld, latest);
    free(vals);
    free(days);
    pccs_buf_release(&v);
    return rc;
}

static const struct rdef *
def_of(const struct pccs_load *ld)
{
    for (size_t i = 0; i < N(defs); i++)
        if (!strcmp(ld->src.kind + strlen("register_"), defs[i].name))
            return &defs[i];
    return NULL;
}

static int
start(struct rctx *c, struct pccs_load *ld, const struct pccs_str *hdr,
      size_t nhdr, struct pccs_err *err)
{
    memset(c, 0, sizeof(*c));
    c->ld = ld;
    c->def = def_of(ld);
    c->places = (struct pccs_hmap)PCCS_HMAP_INIT;
    c->tree = (struct pccs_tree)PCCS_TREE_INIT;
    c->prov = -1;
    for (size_t i = 0; i < nhdr; i++)
        if (pccs_str_ieq(pccs_str_trim(hdr[i]), PCCS_PROVENANCE_COL))
            c->prov = (int)i;
    for (size_t k = 0; k < c->def->ncols; k++) {
        c->idx[k] = -1;
        for (size_t i = 0; i < nhdr; i++)
            if (pccs_str_ieq(pccs_str_trim(hdr[i]), c->def->cols[k].name))
                c->idx[k] = (int)i;
    }
    int rc = pccs_tree_load(&c->tree, ld->st, err);
    c->tree_loaded = rc == PCCS_OK;
    return rc;
}

static void
finish(struct rctx *c)
{
    if (c->tree_loaded)
        pccs_tree_release(&c->tree);
    pccs_hmap_release(&c->places);
}

/* CSV */

struct csv_src {
    struct pccs_csv_reader *r;
};

static int
csv_next(void *src, struct pccs_csv_record *rec, struct pccs_err *err)
{
    return pccs_csv_next(((struct csv_src *)src)->r, rec, err);
}

static uint64_t
csv_offset(void *src)
{
    return pccs_csv_offset(((struct csv_src *)src)->r);
}

static int
load_csv(struct pccs_load *ld, struct pccs_csv_reader *r,
         const struct pccs_csv_record *first, struct pccs_err *err)
{
    struct rctx c;
    int rc = start(&c, ld, first->fields, first->nfields, err);
    struct csv_src s = {r};
    if (!rc)
        rc = load_rows(&c, csv_next, &s, csv_offset, err);
    finish(&c);
    return rc;
}

/* xlsx: the first sheet, its first row the header. */

struct xlsx_src {
    struct pccs_xlsx_sheet *sh;
    struct pccs_str *f;
    size_t cap;
    int64_t row;
};

static int
xlsx_next(void *src, struct pccs_csv_record *rec, struct pccs_err *err)
{
    struct xlsx_src *s = src;
    struct pccs_xlsx_row row;
    int rc = pccs_xlsx_sheet_next(s->sh, &row, err);
    if (rc != 1)
        return rc;
    if (row.ncells > s->cap) {
        s->cap = row.ncells;
        s->f = pccs_xreallocarray(s->f, s->cap, sizeof(*s->f));
    }
    for (size_t i = 0; i < row.ncells; i++)
        s->f[i] = row.cells[i].text;
    rec->fields = s->f;
    rec->nfields = row.ncells;
    rec->line = row.row;
    s->row = row.row;
    return 1;
}

static uint64_t
xlsx_offset(void *src)
{
    return (uint64_t)((struct xlsx_src *)src)->row;
}

static bool
header_is(const struct rdef *d, const struct pccs_str *f, size_t n)
{
    for (size_t k = 0; k < d->ncols; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = pccs_str_ieq(pccs_str_trim(f[i]), d->cols[k].name);
        bool optional = is_optional(d->cols[k].type);
        if (!found && !optional)
            return false;
    }
    return true;
}

static const struct rdef *
xlsx_def(struct pccs_xlsx *x)
{
    struct pccs_xlsx_sheet *sh;
    struct pccs_err e = PCCS_ERR_INIT;
    const struct rdef *found = NULL;
    if (!pccs_xlsx_sheet_count(x) ||
        pccs_xlsx_sheet_open(x, pccs_xlsx_sheet_name(x, 0), &sh, &e))
        return NULL;
    struct pccs_xlsx_row row;
    if (pccs_xlsx_sheet_next(sh, &row, &e) == 1) {
        struct pccs_str *f = pccs_xcalloc(row.ncells + 1, sizeof(*f));
        for (size_t i = 0; i < row.ncells; i++)
            f[i] = row.cells[i].text;
        for (size_t i = 0; i < N(defs) && !found; i++)
            if (header_is(&defs[i], f, row.ncells))
                found = &defs[i];
        free(f);
    }
    pccs_xlsx_sheet_free(sh);
    return found;
}

static int
load_xlsx(struct pccs_load *ld, struct pccs_xlsx *x, struct pccs_err *err)
{
    struct pccs_xlsx_sheet *sh;
    int rc = pccs_xlsx_sheet_open(x, pccs_xlsx_sheet_name(x, 0), &sh, err);
    if (rc)
        return rc;
    struct xlsx_src s = {sh, NULL, 0, 0};
    struct pccs_csv_record hdr;
    rc = xlsx_next(&s, &hdr, err);
    struct rctx c;
    if (rc == 1) {
        rc = start(&c, ld, hdr.fields, hdr.nfields, err);
        if (!rc)
            rc = load_rows(&c, xlsx_next, &s, xlsx_offset, err);
        finish(&c);
    }
    free(s.f);
    pccs_xlsx_sheet_free(sh);
    return rc;
}

#define SNIFF(NAME)                                                            \
    static bool sniff_xlsx_##NAME(struct pccs_xlsx *x)                         \
    {                                                                          \
        const struct rdef *d = xlsx_def(x);                                    \
        return d && !strcmp(d->name, #NAME);                                   \
    }

SNIFF(places)
SNIFF(programmes)
SNIFF(milestones)
SNIFF(risks)
SNIFF(estates)
SNIFF(budget)
SNIFF(list_closures)
SNIFF(support_payments)
SNIFF(visits)
SNIFF(care_home_beds)

/* Recognition by the required columns of each template. */
#define COLS(NAME, ...)                                                        \
    static const struct pccs_col NAME##_rcols[] = {__VA_ARGS__};

COLS(places, {"place_code", false}, {"place_name", false},
     {"parent_code", false}, {"member_code", false}, {"start_date", false})
COLS(programmes, {"workstream", false}, {"project", false}, {"owner", false},
     {"status", false}, {"due_date", false}, {"rag", false})
COLS(milestones, {"project", false}, {"milestone", false}, {"measure", false},
     {"target", false}, {"target_date", false})
COLS(risks, {"risk_id", false}, {"likelihood", false}, {"impact", false},
     {"review_date", false})
COLS(estates, {"premises_id", false}, {"tenure", false}, {"area_m2", false},
     {"void_m2", false})
COLS(budget, {"line", false}, {"month", false}, {"plan", false},
     {"actual", false}, {"forecast", false})
COLS(list_closures, {"practice_code", false}, {"closed_from", false},
     {"closed_to", false}, {"approval_body", false})
COLS(support_payments, {"practice_code", false}, {"payment_date", false},
     {"amount", false}, {"reason", false})
COLS(visits, {"practice_code", false}, {"visit_date", false},
     {"visit_type", false})
COLS(care_home_beds, {"beds_org_code", false}, {"beds", false},
     {"as_of", false})

#define KIND(NAME, PUB)                                                        \
    const struct pccs_source_kind pccs_source_register_##NAME = {              \
        .kind = "register_" #NAME,                                             \
        .publication = PUB,                                                    \
        .cols = NAME##_rcols,                                                  \
        .ncols = N(NAME##_rcols),                                              \
        .load_csv = load_csv,                                                  \
        .sniff_xlsx = sniff_xlsx_##NAME,                                       \
        .load_xlsx = load_xlsx,                                                \
    };

KIND(places, "Local register: places and localities")
KIND(programmes, "Local register: programmes")
KIND(milestones, "Local register: programme milestones")
KIND(risks, "Local register: risks")
KIND(estates, "Local register: estates")
KIND(budget, "Local register: delegated budget")
KIND(list_closures, "Local register: list closures")
KIND(support_payments, "Local register: support payments")
KIND(visits, "Local register: contract and quality visits")
KIND(care_home_beds, "Local register: care home beds")

/* ===== The columns, for the API and the dashboard's forms ===== */

bool
pccs_register_col(const char *name, size_t k, struct pccs_register_col *out)
{
    static const char *const kinds[] = {
        [R_TEXT] = "text",          [R_OPT] = "text",
        [R_ORG] = "organisation",   [R_PRACTICE] = "practice",
        [R_PLACE] = "place",
        [R_DATE] = "date",          [R_ODATE] = "date",
        [R_INT] = "whole number",   [R_NUM] = "number",
        [R_ONUM] = "number",        [R_SNUM] = "number",
        [R_ENUM] = "one of",        [R_OENUM] = "one of",
    };
    for (size_t i = 0; i < N(defs); i++) {
        if (strcmp(defs[i].name, name) != 0)
            continue;
        if (k >= defs[i].ncols)
            return false;
        const struct rcol *c = &defs[i].cols[k];
        out->name = c->name;
        out->kind = kinds[c->type];
        out->values = c->values;
        out->required = !is_optional(c->type);
        out->org = c->type == R_ORG || c->type == R_PRACTICE;
        return true;
    }
    return false;
}
