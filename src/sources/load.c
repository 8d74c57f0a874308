/* SPDX-License-Identifier: MIT */
/*
 * Loading a file: the ingest transaction. Recognise the file
 * (recognise.c), check it has not been loaded before (SHA-256, hashed in
 * a second thread while it loads), and run its loader inside one store
 * transaction, so that the store keeps all of it or none of it. Also the
 * write helpers loaders put rows through. Field getters are in
 * fields.c, the progress line in progress.c.
 */
#define _DEFAULT_SOURCE /* sbrk, madvise MADV_HUGEPAGE */
#include "sources/loader.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/sha256.h"
#include "base/xalloc.h"
#include "sources/load_internal.h"

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

/* Append a field and a separator (a NULL field differs from ""). */
static void
key_add(struct pccs_buf *b, const char *s)
{
    if (s)
        pccs_buf_addstr(b, s);
    else
        pccs_buf_addch(b, '\x02');
    pccs_buf_addch(b, '\x1f');
}

static void
key_day(struct pccs_buf *b, pccs_day d)
{
    pccs_buf_add(b, &d, sizeof(d));
    pccs_buf_addch(b, '\x1f');
}

/*
 * Has this load written exactly this (the key, under name in m) last?
 * If not, it is remembered as the last. Writing it again would change
 * nothing in the store (an organisation's upsert of the same values, a
 * membership the store ignores), so the caller skips it.
 */
static bool
seen(struct pccs_hmap *m, const char *name, size_t nlen,
     const struct pccs_buf *key)
{
    bool created;
    struct pccs_hmap_entry *e = pccs_hmap_put(m, name, nlen, &created);
    struct pccs_buf *last = e->ptr;
    if (!created && last && last->len == key->len &&
        !memcmp(last->p, key->p, key->len))
        return true;
    if (!last) {
        last = pccs_xcalloc(1, sizeof(*last));
        *last = (struct pccs_buf)PCCS_BUF_INIT;
        e->ptr = last;
    }
    pccs_buf_reset(last);
    pccs_buf_add(last, key->p, key->len);
    return false;
}

static void
free_seen(void *ctx, struct pccs_hmap_entry *e)
{
    (void)ctx;
    if (e->ptr)
        pccs_buf_release(e->ptr);
    free(e->ptr);
}

static void
release_seen(struct pccs_load *ld)
{
    pccs_hmap_each(&ld->seen_orgs, free_seen, NULL);
    pccs_hmap_release(&ld->seen_orgs);
    pccs_hmap_release(&ld->seen_links);
}

int
pccs_load_org(struct pccs_load *ld, struct pccs_org_row *o,
              struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    o->source_id = ld->src.id;
    struct pccs_buf k = PCCS_BUF_INIT;
    const char *f[] = {o->level, o->name, o->postcode, o->ons_code, o->status};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        key_add(&k, f[i]);
    key_day(&k, o->open_date);
    key_day(&k, o->close_date);
    key_day(&k, o->as_of);
    int rc = PCCS_OK;
    if (!seen(&ld->seen_orgs, o->code, strlen(o->code), &k))
        rc = pccs_store_put_org(ld->st, o, err);
    pccs_buf_release(&k);
    return rc;
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
    /* The store ignores a membership it has (child, parent, level, dates,
     * source): one written by this load is not written again. */
    struct pccs_buf k = PCCS_BUF_INIT;
    key_add(&k, c);
    key_add(&k, *p ? p : NULL);
    key_add(&k, parent_level);
    key_day(&k, start);
    key_day(&k, end);
    bool created;
    pccs_hmap_put(&ld->seen_links, k.p, k.len, &created);
    pccs_buf_release(&k);
    if (!created)
        return PCCS_OK;
    return pccs_store_put_link(ld->st, &l, err);
}

/* value as a C string: in buf (size bytes) when it fits, else owned. */
static char *
value_str(struct pccs_str value, char *buf, size_t size)
{
    if (value.len >= size)
        return pccs_xstrndup(value.p, value.len);
    memcpy(buf, value.p, value.len);
    buf[value.len] = '\0';
    return buf;
}

