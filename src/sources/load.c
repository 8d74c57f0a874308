/* SPDX-License-Identifier: MIT */
/*
 * Loading a file: recognise its format from its header or shape (never
 * its name), check it has not been loaded before (SHA-256), and run its
 * loader inside one store transaction, so that the store keeps all of it
 * or none of it. Also the field getters every loader uses, so that every
 * refusal names file, line, column and what was expected.
 */
#include "sources/loader.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"

static void check_duplicate(struct pccs_load *ld);

/* ===== Progress ===== */

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
draw_progress(struct pccs_load *ld, uint64_t offset)
{
    if (ld->size)
        fprintf(stderr, "\rloading %s: %3.0f%% (%lld rows)", ld->name,
                100.0 * (double)offset / (double)ld->size, (long long)ld->rows);
    else
        fprintf(stderr, "\rloading %s: %lld rows", ld->name,
                (long long)ld->rows);
    fflush(stderr);
    ld->drawn = true;
}

void
pccs_load_row(struct pccs_load *ld, uint64_t offset)
{
    ld->rows++;
    if (!(ld->rows & 0x3FFF))
        check_duplicate(ld);
    if ((ld->rows & 0x3FFF) || !ld->opt || ld->opt->quiet || !ld->opt->progress)
        return;
    double t = now();
    if (t - ld->started < ld->progress_after || t - ld->last_draw < 0.2)
        return;
    ld->last_draw = t;
    draw_progress(ld, offset);
}

void
pccs_load_reject(struct pccs_load *ld)
{
    ld->rejected++;
}

static void
clear_progress(struct pccs_load *ld)
{
    if (ld->drawn) {
        fprintf(stderr, "\r%*s\r", 70, "");
        fflush(stderr);
        ld->drawn = false;
    }
}

/* ===== Period ===== */

void
pccs_load_set_period(struct pccs_load *ld, const char *period)
{
    const char *p = ld->opt && ld->opt->period ? ld->opt->period : period;
    snprintf(ld->period, sizeof(ld->period), "%s", p);
}

void
pccs_load_set_period_day(struct pccs_load *ld, pccs_day day)
{
    char buf[16];
    pccs_date_format(day, buf);
    pccs_load_set_period(ld, buf);
}

/* ===== Columns and fields ===== */

