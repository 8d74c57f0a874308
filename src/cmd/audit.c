/* SPDX-License-Identifier: MIT */
/*
 * pccs audit: read the audit log (logins, refusals, account and register
 * changes), by user, action and date.
 */
#include <stdio.h>

#include "base/date.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "report/table.h"

static int
audit_row(void *ctx, const struct pccs_audit_row *a)
{
    struct pccs_table *t = ctx;
    pccs_table_row(t);
    pccs_table_int(t, a->id);
    const char *cells[] = {a->at, a->user ? a->user : "", a->action,
                           a->detail ? a->detail : ""};
    for (size_t i = 0; i < PCCS_LEN(cells); i++)
        pccs_table_text(t, cells[i]);
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
    struct pccs_opt opts[] = {
        {"user", &f.user, NULL},   {"action", &f.action, NULL},
        {"since", &since, NULL},   {"until", &until, NULL},
        {"format", &format, NULL},
    };
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (rc != PCCS_CMD_GO)
        return rc;
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
    static const char *const cols[] = {"id", "at", "user", "action", "detail"};
    for (size_t i = 0; i < PCCS_LEN(cols); i++)
        pccs_table_col(&t, cols[i], i ? PCCS_COL_TEXT : PCCS_COL_INT, 0);
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_store_audit_each(st, &f, audit_row, &t, &err);
    return pccs_cmd_print(&t, fmt, st, rc, &err);
}
