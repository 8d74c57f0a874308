/* SPDX-License-Identifier: MIT */
/*
 * Binding a header to the columns a loader wants, and the field getters
 * every loader uses, so that every refusal names file, line, column and
 * what was expected. Nothing here writes to the store.
 */
#include "sources/load_internal.h"

#include <string.h>

#include "base/hmap.h"

bool
pccs__load_name_matches(struct pccs_str field, const char *names)
{
    char one[128];
    const char *p = names;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n >= sizeof(one))
            n = sizeof(one) - 1;
        memcpy(one, p, n);
        one[n] = '\0';
        if (pccs_str_name_eq(field, one))
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

size_t
pccs_cols_bind(const struct pccs_col *cols, size_t ncols,
               const struct pccs_csv_record *hdr, int *idx)
{
    size_t missing = 0;
    for (size_t i = 0; i < ncols; i++) {
        idx[i] = -1;
        for (size_t f = 0; f < hdr->nfields; f++) {
            if (pccs__load_name_matches(hdr->fields[f], cols[i].names)) {
                idx[i] = (int)f;
                break;
            }
        }
        if (idx[i] < 0 && !cols[i].optional)
            missing++;
    }
    return missing;
}

bool
pccs_is_practice_code(struct pccs_str s)
{
    if (s.len != 6 || s.p[0] < 'A' || s.p[0] > 'Z')
        return false;
    for (size_t i = 1; i < 6; i++) {
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    }
    return true;
}

bool
pccs_is_ods_code(struct pccs_str s)
{
    if (s.len < 3 || s.len > 6)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

int
pccs_load_field_err(struct pccs_load *ld, struct pccs_err *err,
                    const struct pccs_csv_record *rec, int idx,
                    const char *colname, const char *what)
{
    char shown[64];
    struct pccs_str v = {"", 0};
    if (idx >= 0 && (size_t)idx < rec->nfields)
        v = rec->fields[idx];
    size_t n = v.len < 40 ? v.len : 40;
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof(shown); i++) {
        unsigned char c = (unsigned char)v.p[i];
        shown[k++] = c >= 0x20 && c != 0x7F ? (char)c : '?';
    }
    shown[k] = '\0';
    return pccs_err_at(err, PCCS_EPARSE, ld->name, rec->line, idx + 1,
                       "%s%sexpected %s, found \"%s%s\"",
                       colname ? colname : "", colname ? ": " : "", what, shown,
                       v.len > n ? "..." : "");
}

int
pccs_load_field(struct pccs_load *ld, struct pccs_err *err,
                const struct pccs_csv_record *rec, int idx, const char *colname,
                struct pccs_str *out)
{
    if (idx < 0 || (size_t)idx >= rec->nfields)
        return pccs_err_at(
            err, PCCS_EPARSE, ld->name, rec->line, (int64_t)rec->nfields + 1,
            "%s%sexpected a field, the row ends after %zu",
            colname ? colname : "", colname ? ": " : "", rec->nfields);
    *out = rec->fields[idx];
    return PCCS_OK;
}

/* What a text getter checks a trimmed field for, and names when it fails. */
struct text_rule {
    bool (*ok)(struct pccs_str s);
    const char *what;
};

static bool
non_empty(struct pccs_str s)
{
    return s.len > 0;
}

static const struct text_rule text_rule = {non_empty, "a value (it is empty)"};
static const struct text_rule practice_rule = {
    pccs_is_practice_code, "an ODS practice code (a letter and five digits)"};
static const struct text_rule ods_rule = {
    pccs_is_ods_code, "an ODS code (3 to 6 capital letters and digits)"};

/* A trimmed field that must pass the rule, else "expected WHAT". */
static int
checked(struct pccs_load *ld, struct pccs_err *err,
        const struct pccs_csv_record *rec, int idx, const char *colname,
        const struct text_rule *rule, struct pccs_str *out)
{
    int rc = pccs_load_field(ld, err, rec, idx, colname, out);
    if (rc)
        return rc;
    *out = pccs_str_trim(*out);
    if (!rule->ok(*out))
        return pccs_load_field_err(ld, err, rec, idx, colname, rule->what);
    return PCCS_OK;
}

int
pccs_load_text(struct pccs_load *ld, struct pccs_err *err,
               const struct pccs_csv_record *rec, int idx, const char *colname,
               struct pccs_str *out)
{
    return checked(ld, err, rec, idx, colname, &text_rule, out);
}

int
pccs_load_practice_code(struct pccs_load *ld, struct pccs_err *err,
                        const struct pccs_csv_record *rec, int idx,
                        const char *colname, struct pccs_str *out)
{
    return checked(ld, err, rec, idx, colname, &practice_rule, out);
}

int
pccs_load_ods_code(struct pccs_load *ld, struct pccs_err *err,
                   const struct pccs_csv_record *rec, int idx,
                   const char *colname, struct pccs_str *out)
{
    return checked(ld, err, rec, idx, colname, &ods_rule, out);
}