static bool
name_matches(struct pccs_str field, const char *names)
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
            if (name_matches(hdr->fields[f], cols[i].names)) {
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

int
pccs_load_text(struct pccs_load *ld, struct pccs_err *err,
               const struct pccs_csv_record *rec, int idx, const char *colname,
               struct pccs_str *out)
{
    int rc = pccs_load_field(ld, err, rec, idx, colname, out);
    if (rc)
        return rc;
    *out = pccs_str_trim(*out);
    if (!out->len)
        return pccs_load_field_err(ld, err, rec, idx, colname,
                                   "a value (it is empty)");
    return PCCS_OK;
}

int
pccs_load_practice_code(struct pccs_load *ld, struct pccs_err *err,
                        const struct pccs_csv_record *rec, int idx,
                        const char *colname, struct pccs_str *out)
{
    int rc = pccs_load_field(ld, err, rec, idx, colname, out);
    if (rc)
        return rc;
    *out = pccs_str_trim(*out);
    if (!pccs_is_practice_code(*out))
        return pccs_load_field_err(
            ld, err, rec, idx, colname,
            "an ODS practice code (a letter and five digits)");
    return PCCS_OK;
}

int
pccs_load_ods_code(struct pccs_load *ld, struct pccs_err *err,
                   const struct pccs_csv_record *rec, int idx,
                   const char *colname, struct pccs_str *out)
{
    int rc = pccs_load_field(ld, err, rec, idx, colname, out);
    if (rc)
        return rc;
    *out = pccs_str_trim(*out);
    if (!pccs_is_ods_code(*out))
        return pccs_load_field_err(
            ld, err, rec, idx, colname,
            "an ODS code (3 to 6 capital letters and digits)");
    return PCCS_OK;
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

/* ===== Writing ===== */

const char *
pccs_load_cstr(struct pccs_load *ld, struct pccs_str s)
{
    return pccs_arena_strndup(&ld->arena, s.p, s.len);
}

/*
 * Copies into a small stack buffer: the store copies what it keeps, so
 * the hot path of a fact does not grow the arena.
 */
#define TMP_STR(name, s)                                                       \
    char name[256];                                                            \
    pccs_str_copy((s), name, sizeof(name))

int
pccs_load_fact_at(struct pccs_load *ld, const char *measure, const char *period,
                  struct pccs_str org, const char *dim, double value,
                  struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    TMP_STR(code, org);
    struct pccs_fact_row f = {measure,        period, code,
                              dim ? dim : "", value,  ld->src.id};
    return pccs_store_put_fact(ld->st, &f, err);
}

int
pccs_load_fact(struct pccs_load *ld, const char *measure, struct pccs_str org,
               const char *dim, double value, struct pccs_err *err)
{
    PCCS_ASSERT(ld->period[0]);
    return pccs_load_fact_at(ld, measure, ld->period, org, dim, value, err);
}

int
pccs_load_org(struct pccs_load *ld, struct pccs_org_row *o,
              struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    o->source_id = ld->src.id;
    return pccs_store_put_org(ld->st, o, err);
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
pccs_load_named_org(struct pccs_load *ld, struct pccs_str code,
                    const char *level, struct pccs_str name,
                    struct pccs_str ons, pccs_day as_of, struct pccs_err *err)
{
    TMP_STR(c, code);
    name = pccs_str_trim(name);
    ons = pccs_str_trim(ons);
    struct pccs_org_row o = {
        .code = c,
        .level = level,
        .name = name.len ? pccs_load_cstr(ld, name) : NULL,
        .ons_code = ons.len ? pccs_load_cstr(ld, ons) : NULL,
        .open_date = PCCS_DAY_NONE,
        .close_date = PCCS_DAY_NONE,
        .as_of = as_of,
    };
    return pccs_load_org(ld, &o, err);
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

int
pccs_load_link(struct pccs_load *ld, struct pccs_str child,
               struct pccs_str parent, const char *parent_level, pccs_day start,
               pccs_day end, bool observed, struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    TMP_STR(c, child);
    TMP_STR(p, parent);
    struct pccs_link_row l = {c,   p,        parent_level, start,
                              end, observed, ld->src.id};
    return pccs_store_put_link(ld->st, &l, err);
}

int
pccs_load_attr(struct pccs_load *ld, struct pccs_str org, const char *key,
               struct pccs_str value, pccs_day as_of, struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    TMP_STR(o, org);
    char *v = pccs_xstrndup(value.p, value.len);
    struct pccs_attr_row a = {o, key, v, as_of, ld->src.id};
    int rc = pccs_store_put_attr(ld->st, &a, err);
    free(v);
    return rc;
}

int
pccs_load_ref(struct pccs_load *ld, const char *kind, struct pccs_str key,
              const char *attr, struct pccs_str value, struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    TMP_STR(k, key);
    char *v = pccs_xstrndup(value.p, value.len);
    struct pccs_ref_row r = {kind, k, attr, v, ld->src.id};
    int rc = pccs_store_put_ref(ld->st, &r, err);
    free(v);
    return rc;
}

/* ===== Recognising and loading a file ===== */

struct pccs_hash_job {
    const char *path;
    char hex[65];
    int rc;
    struct pccs_err err;
    atomic_bool done;
    bool checked;
    pthread_t thread;
};

static int hash_file(const char *path, const char *name, char *hex,
                     struct pccs_err *err);

static void *
hash_thread(void *arg)
{
    struct pccs_hash_job *job = arg;
    job->rc = hash_file(job->path, job->path, job->hex, &job->err);
    atomic_store(&job->done, true);
    return NULL;
}

/*
 * Once the hash is known, is the file already in the store? Sets
 * ld->duplicate; the write helpers then stop the load.
 */
static void
check_duplicate(struct pccs_load *ld)
{
    struct pccs_hash_job *job = ld->hash;
    if (!job || job->checked || !atomic_load(&job->done))
        return;
    job->checked = true;
    if (job->rc || (ld->opt && ld->opt->again))
        return;
    struct pccs_source_info prev;
    struct pccs_err e = PCCS_ERR_INIT;
    if (pccs_store_source_find(ld->st, job->hex, &prev, &e) == PCCS_OK)
        ld->duplicate = true;
}

static int
hash_file(const char *path, const char *name, char *hex, struct pccs_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pccs_err_at(err, PCCS_EIO, name, 0, 0, "cannot open: %s",
                           strerror(errno));
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    unsigned char *buf = pccs_xmalloc(1 << 20);
    int rc = PCCS_OK;
    for (;;) {
        ssize_t n = read(fd, buf, 1 << 20);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pccs_err_at(err, PCCS_EIO, name, 0, 0, "read failed: %s",
                             strerror(errno));
            break;
        }
        if (n == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
    }
    free(buf);
    close(fd);
    if (rc)
        return rc;
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, 65, out, sizeof(out));
    return PCCS_OK;
}

/* List up to max header names into b, quoted and comma-separated. */
static void
list_fields(struct pccs_buf *b, const struct pccs_csv_record *rec, size_t max)
{
    for (size_t i = 0; i < rec->nfields && i < max; i++) {
        struct pccs_str f = pccs_str_trim(rec->fields[i]);
        pccs_buf_addf(b, "%s%.*s", i ? "," : "", (int)(f.len > 40 ? 40 : f.len),
                      f.p);
    }
    if (rec->nfields > max)
        pccs_buf_addf(b, ",... (%zu in all)", rec->nfields);
    for (size_t i = 0; i < b->len; i++) {
        if (b->p[i] == '\n' || b->p[i] == '\r')
            b->p[i] = ' ';
    }
}

static void
first_name(char *dst, size_t n, const char *names)
{
    const char *bar = strchr(names, '|');
    size_t k = bar ? (size_t)(bar - names) : strlen(names);
    if (k >= n)
        k = n - 1;
    memcpy(dst, names, k);
    dst[k] = '\0';
}

/* Does header field f name any column of kind sk? */
static bool
known_field(const struct pccs_source_kind *sk, struct pccs_str f)
{
    for (size_t i = 0; i < sk->ncols; i++) {
        if (name_matches(f, sk->cols[i].names))
            return true;
    }
    return false;
}

static int
unrecognised_csv(const char *name, const struct pccs_csv_record *first,
                 struct pccs_err *err)
{
    const struct pccs_source_kind *best = NULL;
    size_t best_missing = SIZE_MAX;
    int idx[128];
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (!sk->cols || sk->ncols > 128)
            continue;
        size_t missing = pccs_cols_bind(sk->cols, sk->ncols, first, idx);
        if (missing < best_missing) {
            best_missing = missing;
            best = sk;
        }
    }
    struct pccs_buf found = PCCS_BUF_INIT;
    list_fields(&found, first, 12);
    struct pccs_buf want = PCCS_BUF_INIT;
    /* The column to point at: the first header field the layout does not
     * know, else just after the last field (where one is missing). */
    int64_t col = (int64_t)first->nfields + 1;
    if (best) {
        for (size_t f = 0; f < first->nfields; f++) {
            if (!known_field(best, first->fields[f])) {
                col = (int64_t)f + 1;
                break;
            }
        }
        pccs_cols_bind(best->cols, best->ncols, first, idx);
        size_t shown = 0;
        for (size_t i = 0; i < best->ncols; i++) {
            if (idx[i] >= 0 || best->cols[i].optional)
                continue;
            char one[64];
            first_name(one, sizeof(one), best->cols[i].names);
            if (shown++ < 8)
                pccs_buf_addf(&want, "%s%s", shown > 1 ? "," : "", one);
        }
        if (shown > 8)
            pccs_buf_addf(&want, ",... (%zu missing)", shown);
    }
    int rc = pccs_err_at(
        err, PCCS_EPARSE, name, first->line, col,
        "not a recognised file: found columns %s; the closest known "
        "layout, %s (%s), also needs %s",
        found.p, best ? best->kind : "none", best ? best->publication : "-",
        want.len ? want.p : "-");
    pccs_buf_release(&found);
    pccs_buf_release(&want);
    return rc;
}

static const struct pccs_source_kind *
recognise_csv(const struct pccs_csv_record *first)
{
    int idx[128];
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (!sk->load_csv)
            continue;
        if (sk->cols) {
            if (sk->ncols > 128 ||
                pccs_cols_bind(sk->cols, sk->ncols, first, idx))
                continue;
            if (sk->sniff_csv && !sk->sniff_csv(first))
                continue;
            return sk;
        }
    }
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *sk = pccs_source_kinds[k];
        if (sk->load_csv && !sk->cols && sk->sniff_csv && sk->sniff_csv(first))
            return sk;
    }
    return NULL;
}