int
pccs_load_attr(struct pccs_load *ld, struct pccs_str org, const char *key,
               struct pccs_str value, pccs_day as_of, struct pccs_err *err)
{
    if (ld->duplicate)
        return PCCS_ECONFLICT;
    TMP_STR(o, org);
    char buf[256];
    char *v = value_str(value, buf, sizeof(buf));
    struct pccs_attr_row a = {o, key, v, as_of, ld->src.id};
    int rc = pccs_store_put_attr(ld->st, &a, err);
    if (v != buf)
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
    char buf[256];
    char *v = value_str(value, buf, sizeof(buf));
    struct pccs_ref_row r = {kind, k, attr, v, ld->src.id};
    int rc = pccs_store_put_ref(ld->st, &r, err);
    if (v != buf)
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
void
pccs__load_check_duplicate(struct pccs_load *ld)
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
    struct pccs_sha256 h; /* the SHA extensions where there are */
    pccs_sha256_init(&h);
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
        pccs_sha256_update(&h, buf, (size_t)n);
    }
    free(buf);
    close(fd);
    if (rc)
        return rc;
    unsigned char out[PCCS_SHA256_BYTES];
    pccs_sha256_final(&h, out);
    sodium_bin2hex(hex, 65, out, sizeof(out));
    return PCCS_OK;
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
    const struct pccs_source_kind *sk = pccs__load_recognise_csv(&first);
    if (!sk) {
        rc = pccs__load_unrecognised_csv(ld->name, &first, err);
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
    const struct pccs_source_kind *sk = pccs__load_recognise_xlsx(x);
    if (!sk) {
        rc = pccs__load_unrecognised_xlsx(ld->name, x, err);
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

/* An NDJSON file (a FHIR bulk export) of kind sk (NULL: not known). */
static int
run_ndjson(struct pccs_load *ld, const char *path,
           const struct pccs_source_kind *sk, struct pccs_load_result *res,
           struct pccs_err *err)
{
    if (!sk)
        return pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 1,
                           "not a recognised file: expected one FHIR R4 "
                           "resource a line (resourceType Patient, "
                           "Condition, Observation or MedicationRequest)");
    FILE *f = fopen(path, "r");
    if (!f)
        return pccs_err_at(err, PCCS_EIO, ld->name, 0, 0, "cannot open");
    ld->src.kind = sk->kind;
    ld->src.publication = sk->publication;
    snprintf(res->encoding, sizeof(res->encoding), "utf-8");
    ld->src.encoding = res->encoding;
    int rc = pccs_store_begin(ld->st, err);
    if (!rc)
        rc = pccs_store_source_add(ld->st, &ld->src, err);
    if (!rc)
        rc = sk->load_ndjson(ld, f, err);
    if (!rc && !ld->period[0])
        rc = pccs_err_at(err, PCCS_EPARSE, ld->name, 1, 1,
                         "no resources: cannot tell the period");
    fclose(f);
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

/* Can path be loaded at all: a non-empty regular file? */
static int
check_path(const char *path, struct stat *sb, struct pccs_err *err)
{
    if (stat(path, sb) < 0)
        return pccs_err_at(err, PCCS_EIO, path, 1, 1, "cannot open: %s",
                           strerror(errno));
    if (S_ISDIR(sb->st_mode))
        return pccs_err_at(err, PCCS_EIO, path, 1, 1,
                           "is a directory, expected a file");
    if (sb->st_size == 0)
        return pccs_err_at(err, PCCS_EPARSE, path, 1, 1,
                           "empty file, expected a header row or data");
    if (sodium_init() < 0)
        return pccs_err_set(err, PCCS_EIO, "libsodium failed to start");
    return PCCS_OK;
}

/*
 * The hash thread has ended: take its SHA-256 into res (for an edit,
 * that of the bytes and the change's text), or its error in place of
 * the load's (rc). Returns the load's status.
 */
static int
take_hash(struct pccs_load *ld, struct pccs_hash_job *job, int rc,
          struct pccs_load_result *res, struct pccs_err *err)
{
    const struct pccs_load_options *opt = ld->opt;
    if (job->rc && (!rc || ld->duplicate)) {
        if (err)
            *err = job->err;
        rc = job->rc;
    }
    else if (!job->rc && opt && opt->again) {
        /* An edit: the same bytes may have been a version before. */
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_state hs;
        crypto_hash_sha256_init(&hs);
        crypto_hash_sha256_update(&hs, (const unsigned char *)job->hex,
                                  strlen(job->hex));
        crypto_hash_sha256_update(&hs, (const unsigned char *)opt->again,
                                  strlen(opt->again));
        crypto_hash_sha256_final(&hs, h);
        sodium_bin2hex(res->sha256, sizeof(res->sha256), h, sizeof(h));
    }
    else if (!job->rc) {
        snprintf(res->sha256, sizeof(res->sha256), "%s", job->hex);
        pccs__load_check_duplicate(ld);
    }
    return rc;
}

/* Record the source's period and counts, commit, and fill res. */
static int
commit_load(struct pccs_load *ld, int rc, struct pccs_load_result *res,
            struct pccs_err *err)
{
    struct pccs_store *st = ld->st;
    if (!rc) {
        ld->src.period = ld->period;
        ld->src.sha256 = res->sha256;
        ld->src.rows_loaded = ld->rows;
        ld->src.rows_rejected = ld->rejected;
        rc = pccs_store_source_finish(st, &ld->src, err);
    }
    if (!rc)
        rc = pccs_store_commit(st, err);
    if (rc) {
        pccs_store_rollback(st);
        return rc;
    }
    snprintf(res->kind, sizeof(res->kind), "%s", ld->src.kind);
    snprintf(res->period, sizeof(res->period), "%s", ld->period);
    res->src = ld->src;
    res->src.kind = res->kind;
    res->src.period = res->period;
    res->src.sha256 = res->sha256;
    res->src.encoding = res->encoding;
    res->src.path = NULL;
    snprintf(res->prov_note, sizeof(res->prov_note), "%s", ld->prov_note);
    res->src.provenance_note = ld->src.provenance ? res->prov_note : NULL;
    return PCCS_OK;
}

/*
 * Keep freed memory in the heap for the rest of the process, in huge
 * pages. A load grows its duplicate maps and buffers by doubling; with
 * glibc's defaults each large block was a fresh mmap, faulted in 4 KiB
 * page by page and unmapped when freed, and new heap was faulted in the
 * same way: a page fault is dear on this kind of machine (a quarter of
 * the bundled load's CPU went to them). Blocks up to 32 MiB now come
 * from the heap and are reused, and the heap grows once by HEAP_PAD,
 * which is then given huge pages where the system gives them on request
 * (as glibc's own glibc.malloc.hugetlb tunable does): one fault per
 * 2 MiB (31,700 page faults to 2,400 on the bundled files, CPU -20%).
 * Only address space until it is used; freed memory is kept up to
 * 2 * HEAP_PAD. Under a sanitizer or valgrind (their own allocators)
 * only the thresholds apply.
 */
#define HEAP_PAD ((size_t)256 << 20)

static void
keep_heap(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's most */
    mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_PAD));
    mallopt(M_TOP_PAD, (int)HEAP_PAD);
    char *b0 = sbrk(0);
    const size_t first = (size_t)16 << 20;
    char *p = malloc(first); /* used, so that it is not elided */
    if (!p)
        return;
    *(volatile char *)p = 0;
    char *b1 = sbrk(0);
    uintptr_t at = (uintptr_t)p;
    free(p);
    mallopt(M_TOP_PAD, 16 << 20);
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)b0 + huge - 1) & ~(huge - 1);
    uintptr_t hi = (uintptr_t)b1 & ~(huge - 1);
    /* Only if the block ends in the heap just grown (not under a
     * sanitizer's own allocator, which leaves the break alone). */
