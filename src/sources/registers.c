/* SPDX-License-Identifier: MIT */
/*
 * Local commissioning registers: the templates of data/templates (places,
 * programmes, milestones, risks, estates, budget, list closures, support
 * payments, visits, care home beds), as CSV or as the first sheet of an
 * xlsx workbook, recognised by their headers. Every field is checked: an
 * organisation code must be known to the store (and open on the row's
 * date),
 * dates must be real, enumerations must match, numbers must be numbers;
 * the first problem refuses the whole file with FILE:LINE:COL.
 *
 * The registers' columns and rules are in register_defs.c. Each row is
 * stored as refs (kind "register:NAME", key the row's stable identifier:
 * its pccs_row_id when the file has one (an edit's rewrite keeps every
 * row's), else its line number; one attr per column, canonical text: ISO dates,
 * enumerations as in the template). The latest load of a register by an
 * organisation (pccs load --org; without it, one more) replaces that
 * organisation's previous load in every table, and no one else's
 * (register_edit.c reads each owner's latest); the budget table also reads
 * each owner's load before it for the movement in forecast. A row with a value
 * in the column pccs_provenance
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

#include "base/buf.h"
#include "base/xalloc.h"
#include "sources/register_defs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct rctx {
    struct pccs_load *ld;
    const struct pccs_reg_def *def;
    int idx[PCCS_REG_MAXCOLS];
    int prov;   /* the provenance column (example rows), or -1 */
    int row_id; /* the pccs_row_id column (an edit's rewrite), or -1 */
    struct pccs_hmap places; /* place codes described once */
    struct pccs_hmap ids;    /* row identifiers seen */
    pccs_day latest;         /* the latest date in any row */
    int64_t base; /* the largest row identifier of any earlier version */
};

/* One row's values, canonical, and their dates. */
struct rrow {
    char vals[PCCS_REG_MAXCOLS][256];
    pccs_day days[PCCS_REG_MAXCOLS];
    char key[24];
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
          const char *code, pccs_day on, struct pccs_err *err)
{
    const struct pccs_reg_col *col = &c->def->cols[k];
    struct pccs_org_row o;
    struct pccs_err e = PCCS_ERR_INIT;
    int rc = pccs_store_org_get(c->ld->st, code, &o, &e);
    if (rc && rc != PCCS_ENOTFOUND) {
        if (err)
            *err = e;
        return rc;
    }
    bool found = rc == PCCS_OK;
    const char *what = NULL;
    if (col->type == PCCS_RT_PLACE &&
        (!found || strcmp(o.level, PCCS_LEVEL_PLACE) != 0))
        what = "a place code of the places register (load it first), or "
               "nothing";
    else if (!found)
        what = col->type == PCCS_RT_PRACTICE
                   ? "a practice in the organisation tree (load the NHS "
                     "files first)"
                   : "an organisation in the tree (load the NHS files first)";
    else if (col->type == PCCS_RT_PRACTICE &&
             strcmp(o.level, PCCS_LEVEL_PRACTICE) != 0)
        what = "a practice code";
    else if (on != PCCS_DAY_NONE &&
             ((o.open_date != PCCS_DAY_NONE && on < o.open_date) ||
              (o.close_date != PCCS_DAY_NONE && on > o.close_date)))
        what = "an organisation open on the row's date";
    if (what)
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name, what);
    return PCCS_OK;
}

static int
field_int(struct rctx *c, const struct pccs_csv_record *rec, size_t k,
          struct pccs_str f, struct pccs_buf *out, struct pccs_err *err)
{
    const struct pccs_reg_col *col = &c->def->cols[k];
    int64_t v;
    long lo = strtol(col->values, NULL, 10);
    long hi = strtol(strchr(col->values, '|') + 1, NULL, 10);
    if (pccs_str_to_i64(f, &v) || v < lo || v > hi) {
        char what[64];
        snprintf(what, sizeof(what), "a whole number from %ld to %ld", lo, hi);
        return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name, what);
    }
    pccs_buf_addf(out, "%lld", (long long)v);
    return PCCS_OK;
}