static const struct pccs_source_kind *
recognise_xlsx(struct pccs_xlsx *x)
{
    for (size_t k = 0; pccs_source_kinds[k]; k++) {
        const struct pccs_source_kind *c = pccs_source_kinds[k];
        if (c->load_xlsx && c->sniff_xlsx && c->sniff_xlsx(x))
            return c;
    }
    return NULL;
}

/* Is path a zip (an xlsx workbook), from its first four bytes? */
static bool
is_zip(const char *path)
{
    unsigned char magic[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, magic, sizeof(magic));
    close(fd);
    return n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
}

static int mark_csv(struct pccs_load *ld, const char *path,
                    const struct pccs_csv_record *first, struct pccs_err *err);

static int
run_csv(struct pccs_load *ld, const char *path, struct pccs_load_result *res,
        struct pccs_err *err)
{
    struct pccs_csv_reader *r = NULL;
    int rc = pccs_csv_open(&r, path, ld->name, 0, err);
    if (rc)
        return rc;
    struct pccs_csv_record first;
    rc = pccs_csv_next(r, &first, err);
    if (rc == 0) {
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 1,
                         "empty file, expected a header row or data");
        goto out;
    }
    if (rc < 0)
        goto out;
    const struct pccs_source_kind *sk = recognise_csv(&first);
    if (!sk) {
        rc = unrecognised_csv(ld->name, &first, err);
        goto out;
    }
    ld->src.kind = sk->kind;
    ld->src.publication = sk->publication;
    ld->src.encoding = "ascii";
    rc = mark_csv(ld, path, &first, err);
    if (rc)
        goto out;
    rc = pccs_store_begin(ld->st, err);
    if (rc)
        goto out;
    rc = pccs_store_source_add(ld->st, &ld->src, err);
    if (!rc)
        rc = sk->load_csv(ld, r, &first, err);
    if (!rc && !ld->period[0])
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 2, 1,
                         "no data rows: cannot tell the period");
    if (!rc) {
        snprintf(res->encoding, sizeof(res->encoding), "%s",
                 pccs_csv_encoding(r));
        ld->src.encoding = res->encoding;
    }