#ifdef MADV_HUGEPAGE
    if (b0 != (char *)-1 && b1 > b0 && at < (uintptr_t)b1 &&
        at + first > (uintptr_t)b0 && hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
#endif
}

void
pccs_load_keep_heap(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, keep_heap);
}

int
pccs_load_file(struct pccs_store *st, const char *path,
               const struct pccs_load_options *opt,
               struct pccs_load_result *res, struct pccs_err *err)
{
    memset(res, 0, sizeof(*res));
    struct stat sb;
    int rc = check_path(path, &sb, err);
    if (rc)
        return rc;
    struct pccs_org_row owner;
    if (opt && opt->owner &&
        pccs_store_org_get(st, opt->owner, &owner, err) == PCCS_ENOTFOUND)
        return pccs_err_set(err, PCCS_EINVAL,
                            "--org %s: no such organisation in the store "
                            "(load the NHS files first)",
                            opt->owner);

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
    pccs__load_progress_start(&ld, (uint64_t)sb.st_size);
    ld.src.path = ld.name;
    ld.src.owner = opt ? opt->owner : NULL;
    ld.hash = &job;

    const struct pccs_source_kind *nd = NULL;
    if (pccs__load_recognise_ndjson(path, &nd))
        rc = run_ndjson(&ld, path, nd, res, err);
    else if (pccs__load_is_zip(path))
        rc = run_xlsx(&ld, path, res, err);
    else
        rc = run_csv(&ld, path, res, err);

    pccs__load_progress_clear(&ld);
    pthread_join(job.thread, NULL);
    rc = take_hash(&ld, &job, rc, res, err);
    if (ld.duplicate) {
        /* Loaded before: undo this load and say which source it is. */
        pccs_store_rollback(st);
        pccs_err_clear(err);
        struct pccs_source_info prev;
        rc = pccs_store_source_find(st, res->sha256, &prev, err);
        if (!rc)
            already_loaded(res, &prev);
    }
    else {
        rc = commit_load(&ld, rc, res, err);
    }
    pccs_arena_release(&ld.arena);
    release_seen(&ld);
    return rc;
}
