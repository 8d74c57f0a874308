/* SPDX-License-Identifier: MIT */
/*
 * Readable labels beside coded columns: a QOF group code (AF) gets its
 * name (Atrial fibrillation), an ARRS role code its title. The codes stay
 * as they are (scripts and --group use them); the label is a column of
 * its own, the last, so that every other column keeps its place, from a
 * map in data/maps/ that names its source.
 */
#include "model/labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hmap.h"
#include "base/xalloc.h"
#include "model/refdata.h"

static const struct {
    const char *table, *column, *map, *what;
} label_maps[] = {
    {"qof-prevalence", "group", "maps/qof_groups.csv", "QOF group names"},
    {"arrs", "arrs_role", "maps/arrs_role_labels.csv", "ARRS role titles"},
};

/* A code,label,source map (read once: model/refdata.c) into m. */
static int
read_map(const char *rel, struct pccs_hmap *m, char *source, size_t sn,
         struct pccs_err *err)
{
    static const char *const cols[] = {"code", "label", "source"};
    const struct pccs_refdata *f;
    source[0] = '\0';
    int rc = pccs_refdata_load_cols(rel, cols, PCCS_LEN(cols), &f, err);
    if (rc)
        return rc;
    for (size_t k = 1; k < f->nrecords; k++) {
        const struct pccs_refdata_record *rec = &f->records[k];
        if (rec->nfields < 3)
            continue;
        bool created;
        /* The label lives as long as the file's records: the process. */
        pccs_hmap_put(m, rec->fields[0].p, rec->fields[0].len, &created)->ptr =
            (void *)rec->fields[1].p;
        snprintf(source, sn, "%.*s", (int)rec->fields[2].len, rec->fields[2].p);
    }
    return PCCS_OK;
}

int
pccs_labels_add(const char *table, struct pccs_table *t, struct pccs_err *err)
{
    for (size_t i = 0; i < sizeof(label_maps) / sizeof(label_maps[0]); i++) {
        if (strcmp(label_maps[i].table, table) != 0)
            continue;
        int col = pccs_table_col_index(t, label_maps[i].column);
        if (col < 0)
            continue;
        char source[512], name[64];
        struct pccs_hmap m = PCCS_HMAP_INIT;
        int rc = read_map(label_maps[i].map, &m, source, sizeof(source), err);
        if (rc) {
            pccs_hmap_release(&m);
            return rc;
        }
        snprintf(name, sizeof(name), "%s_label", label_maps[i].column);
        size_t lc = t->ncols;
        pccs_table_insert_col(t, lc, name);
        for (size_t r = 0; r < t->nrows; r++) {
            const struct pccs_cell *c = pccs_table_cell(t, r, (size_t)col);
            if (c->null || !c->text)
                continue;
            struct pccs_hmap_entry *e =
                pccs_hmap_get(&m, c->text, strlen(c->text));
            /* A row that is not a code (a total) keeps its own words. */
            pccs_table_set_text(t, r, lc, e ? (const char *)e->ptr : c->text);
        }
        pccs_table_note(t, "%s: %s from data/%s (%s)", name, label_maps[i].what,
                        label_maps[i].map, source);
        pccs_hmap_release(&m);
    }
    return PCCS_OK;
}