static int
field_enum(struct rctx *c, const struct pccs_csv_record *rec, size_t k,
           struct pccs_str f, struct pccs_buf *out, struct pccs_err *err)
{
    const struct pccs_reg_col *col = &c->def->cols[k];
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

/* Validate field k and give its canonical text in out. */
static int
field(struct rctx *c, const struct pccs_csv_record *rec, size_t k,
      struct pccs_buf *out, pccs_day *day, struct pccs_err *err)
{
    const struct pccs_reg_col *col = &c->def->cols[k];
    struct pccs_str f = PCCS_STR_EMPTY;
    if (c->idx[k] >= 0 && (size_t)c->idx[k] < rec->nfields)
        f = pccs_str_trim(rec->fields[c->idx[k]]);
    pccs_buf_reset(out);
    *day = PCCS_DAY_NONE;
    if (!f.len)
        return col->required ? pccs_load_field_err(c->ld, err, rec, c->idx[k],
                                                   col->name, "a value")
                             : PCCS_OK;
    switch (col->type) {
    case PCCS_RT_TEXT:
    case PCCS_RT_ORG:
    case PCCS_RT_PRACTICE:
    case PCCS_RT_PLACE:
        pccs_buf_add(out, f.p, f.len);
        return PCCS_OK;
    case PCCS_RT_DATE: {
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
    case PCCS_RT_INT:
        return field_int(c, rec, k, f, out, err);
    case PCCS_RT_NUM:
    case PCCS_RT_SNUM: {
        double v;
        bool snum = col->type == PCCS_RT_SNUM;
        if (pccs_str_to_double(f, &v) || !isfinite(v) || (!snum && v < 0))
            return pccs_load_field_err(c->ld, err, rec, c->idx[k], col->name,
                                       snum ? "a number"
                                            : "a number of 0 or more");
        pccs_buf_addf(out, "%.10g", v);
        return PCCS_OK;
    }
    case PCCS_RT_ENUM:
        return field_enum(c, rec, k, f, out, err);
    }
    return PCCS_OK;
}

static int
place_row(struct rctx *c, const struct rrow *r, struct pccs_err *err)
{
    struct pccs_str code = pccs_str_from(r->vals[0]);
    pccs_day start = r->days[4], end = r->days[5];
    bool created;
    pccs_hmap_put(&c->places, r->vals[0], strlen(r->vals[0]), &created);
    int rc = PCCS_OK;
    if (created) {
        struct pccs_org_row parent;
        rc = pccs_load_named_org(c->ld, code, PCCS_LEVEL_PLACE,
                                 pccs_str_from(r->vals[1]), PCCS_STR_EMPTY,
                                 start, err);
        if (!rc)
            rc = pccs_store_org_get(c->ld->st, r->vals[2], &parent, err);
        if (!rc)
            rc = pccs_load_link(c->ld, code, pccs_str_from(r->vals[2]),
                                parent.level, start, end, false, err);
    }
    if (!rc)
        rc = pccs_load_link(c->ld, pccs_str_from(r->vals[3]), code,
                            PCCS_LEVEL_PLACE, start, end, false, err);
    return rc;
}

/*
 * The row's identifier: its pccs_row_id (digits, once in the file) when
 * the file has that column and the row a value, else its line number
 * counted on from the largest any earlier version had (so that a key of
 * an old version never names a row of a new one).
 */
static int
row_key(struct rctx *c, const struct pccs_csv_record *rec, char key[24],
        struct pccs_err *err)
{
    long long id = (long long)c->base + rec->line;
    if (c->row_id >= 0 && (size_t)c->row_id < rec->nfields) {
        struct pccs_str f = pccs_str_trim(rec->fields[c->row_id]);
        int64_t v;
        if (f.len && (pccs_str_to_i64(f, &v) || v < 1 || v > 99999999))
            return pccs_load_field_err(c->ld, err, rec, c->row_id,
                                       PCCS_ROW_ID_COL,
                                       "a row number from 1 to 99999999");
        if (f.len)
            id = v;
    }
    snprintf(key, 24, "%08lld", id);
    bool created;
    pccs_hmap_put(&c->ids, key, strlen(key), &created);
    if (!created)
        return pccs_load_field_err(c->ld, err, rec, c->row_id, PCCS_ROW_ID_COL,
                                   "a row number used once in the file");
    return PCCS_OK;
}

/* "18:30" (or "8:05", "24:00") to minutes after midnight, else -1. */
static int
clock_minutes(const char *s)
{
    size_t n = strlen(s);
    if ((n != 4 && n != 5) || s[n - 3] != ':')
        return -1;
    int h = 0;
    for (size_t i = 0; i < n - 3; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        h = h * 10 + (s[i] - '0');
    }
    if (s[n - 2] < '0' || s[n - 2] > '5' || s[n - 1] < '0' || s[n - 1] > '9')
        return -1;
    int m = h * 60 + (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
    return m <= 24 * 60 ? m : -1;
}

/* access_sessions: the times are HH:MM, the end after the start. */
static int
check_session_times(struct rctx *c, const struct pccs_csv_record *rec,
                    const struct rrow *r, struct pccs_err *err)
{
    int start = clock_minutes(r->vals[4]);
    int end = clock_minutes(r->vals[5]);
    if (start < 0)
        return pccs_load_field_err(c->ld, err, rec, c->idx[4], "start_time",
                                   "a time HH:MM (24-hour clock)");
    if (end <= start)
        return pccs_load_field_err(c->ld, err, rec, c->idx[5], "end_time",
                                   "a time HH:MM after start_time");
    return PCCS_OK;
}

/* Read, check and canonicalise one row into r. */
static int
check_row(struct rctx *c, const struct pccs_csv_record *rec, struct rrow *r,
          struct pccs_buf *v, struct pccs_err *err)
{
    const struct pccs_reg_def *d = c->def;
    int rc = row_key(c, rec, r->key, err);
    for (size_t k = 0; !rc && k < d->ncols; k++) {
        rc = field(c, rec, k, v, &r->days[k], err);
        snprintf(r->vals[k], sizeof(r->vals[k]), "%s", v->len ? v->p : "");
        if (!rc && r->days[k] != PCCS_DAY_NONE &&
            (c->latest == PCCS_DAY_NONE || r->days[k] > c->latest))
            c->latest = r->days[k];
    }
    /* Organisation codes against the store, on the row's date. */
    for (size_t k = 0; !rc && k < d->ncols; k++) {
        const struct pccs_reg_col *col = &d->cols[k];
        if (pccs_reg_col_is_org(col) && r->vals[k][0])
            rc = check_org(c, rec, k, r->vals[k],
                           col->date_col >= 0 ? r->days[col->date_col]
                                              : PCCS_DAY_NONE,
                           err);
    }
    if (!rc && !strcmp(d->name, "places") && r->days[5] != PCCS_DAY_NONE &&
        r->days[5] < r->days[4])
        rc = pccs_load_field_err(c->ld, err, rec, c->idx[5], "end_date",
                                 "a date on or after start_date");
    if (!rc && !strcmp(d->name, "access_sessions"))
        rc = check_session_times(c, rec, r, err);
    return rc;
}

/* Store a checked row: its refs, and a place or care home beds fact. */
static int
store_row(struct rctx *c, const struct rrow *r, struct pccs_err *err)
{
    const struct pccs_reg_def *d = c->def;
    char kind[48];
    snprintf(kind, sizeof(kind), "register:%s", d->name);
    int rc = PCCS_OK;
    for (size_t k = 0; !rc && k < d->ncols; k++)
        if (r->vals[k][0])
            rc = pccs_load_ref(c->ld, kind, pccs_str_from(r->key),
                               d->cols[k].name, pccs_str_from(r->vals[k]), err);
    if (!rc && !strcmp(d->name, "places"))
        rc = place_row(c, r, err);
    if (!rc && !strcmp(d->name, "care_home_beds")) {
        char period[16];
        pccs_date_format(r->days[3], period);
        rc = pccs_load_fact_at(c->ld, "care_home_beds", period,
                               pccs_str_from(r->vals[0]), r->vals[1],
                               strtod(r->vals[2], NULL), err);
    }
    return rc;
}

static int
load_rows(struct rctx *c,
          int (*next)(void *, struct pccs_csv_record *, struct pccs_err *),
          void *src, uint64_t (*offset)(void *), struct pccs_err *err)
{
    struct pccs_buf v = PCCS_BUF_INIT;
    struct pccs_csv_record rec;
    struct rrow *r = pccs_xcalloc(1, sizeof(*r));
    int rc;
    while ((rc = next(src, &rec, err)) == 1) {
        if (c->prov >= 0 && (size_t)c->prov < rec.nfields)
            pccs_load_mark(c->ld, rec.fields[c->prov]);
        rc = check_row(c, &rec, r, &v, err);
        if (!rc)
            rc = store_row(c, r, err);
        if (rc)
            break;
        pccs_load_row(c->ld, offset(src));
    }
    if (rc > 0)
        rc = PCCS_OK;
    if (!rc && c->latest == PCCS_DAY_NONE) {
        /* A register without dates (estates) describes the day it is
         * loaded. */
        c->latest = pccs_date_today();
    }
    if (!rc)
        pccs_load_set_period_day(c->ld, c->latest);
    free(r);
    pccs_buf_release(&v);
    return rc;
}

static int
start(struct rctx *c, struct pccs_load *ld, const struct pccs_str *hdr,
      size_t nhdr, struct pccs_err *err)
{
    memset(c, 0, sizeof(*c));
    c->ld = ld;
    c->def = pccs_reg_def_find(ld->src.kind + strlen("register_"));
    PCCS_ASSERT(c->def && c->def->ncols <= PCCS_REG_MAXCOLS);
    ld->src.publication = c->def->publication;
    c->places = (struct pccs_hmap)PCCS_HMAP_INIT;
    c->ids = (struct pccs_hmap)PCCS_HMAP_INIT;
    c->latest = PCCS_DAY_NONE;
    c->prov = c->row_id = -1;
    for (size_t i = 0; i < nhdr; i++) {
        struct pccs_str h = pccs_str_trim(hdr[i]);
        if (pccs_str_ieq(h, PCCS_PROVENANCE_COL))
            c->prov = (int)i;
        if (pccs_str_ieq(h, PCCS_ROW_ID_COL))
            c->row_id = (int)i;
    }
    for (size_t k = 0; k < c->def->ncols; k++) {
        c->idx[k] = -1;
        for (size_t i = 0; i < nhdr; i++)
            if (pccs_str_ieq(pccs_str_trim(hdr[i]), c->def->cols[k].name))
                c->idx[k] = (int)i;
    }
    return pccs_register_last_key(ld->st, c->def->name, &c->base, err);
}

static void
finish(struct rctx *c)
{
    pccs_hmap_release(&c->places);
    pccs_hmap_release(&c->ids);
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
header_is(const struct pccs_reg_def *d, const struct pccs_str *f, size_t n)
{
    for (size_t k = 0; k < d->ncols; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = pccs_str_ieq(pccs_str_trim(f[i]), d->cols[k].name);
        if (!found && d->cols[k].required)
            return false;
    }
    return true;
}

static const struct pccs_reg_def *
xlsx_def(struct pccs_xlsx *x)
{
    struct pccs_xlsx_sheet *sh;
    struct pccs_err e = PCCS_ERR_INIT;
    const struct pccs_reg_def *found = NULL;
    if (!pccs_xlsx_sheet_count(x) ||
        pccs_xlsx_sheet_open(x, pccs_xlsx_sheet_name(x, 0), &sh, &e))
        return NULL;
    struct pccs_xlsx_row row;
    if (pccs_xlsx_sheet_next(sh, &row, &e) == 1) {
        struct pccs_str *f = pccs_xcalloc(row.ncells + 1, sizeof(*f));
        for (size_t i = 0; i < row.ncells; i++)
            f[i] = row.cells[i].text;
        for (size_t i = 0; i < pccs_reg_ndefs && !found; i++)
            if (header_is(&pccs_reg_defs[i], f, row.ncells))
                found = &pccs_reg_defs[i];
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
        const struct pccs_reg_def *d = xlsx_def(x);                            \
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
SNIFF(access_sessions)

/* Recognition by the columns of each template (register_defs.c). */
#define KIND(NAME)                                                             \
    const struct pccs_source_kind pccs_source_register_##NAME = {              \
        .kind = "register_" #NAME,                                             \
        .publication = "Local register: data/templates/" #NAME ".csv",         \
        .cols = pccs_reg_sniff_##NAME,                                         \
        .ncols = N(pccs_reg_sniff_##NAME),                                     \
        .load_csv = load_csv,                                                  \
        .sniff_xlsx = sniff_xlsx_##NAME,                                       \
        .load_xlsx = load_xlsx,                                                \
    };

KIND(places)
KIND(programmes)
KIND(milestones)
KIND(risks)
KIND(estates)
KIND(budget)
KIND(list_closures)
KIND(support_payments)
KIND(visits)
KIND(care_home_beds)
KIND(access_sessions)

/* ===== The columns, for the API and the dashboard's forms ===== */

bool
pccs_register_col(const char *name, size_t k, struct pccs_register_col *out)
{
    const struct pccs_reg_def *d = pccs_reg_def_find(name);
    if (!d || k >= d->ncols)
        return false;
    const struct pccs_reg_col *c = &d->cols[k];
    out->name = c->name;
    out->kind = pccs_reg_type_name(c->type);
    out->values = c->values;
    out->required = c->required;
    out->org = c->type == PCCS_RT_ORG || c->type == PCCS_RT_PRACTICE;
    return true;
}
