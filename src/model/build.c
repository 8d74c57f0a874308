/* SPDX-License-Identifier: MIT */
/* What every table builder does the same way (model/build.h). */
#include "model/build.h"

#include <string.h>

void
pccs_build_cols(struct pccs_table *out, const struct pccs_build_col *cols,
                size_t n)
{
    for (size_t i = 0; i < n; i++)
        pccs_table_col(out, cols[i].name, cols[i].type, cols[i].decimals);
}

int
pccs_build_in(const struct pccs_tree *t, const char *in, int *in_org,
              struct pccs_err *err)
{
    *in_org = -1;
    if (!in)
        return PCCS_OK;
    *in_org = pccs_tree_find(t, in);
    if (*in_org < 0)
        return pccs_err_set(err, PCCS_ENOTFOUND, "unknown organisation %s", in);
    return PCCS_OK;
}

bool
pccs_build_within(const struct pccs_tree *t, int org, int in_org, pccs_day at,
                  int64_t src)
{
    return in_org < 0 ||
           pccs_tree_ancestor(t, org, t->orgs[in_org].level, at, src) == in_org;
}

int
pccs_build_group(const struct pccs_tree *t, const char *code, int in_org,
                 enum pccs_level level, pccs_day at, int64_t src)
{
    int o = pccs_tree_find(t, code);
    if (o < 0 || !pccs_build_within(t, o, in_org, at, src))
        return -1;
    return pccs_tree_ancestor(t, o, level, at, src);
}

int
pccs_build_group_memo(struct pccs_build_memo *m, const struct pccs_tree *t,
                      const char *code, int in_org, enum pccs_level level,
                      pccs_day at, int64_t src)
{
    if (m->set && m->in_org == in_org && m->level == level && m->at == at &&
        m->src == src && strcmp(m->code, code) == 0)
        return m->group;
    int g = pccs_build_group(t, code, in_org, level, at, src);
    size_t n = strlen(code);
    m->set = n < sizeof(m->code);
    if (m->set) {
        memcpy(m->code, code, n + 1);
        m->in_org = in_org;
        m->level = level;
        m->at = at;
        m->src = src;
        m->group = g;
    }
    return g;
}

void
pccs_build_org_row(struct pccs_table *out, const struct pccs_tree *t, int org,
                   int parent, pccs_day at)
{
    pccs_build_org_row_named(out, t, org, pccs_tree_name(t, org, at), parent);
}

void
pccs_build_org_row_named(struct pccs_table *out, const struct pccs_tree *t,
                         int org, const char *name, int parent)
{
    pccs_table_row(out);
    pccs_table_text(out, t->orgs[org].code);
    pccs_table_text(out, name);
    pccs_table_text(out, parent >= 0 ? t->orgs[parent].code : "");
}

void
pccs_build_source_note(struct pccs_table *out, struct pccs_store *st,
                       int64_t source, const char *what, const char *period,
                       struct pccs_err *err)
{
    struct pccs_source_info si;
    if (pccs_store_source_get(st, source, &si, err) == PCCS_OK)
        pccs_table_note(out, "%s: %s, %s (%s)", what, si.publication, period,
                        si.path ? si.path : "?");
    pccs_err_clear(err);
}

void
pccs_build_ogl_note(struct pccs_table *out)
{
    pccs_table_note(out, "Contains public sector information licensed under "
                         "the Open Government Licence v3.0.");
}
