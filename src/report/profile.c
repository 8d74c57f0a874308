/* SPDX-License-Identifier: MIT */
/* An organisation's profile as JSON. */
#include "report/profile.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/table.h"

json_t *
pccs_profile_org_json(const struct pccs_profile_org *o, bool with_source)
{
    json_t *j = json_object();
    json_object_set_new(j, "code", json_string(o->code));
    json_object_set_new(j, "name",
                        *o->name ? json_string(o->name) : json_null());
    json_object_set_new(j, "level", json_string(o->level));
    if (with_source)
        json_object_set_new(j, "source", json_string(o->source));
    return j;
}

static json_t *
names_json(const struct pccs_profile *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nnames; i++) {
        const struct pccs_profile_name *n = &p->names[i];
        json_t *jn = json_object();
        json_object_set_new(jn, "from",
                            *n->from ? json_string(n->from) : json_null());
        json_object_set_new(jn, "name", json_string(n->name));
        json_object_set_new(jn, "source", json_string(n->source));
        json_array_append_new(a, jn);
    }
    return a;
}

void
pccs_profile_head_json(json_t *j, const struct pccs_profile *p)
{
    json_object_set_new(j, "names", names_json(p));
    char d[16];
    pccs_date_format(p->at, d);
    json_object_set_new(j, "as_at", json_string(d));
    json_t *a = json_array();
    for (size_t i = 0; i < p->nparents; i++)
        json_array_append_new(a, pccs_profile_org_json(&p->parents[i], true));
    json_object_set_new(j, "parents", a);
}

static json_t *
pop_json(const struct pccs_profile_pop *pp)
{
    const struct pccs_table *t = &pp->table;
    const struct pccs_cell *np = pccs_table_cell(t, 0, (size_t)pp->practices);
    const struct pccs_cell *reg = pccs_table_cell(t, 0, (size_t)pp->registered);
    const struct pccs_cell *w = pccs_table_cell(t, 0, (size_t)pp->weighted);
    const struct pccs_cell *s = pccs_table_cell(t, 0, (size_t)pp->source);
    json_t *jp = json_object();
    json_object_set_new(jp, "period", json_string(pp->period));
    json_object_set_new(jp, "practices", json_integer((json_int_t)np->num));
    json_object_set_new(jp, "registered", json_real(reg->num));
    json_object_set_new(jp, "weighted",
                        w->null ? json_null() : json_real(w->num));
    json_object_set_new(jp, "source", json_string(s->text));
    return jp;
}

json_t *
pccs_profile_pops_json(const struct pccs_profile *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->npops; i++)
        json_array_append_new(a, pop_json(&p->pops[i]));
    return a;
}

json_t *
pccs_table_json(const struct pccs_table *t)
{
    char *buf = NULL;
    size_t len = 0;
    struct pccs_err err = PCCS_ERR_INIT;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    int rc = pccs_table_write(t, PCCS_FMT_JSON, f, &err);
    fclose(f);
    json_error_t je;
    json_t *j = rc ? NULL : json_loadb(buf, len, 0, &je);
    free(buf);
    return j;
}