int
pccs_load_fields(struct pccs_load *ld, struct pccs_err *err,
                 const struct pccs_csv_record *rec, const int *idx,
                 const struct pccs_load_spec *specs, size_t n)
{
    int rc = PCCS_OK;
    for (const struct pccs_load_spec *f = specs; f < specs + n && !rc; f++) {
        int k = idx[f->col];
        if (f->optional && k < 0)
            continue;
        rc = f->get ? f->get(ld, err, rec, k, f->name, f->s)
                    : pccs_load_count(ld, err, rec, k, f->name, f->n);
    }
    return rc;
}

int
pccs_load_period_day(struct pccs_load *ld, const char *file, pccs_day *out,
                     struct pccs_err *err)
{
    if (pccs_date_parse(pccs_str_from(ld->period), out))
        return pccs_err_at(err, PCCS_EINVAL, ld->name, 1, 1,
                           "--period for %s must be a date, not %s", file,
                           ld->period);
    return PCCS_OK;
}

int
pccs_load_period_fy(struct pccs_load *ld, const char *file, const char *example,
                    int *year, struct pccs_err *err)
{
    if (pccs_fy_parse(pccs_str_from(ld->period), year))
        return pccs_err_at(err, PCCS_EINVAL, ld->name, 1, 1,
                           "--period for %s must be a financial year such "
                           "as %s, not %s",
                           file, example, ld->period);
    return PCCS_OK;
}

struct pccs_str
pccs_load_opt(const struct pccs_csv_record *rec, int idx)
{
    if (idx < 0 || (size_t)idx >= rec->nfields)
        return PCCS_STR_EMPTY;
    return pccs_str_trim(rec->fields[idx]);
}

const char *
pccs_load_opt_cstr(struct pccs_load *ld, const struct pccs_csv_record *rec,
                   int idx)
{
    struct pccs_str s = pccs_load_opt(rec, idx);
    return s.len ? pccs_load_cstr(ld, s) : NULL;
}

bool
pccs_load_first_time(struct pccs_hmap *seen, struct pccs_str key)
{
    bool created;
    pccs_hmap_put(seen, key.p, key.len, &created);
    return created;
}

int
pccs_load_count(struct pccs_load *ld, struct pccs_err *err,
                const struct pccs_csv_record *rec, int idx, const char *colname,
                int64_t *out)
{
    struct pccs_str v;
    int rc = pccs_load_field(ld, err, rec, idx, colname, &v);
    if (rc)
        return rc;
    if (pccs_str_to_i64(v, out) || *out < 0)
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   "a whole number of 0 or more");
    return PCCS_OK;
}

int
pccs_load_number(struct pccs_load *ld, struct pccs_err *err,
                 const struct pccs_csv_record *rec, int idx,
                 const char *colname, bool nonneg, bool empty_ok, double *out,
                 bool *present)
{
    struct pccs_str v;
    int rc = pccs_load_field(ld, err, rec, idx, colname, &v);
    if (rc)
        return rc;
    v = pccs_str_trim(v);
    if (present)
        *present = v.len > 0;
    if (!v.len && empty_ok) {
        *out = 0;
        return PCCS_OK;
    }
    if (pccs_str_to_double(v, out))
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   nonneg ? "a number of 0 or more"
                                          : "a number");
    if (nonneg && *out < 0)
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   "a number of 0 or more");
    return PCCS_OK;
}

int
pccs_load_date(struct pccs_load *ld, struct pccs_err *err,
               const struct pccs_csv_record *rec, int idx, const char *colname,
               bool empty_ok, pccs_day *out)
{
    struct pccs_str v;
    int rc = pccs_load_field(ld, err, rec, idx, colname, &v);
    if (rc)
        return rc;
    v = pccs_str_trim(v);
    if (!v.len && empty_ok) {
        *out = PCCS_DAY_NONE;
        return PCCS_OK;
    }
    if (pccs_date_parse(v, out))
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   "a real date (e.g. 2021-01-01, "
                                   "20210101, 01JAN2021, 01/01/2021)");
    return PCCS_OK;
}

int
pccs_load_unique(struct pccs_load *ld, struct pccs_hmap *seen,
                 const struct pccs_csv_record *rec, int col,
                 const char *colname, struct pccs_str key, const char *what,
                 struct pccs_err *err)
{
    bool created;
    struct pccs_hmap_entry *e = pccs_hmap_put(seen, key.p, key.len, &created);
    if (!created)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, rec->line, col + 1,
                           "%s%sexpected one row per %s, found %.*s again "
                           "(first on line %lld)",
                           colname ? colname : "", colname ? ": " : "", what,
                           (int)key.len, key.p, (long long)e->ival);
    e->ival = rec->line;
    return PCCS_OK;
}

int
pccs_load_same_date(struct pccs_load *ld, struct pccs_err *err,
                    const struct pccs_csv_record *rec, int idx,
                    const char *colname, pccs_day *first)
{
    pccs_day d;
    int rc = pccs_load_date(ld, err, rec, idx, colname, false, &d);
    if (rc)
        return rc;
    if (*first == PCCS_DAY_NONE) {
        *first = d;
        pccs_load_set_period_day(ld, d);
    }
    else if (d != *first) {
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   "the same extract date on every row");
    }
    return PCCS_OK;
}