out:
    pccs_csv_free(r);
    return rc;
}

static int
run_xlsx(struct pccs_load *ld, const char *path, struct pccs_load_result *res,
         struct pccs_err *err)
{
    struct pccs_xlsx *x = NULL;
    int rc = pccs_xlsx_open(&x, path, ld->name, err);
    if (rc)
        return rc;
    const struct pccs_source_kind *sk = recognise_xlsx(x);
    if (!sk) {
        struct pccs_buf names = PCCS_BUF_INIT;
        for (size_t i = 0; i < pccs_xlsx_sheet_count(x); i++)
            pccs_buf_addf(&names, "%s\"%s\"", i ? "," : "",
                          pccs_xlsx_sheet_name(x, i));
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 1,
                         "not a recognised workbook: sheets %s; expected "
                         "the ODS ePCN workbook (sheets \"PCNDetails\" and "
                         "\"PCN Core Partner Details\")",
                         names.p);
        pccs_buf_release(&names);
        goto out;
    }
    ld->src.kind = sk->kind;
    ld->src.publication = sk->publication;
    snprintf(res->encoding, sizeof(res->encoding), "xlsx");
    ld->src.encoding = res->encoding;
    rc = pccs_store_begin(ld->st, err);
    if (rc)
        goto out;
    rc = pccs_store_source_add(ld->st, &ld->src, err);
    if (!rc)
        rc = sk->load_xlsx(ld, x, err);
    if (!rc && !ld->period[0])
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 2, 1,
                         "no data rows: cannot tell the period");
