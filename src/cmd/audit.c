/* SPDX-License-Identifier: MIT */
/*
 * pccs audit: read the audit log (logins, refusals, account and register
 * changes), by user, action and date.
 */
#include <stdio.h>

#include "base/date.h"
#include "base/str.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "report/table.h"

static int
audit_row(void *ctx, const struct pccs_audit_row *a)
{
    struct pccs_table *t = ctx;
    pccs_table_row(t);
    pccs_table_int(t, a->id);
    pccs_table_text(t, a->at);
    pccs_table_text(t, a->user ? a->user : "");
    pccs_table_text(t, a->action);
    pccs_table_text(t, a->detail ? a->detail : "");
    return 0;
}

/*
 * Parse the date of option name into out as ISO text, plus days (1 for
 * --until: lines before the next day); 0, or the usage exit status.
 */
static int
parse_day(const char *name, const char *s, int plus, char out[16])
{
    pccs_day d;
    if (pccs_date_parse(pccs_str_from(s), &d))
        return pccs_cmd_usage("audit",
                              "--%s must be a date YYYY-MM-DD, not "
                              "'%s'",
                              name, s);
    pccs_date_format(d + plus, out);
    return 0;
}

int
pccs_cmd_audit(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *since = NULL, *until = NULL;
    struct pccs_audit_filter f = {.user = NULL};
    bool help = false;
    struct pccs_opt opts[] = {
        {"user", &f.user, NULL},   {"action", &f.action, NULL},
        {"since", &since, NULL},   {"until", &until, NULL},
        {"format", &format, NULL}, {"store", &g->store, NULL},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 6, pos, 0, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("audit");
    int fmt;
    char from[16], to[16];
    rc = pccs_cmd_format("audit", format, &fmt);
    if (rc || (since && (rc = parse_day("since", since, 0, from))) ||
        (until && (rc = parse_day("until", until, 1, to))))
        return rc;
    f.since = since ? from : NULL;
    f.until = until ? to : NULL;
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_table t;
    pccs_table_init(&t, "audit");
    pccs_table_col(&t, "id", PCCS_COL_INT, 0);
    pccs_table_col(&t, "at", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "user", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "action", PCCS_COL_TEXT, 0);
    pccs_table_col(&t, "detail", PCCS_COL_TEXT, 0);
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_store_audit_each(st, &f, audit_row, &t, &err);
    if (!rc)
        rc = pccs_table_write(&t, (enum pccs_format)fmt, stdout, &err);
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_table_release(&t);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
