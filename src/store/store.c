/* SPDX-License-Identifier: MIT */
/*
 * Choosing the backend from the store's name: a path is SQLite, a
 * postgres:// or postgresql:// URL will be PostgreSQL.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#include "store/sqlite.h"

int
pccs_store_open(struct pccs_store **out, const char *spec, struct pccs_err *err)
{
    *out = NULL;
    if (!spec || !*spec)
        return pccs_err_set(err, PCCS_EINVAL, "no store given");
    if (strncmp(spec, "postgres://", 11) == 0 ||
        strncmp(spec, "postgresql://", 13) == 0)
        return pccs_err_set(err, PCCS_EUNSUPPORTED,
                            "%s: the PostgreSQL backend is not built yet; "
                            "use a SQLite file path",
                            spec);
    return pccs__sqlite_open(out, spec, err);
}

/* ===== Source sets ===== */

void
pccs_source_set_add(struct pccs_source_set *s, int64_t id)
{
    for (size_t i = s->n; i > 0; i--)
        if (s->ids[i - 1] == id)
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->ids = pccs_xreallocarray(s->ids, s->cap, sizeof(*s->ids));
    }
    s->ids[s->n++] = id;
}

void
pccs_source_set_release(struct pccs_source_set *s)
{
    free(s->ids);
    *s = (struct pccs_source_set)PCCS_SOURCE_SET_INIT;
}

const char *
pccs_source_mark(const struct pccs_source_info *s)
{
    if (!s->provenance)
        return "";
    return strcmp(s->provenance, PCCS_PROV_EXAMPLE) ? "SYNTHETIC" : "EXAMPLE";
}