out:
    pccs_xlsx_free(x);
    return rc;
}

/*
 * A CSV with the provenance column: the first non-empty value marks the
 * source (read ahead with a second reader, so a loader sees its file as
 * before). Only generated and example files have the column.
 */
static int
mark_csv(struct pccs_load *ld, const char *path,
         const struct pccs_csv_record *first, struct pccs_err *err)
{
    int col = -1;
    for (size_t i = 0; i < first->nfields && col < 0; i++)
        if (pccs_str_ieq(pccs_str_trim(first->fields[i]), PCCS_PROVENANCE_COL))
            col = (int)i;
    if (col < 0)
        return PCCS_OK;
    struct pccs_csv_reader *r = NULL;
    int rc = pccs_csv_open(&r, path, ld->name, 0, err);
    if (rc)
        return rc;
    struct pccs_csv_record rec;
    bool header = true;
    while (!ld->src.provenance && (rc = pccs_csv_next(r, &rec, err)) == 1) {
        if (!header && (size_t)col < rec.nfields)
            pccs_load_mark(ld, rec.fields[col]);
        header = false;
    }
    pccs_csv_free(r);
    return rc < 0 ? rc : PCCS_OK;
}

void
pccs_load_mark(struct pccs_load *ld, struct pccs_str value)
{
    static const char *const marks[] = {PCCS_PROV_SYNTHETIC, PCCS_PROV_EXAMPLE};
    struct pccs_str v = pccs_str_trim(value);
    if (ld->src.provenance || !v.len)
        return;
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(marks[i]);
        if (v.len < n || strncasecmp(v.p, marks[i], n) != 0)
            continue;
        ld->src.provenance = marks[i];
        snprintf(ld->prov_note, sizeof(ld->prov_note), "%.*s", (int)v.len, v.p);
        ld->src.provenance_note = ld->prov_note;
        return;
    }
}

static void
already_loaded(struct pccs_load_result *res,
               const struct pccs_source_info *prev)
{
    res->already_loaded = true;
    snprintf(res->kind, sizeof(res->kind), "%s", prev->kind);
    snprintf(res->period, sizeof(res->period), "%s",
             prev->period ? prev->period : "");
    snprintf(res->encoding, sizeof(res->encoding), "%s",
             prev->encoding ? prev->encoding : "");
    res->src = *prev;
    res->src.kind = res->kind;
    res->src.period = res->period;
    res->src.encoding = res->encoding;
    res->src.sha256 = res->sha256;
    res->src.publication = NULL;
    res->src.path = NULL;
    res->src.loaded_at = NULL;
    /* The store's strings last only until its next call. */
    if (prev->provenance)
        res->src.provenance = !strcmp(prev->provenance, PCCS_PROV_EXAMPLE)
                                  ? PCCS_PROV_EXAMPLE
                                  : PCCS_PROV_SYNTHETIC;
    snprintf(res->prov_note, sizeof(res->prov_note), "%s",
             prev->provenance_note ? prev->provenance_note : "");
    res->src.provenance_note = prev->provenance ? res->prov_note : NULL;
}

void
pccs_load_kind_of(const char *path, char *kind, size_t n)
{
    kind[0] = '\0';
    struct pccs_err err = PCCS_ERR_INIT;
    const struct pccs_source_kind *sk = NULL;
    if (is_zip(path)) {
        struct pccs_xlsx *x = NULL;
        if (pccs_xlsx_open(&x, path, path, &err))
            return;
        sk = recognise_xlsx(x);
        pccs_xlsx_free(x);
    }
    else {
        struct pccs_csv_reader *r = NULL;
        if (pccs_csv_open(&r, path, path, 0, &err))
            return;
        struct pccs_csv_record first;
        if (pccs_csv_next(r, &first, &err) == 1)
            sk = recognise_csv(&first);
        pccs_csv_free(r);
    }
    if (sk)
        snprintf(kind, n, "%s", sk->kind);
}

