/* SPDX-License-Identifier: MIT */
/*
 * What the patient-level loaders share (phm_internal.h).
 */
#include "sources/phm_internal.h"

#include <stdio.h>
#include <string.h>

static int
patient_cb(void *ctx, const struct pccs_patient_row *r)
{
    struct pccs_phm_load *p = ctx;
    bool created;
    struct pccs_hmap_entry *e =
        pccs_hmap_put(&p->patients, r->ext, strlen(r->ext), &created);
    e->ival = r->id;
    return 0;
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
    return rc;
}

int64_t
pccs__phm_patient(struct pccs_phm_load *p, const char *ext, size_t len)
{
    if (p->last_id && len < sizeof(p->last_ext) && !p->last_ext[len] &&
        !memcmp(p->last_ext, ext, len))
        return p->last_id;
    const struct pccs_hmap_entry *e = pccs_hmap_get(&p->patients, ext, len);
    if (e && len < sizeof(p->last_ext)) {
        memcpy(p->last_ext, ext, len);
        p->last_ext[len] = '\0';
        p->last_id = e->ival;
    }
    return e ? e->ival : 0;
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
