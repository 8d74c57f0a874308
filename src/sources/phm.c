/* SPDX-License-Identifier: MIT */
/*
 * What the patient-level loaders share (phm_internal.h).
 */
#include "sources/phm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* The identifiers are kept by offset until all are read (exts moves). */
static int
patient_cb(void *ctx, const struct pccs_patient_row *r)
{
    struct pccs_phm_load *p = ctx;
    size_t len = strlen(r->ext);
    if (p->exts_len + len > p->exts_cap) {
        p->exts_cap = (p->exts_cap + len) * 2;
        p->exts = pccs_xrealloc(p->exts, p->exts_cap);
    }
    memcpy(p->exts + p->exts_len, r->ext, len);
    if (p->nknown == p->known_cap) {
        p->known_cap = p->known_cap ? p->known_cap * 2 : 1024;
        p->known =
            pccs_xreallocarray(p->known, p->known_cap, sizeof(*p->known));
    }
    p->known[p->nknown++] = (struct pccs_phm_known){
        .ext = (const char *)(uintptr_t)p->exts_len, .len = len, .id = r->id};
    p->exts_len += len;
    return 0;
}

static int
key_cmp(const char *ext, size_t len, const struct pccs_phm_known *k)
{
    int c = memcmp(ext, k->ext, len < k->len ? len : k->len);
    return c ? c : (len > k->len) - (len < k->len);
}

static int
known_cmp(const void *a, const void *b)
{
    const struct pccs_phm_known *x = a;
    return key_cmp(x->ext, x->len, b);
}

/* Point the identifiers into exts and sort them (if the store's order
 * was not already theirs). */
static void
known_sort(struct pccs_phm_load *p)
{
    bool sorted = true;
    for (size_t i = 0; i < p->nknown; i++) {
        p->known[i].ext = p->exts + (uintptr_t)p->known[i].ext;
        if (i && known_cmp(&p->known[i - 1], &p->known[i]) > 0)
            sorted = false;
    }
    if (!sorted)
        qsort(p->known, p->nknown, sizeof(*p->known), known_cmp);
}

int
pccs__phm_begin(struct pccs_phm_load *p, struct pccs_load *ld, bool codes,
                bool patients, struct pccs_err *err)
{
    memset(p, 0, sizeof(*p));
    p->ld = ld;
    p->last = PCCS_DAY_NONE;
    int rc = codes ? pccs_codelists_load_default(&p->cl, err) : PCCS_OK;
    if (!rc)
        rc = pccs_store_phm_writer(ld->st, &p->w, err);
    if (!rc)
        rc = pccs_store_patients_each(ld->st, patient_cb, p, err);
    if (!rc)
        known_sort(p);
    (void)patients;
    return rc;
}

int
pccs__phm_end(struct pccs_phm_load *p, int rc, struct pccs_err *err)
{
    if (!rc && p->w)
        rc = pccs_phm_writer_flush(p->w, err);
    if (!rc && p->last != PCCS_DAY_NONE)
        pccs_load_set_period_day(p->ld, p->last);
    pccs_codelists_release(&p->cl);
    pccs_phm_writer_free(p->w);
    pccs_hmap_release(&p->patients);
    pccs_hmap_release(&p->practices);
    free(p->known);
    free(p->exts);
    return rc;
}

/* The id of a patient stored before the load, or 0. */
static int64_t
known_id(struct pccs_phm_load *p, const char *ext, size_t len)
{
    if (p->next < p->nknown && !key_cmp(ext, len, &p->known[p->next]))
        return p->known[p->next++].id;
    size_t lo = 0, hi = p->nknown;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(ext, len, &p->known[mid]);
        if (!c) {
            p->next = mid + 1;
            return p->known[mid].id;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

int64_t
pccs__phm_patient(struct pccs_phm_load *p, const char *ext, size_t len)
{
    if (p->last_id && len < sizeof(p->last_ext) && !p->last_ext[len] &&
        !memcmp(p->last_ext, ext, len))
        return p->last_id;
    int64_t id = known_id(p, ext, len);
    if (!id) {
        const struct pccs_hmap_entry *e = pccs_hmap_get(&p->patients, ext, len);
        id = e ? e->ival : 0;
    }
    if (id && len < sizeof(p->last_ext)) {
        memcpy(p->last_ext, ext, len);
        p->last_ext[len] = '\0';
        p->last_id = id;
    }
    return id;
}

bool
pccs__phm_practice(struct pccs_phm_load *p, const char *code, size_t len)
{
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&p->practices, code, len, &created);
    if (created) {
        struct pccs_org_row o;
        struct pccs_err err = PCCS_ERR_INIT;
        char c[16];
        snprintf(c, sizeof(c), "%.*s", (int)(len > 15 ? 15 : len), code);
        e->ival = pccs_store_org_get(p->ld->st, c, &o, &err) == PCCS_OK &&
                          !strcmp(o.level, PCCS_LEVEL_PRACTICE)
                      ? 1
                      : -1;
    }
    return e->ival > 0;
}

void
pccs__phm_day(struct pccs_phm_load *p, pccs_day d)
{
    if (d != PCCS_DAY_NONE && (p->last == PCCS_DAY_NONE || d > p->last))
        p->last = d;
}
