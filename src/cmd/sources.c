/* SPDX-License-Identifier: MIT */
/* pccs sources: what has been loaded, with its provenance. */
#include <stdio.h>

#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/refdata.h"
#include "report/table.h"

/* The columns of the sources table, in order. */
enum source_col {
    C_ID,
    C_KIND,
    C_PUBLICATION,
    C_PROVENANCE,
    C_PERIOD,
    C_ROWS,
    C_REJECTED,
    C_ENCODING,
    C_SHA256,
    C_LOADED_AT,
    C_PATH,
    C_NOTE,
    C_NCOLS
};

/* In the order of enum source_col. */
static const char *const col_names[C_NCOLS] = {
    "id",     "kind",      "publication", "provenance",
    "period", "rows",      "rejected",    "encoding",
    "sha256", "loaded_at", "path",        "provenance_note"};

static bool
is_count(enum source_col c)
{
    return c == C_ID || c == C_ROWS || c == C_REJECTED;
}

static int
source_row(void *ctx, const struct pccs_source_info *s)
{
    struct pccs_table *t = ctx;
    const int64_t count[C_NCOLS] = {
        [C_ID] = s->id,
        [C_ROWS] = s->rows_loaded,
        [C_REJECTED] = s->rows_rejected,
    };
    /* Generated files and template examples say so; published data "". */
    const char *const text[C_NCOLS] = {
        [C_KIND] = s->kind,
        [C_PUBLICATION] = s->publication,
        [C_PROVENANCE] = pccs_source_mark(s),
        [C_PERIOD] = s->period,
        [C_ENCODING] = s->encoding,
        [C_SHA256] = s->sha256,
        [C_LOADED_AT] = s->loaded_at,
        [C_PATH] = s->path,
        [C_NOTE] = s->provenance_note ? s->provenance_note : "",
    };
    pccs_table_row(t);
    for (int c = 0; c < C_NCOLS; c++) {
        if (is_count((enum source_col)c))
            pccs_table_int(t, count[c]);
        else
            pccs_table_text(t, text[c]);
    }
    return 0;
}

/* One reference file (model/refdata.h) as a row of the reference table. */
static int
reference_row(void *ctx, const struct pccs_refdata_use *u)
{
    struct pccs_table *t = ctx;
    pccs_table_row(t);
    pccs_table_text(t, u->rel);
    pccs_table_text(t, u->what);
    pccs_table_int(t, (int64_t)u->rows);
    pccs_table_text(t, u->f->sha256);
    pccs_table_text(t, u->f->path);
    pccs_table_text(t, u->source);
    return 0;
}

/* The reference files in use: rates, rules, maps and weights. */
static int
reference(int fmt, struct pccs_table *t)
{
    static const char *const cols[] = {"file",   "what", "rows",
                                       "sha256", "path", "source"};
    pccs_table_init(t, "reference");
    for (size_t i = 0; i < PCCS_LEN(cols); i++)
        pccs_table_col(t, cols[i], i == 2 ? PCCS_COL_INT : PCCS_COL_TEXT, 0);
    struct pccs_err err = PCCS_ERR_INIT;
    int rc = pccs_refdata_list(reference_row, t, &err);
    return pccs_cmd_print(t, fmt, NULL, rc, &err);
}

int
pccs_cmd_sources(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL;
    bool ref = false;
    struct pccs_opt opts[] = {
        {"format", &format, NULL},
        {"reference", NULL, &ref},
    };
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (rc != PCCS_CMD_GO)
        return rc;
    int fmt;
    rc = pccs_cmd_format("sources", format, &fmt);
    if (!rc && ref) {
        struct pccs_table t;
        return reference(fmt, &t);
    }
    struct pccs_store *st = NULL;
    if (!rc)
        rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_table t;
    pccs_table_init(&t, "sources");
    for (int c = 0; c < C_NCOLS; c++)
        pccs_table_col(
            &t, col_names[c],
            is_count((enum source_col)c) ? PCCS_COL_INT : PCCS_COL_TEXT, 0);
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_store_sources_each(st, source_row, &t, &err);
    rc = pccs_cmd_print(&t, fmt, st, rc, &err);
    /* In text, for a reader, the reference data follows. */
    if (!rc && fmt == PCCS_FMT_TEXT) {
        putchar('\n');
        rc = reference(fmt, &t);
    }
    return rc;
}
