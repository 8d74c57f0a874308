/* SPDX-License-Identifier: MIT */
/* pccs sources: what has been loaded, with its provenance. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "report/table.h"

static int
source_row(void *ctx, const struct pccs_source_info *s)
{
    struct pccs_table *t = ctx;
    pccs_table_row(t);
    pccs_table_int(t, s->id);
    pccs_table_text(t, s->kind);
    pccs_table_text(t, s->publication);
    /* Generated files and template examples say so; published data "". */
    pccs_table_text(t, pccs_source_mark(s));
    pccs_table_text(t, s->period);
    pccs_table_int(t, s->rows_loaded);
    pccs_table_int(t, s->rows_rejected);
    pccs_table_text(t, s->encoding);
    pccs_table_text(t, s->sha256);
    pccs_table_text(t, s->loaded_at);
    pccs_table_text(t, s->path);
    pccs_table_text(t, s->provenance_note ? s->provenance_note : "");
    return 0;
}

int
pccs_cmd_sources(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL;
    bool help = false;
    struct pccs_opt opts[] = {
        {"format", &format, NULL},
        {"store", &g->store, NULL},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 2, pos, 0, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("sources");
    int fmt;
    rc = pccs_cmd_format("sources", format, &fmt);
    if (rc)
        return rc;
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_table t;
    pccs_table_init(&t, "sources");
    pccs_table_col(&t, "id", PCCS_COL_INT, 0);
    pccs_table_col(&t, "kind", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "publication", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "provenance", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "period", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "rows", PCCS_COL_INT, 0);
    pccs_table_col(&t, "rejected", PCCS_COL_INT, 0);
    pccs_table_col(&t, "encoding", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "sha256", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "loaded_at", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "path", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "provenance_note", PCCS_COL_TEXT, 0);
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_store_sources_each(st, source_row, &t, &err);
    if (!rc)
        rc = pccs_table_write(&t, (enum pccs_format)fmt, stdout, &err);
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_table_release(&t);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
