/* SPDX-License-Identifier: MIT */
/*
 * pccs patients: one practice's patients in a cohort (patient-level, for
 * the practice's own use), with eFI and cohorts as at a date. Each list
 * read is written to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/cohorts.h"
#include "model/result.h"

int
pccs_cmd_patients(struct pccs_global *g, int argc, char **argv)
{
    const char *format = NULL, *cohort = NULL, *practice = NULL, *at_s = NULL;
    struct pccs_opt opts[] = {
        {"cohort", &cohort, NULL},
        {"practice", &practice, NULL},
        {"at", &at_s, NULL},
        {"format", &format, NULL},
    };
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (!practice)
        return pccs_cmd_usage("patients", "give --practice CODE");
    int fmt;
    pccs_day at;
    struct pccs_store *st = NULL;
    rc = pccs_cmd_format("patients", format, &fmt);
    if (!rc)
        rc = pccs_cmd_date("patients", at_s, &at);
    if (!rc)
        rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    struct pccs_table t;
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_patient_list(st, at, practice, cohort, &t, &err);
    if (!rc && !pccs_store_readonly(st)) {
        char detail[160], user[64];
        snprintf(detail, sizeof(detail), "practice %s cohort %s: %zu patients",
                 practice, cohort ? cohort : "(all)", t.nrows);
        const char *u = getenv("USER");
        snprintf(user, sizeof(user), "cli:%s", u ? u : "?");
        rc = pccs_store_audit(st, user, "patients", detail, &err);
    }
    return pccs_cmd_print(&t, fmt, st, rc, &err);
}
