/* SPDX-License-Identifier: MIT */
/*
 * Choosing the backend from the store's name: a path is SQLite, a
 * postgres:// or postgresql:// URL will be PostgreSQL.
 */
#include "store/store.h"

#include <string.h>

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