int
pccs_load_file(struct pccs_store *st, const char *path,
               const struct pccs_load_options *opt,
               struct pccs_load_result *res, struct pccs_err *err)
{
    memset(res, 0, sizeof(*res));
    struct stat sb;
    if (stat(path, &sb) < 0)
        return pccs_err_at(err, PCCS_EIO, path, 1, 1, "cannot open: %s",
                           strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return pccs_err_at(err, PCCS_EIO, path, 1, 1,
                           "is a directory, expected a file");
    if (sb.st_size == 0)
        return pccs_err_at(err, PCCS_EPARSE, path, 1, 1,
                           "empty file, expected a header row or data");
    if (sodium_init() < 0)
        return pccs_err_set(err, PCCS_EIO, "libsodium failed to start");

    /* Hash in a second thread while the file loads (two passes, one
     * wall-clock pass on a machine with two cores). */
    struct pccs_hash_job job;
    memset(&job, 0, sizeof(job));
    job.path = path;
    atomic_init(&job.done, false);
    if (pthread_create(&job.thread, NULL, hash_thread, &job) != 0)
        return pccs_err_set(err, PCCS_EIO, "cannot start a thread");

    struct pccs_load ld;
    memset(&ld, 0, sizeof(ld));
    ld.st = st;
    ld.name = opt && opt->name ? opt->name : path;
    ld.opt = opt;
    ld.size = (uint64_t)sb.st_size;
    ld.started = now();
    /* PCCS_PROGRESS_AFTER: seconds before the first progress line (1 by
     * default; 0 in tests, which must not depend on the machine's speed),
     * as git's GIT_PROGRESS_DELAY. */
    const char *after = getenv("PCCS_PROGRESS_AFTER");
    ld.progress_after = after && *after ? strtod(after, NULL) : 1.0;
    ld.src.path = ld.name;
    ld.src.owner = opt ? opt->owner : NULL;
    ld.hash = &job;
    int rc;

    if (is_zip(path))
        rc = run_xlsx(&ld, path, res, err);
    else
        rc = run_csv(&ld, path, res, err);

    clear_progress(&ld);
    pthread_join(job.thread, NULL);
    if (job.rc && (!rc || ld.duplicate)) {
        if (err)
            *err = job.err;
        rc = job.rc;
    }
    else if (!job.rc && opt && opt->again) {
        /* An edit: the same bytes may have been a version before. */
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_state hs;
        crypto_hash_sha256_init(&hs);
        crypto_hash_sha256_update(&hs, (const unsigned char *)job.hex,
                                  strlen(job.hex));
        crypto_hash_sha256_update(&hs, (const unsigned char *)opt->again,
                                  strlen(opt->again));
        crypto_hash_sha256_final(&hs, h);
        sodium_bin2hex(res->sha256, sizeof(res->sha256), h, sizeof(h));
    }
    else if (!job.rc) {
        snprintf(res->sha256, sizeof(res->sha256), "%s", job.hex);
        check_duplicate(&ld);
    }
    if (ld.duplicate) {
        /* Loaded before: undo this load and say which source it is. */
        pccs_store_rollback(st);
        pccs_err_clear(err);
        struct pccs_source_info prev;
        rc = pccs_store_source_find(st, res->sha256, &prev, err);
        if (!rc)
            already_loaded(res, &prev);
        pccs_arena_release(&ld.arena);
        return rc;
    }
    if (!rc) {
        ld.src.period = ld.period;
        ld.src.sha256 = res->sha256;
        ld.src.rows_loaded = ld.rows;
        ld.src.rows_rejected = ld.rejected;
        rc = pccs_store_source_finish(st, &ld.src, err);
    }
    if (!rc)
        rc = pccs_store_commit(st, err);
    if (rc) {
        pccs_store_rollback(st);
    }
    else {
        snprintf(res->kind, sizeof(res->kind), "%s", ld.src.kind);
        snprintf(res->period, sizeof(res->period), "%s", ld.period);
        res->src = ld.src;
        res->src.kind = res->kind;
        res->src.period = res->period;
        res->src.sha256 = res->sha256;
        res->src.encoding = res->encoding;
        res->src.path = NULL;
        snprintf(res->prov_note, sizeof(res->prov_note), "%s", ld.prov_note);
        res->src.provenance_note = ld.src.provenance ? res->prov_note : NULL;
    }
    pccs_arena_release(&ld.arena);
    return rc;
}
