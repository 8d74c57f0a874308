/* SPDX-License-Identifier: MIT */
/*
 * GET /api/patients/CODE?cohort=&at=&format=: the patients of practice
 * CODE (in a cohort), patient-level: only for the users of that practice
 * (authz.c, PCCS_DATA_PATIENT), never cached, and every read written to
 * the audit log before the answer goes (no line, no answer).
 */
#include <stdio.h>
#include <string.h>

#include "model/cohorts.h"
#include "model/query.h"
#include "web/web.h"

int
pccs_web_patients(struct pccs_web_server *sv, struct pccs_web_request *rq,
                  struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *code = rq->rest;
    const char *cohort = pccs_web_arg(rq->c, "cohort");
    const char *at_s = pccs_web_arg(rq->c, "at");
    struct pccs_web_ask ask = {.what = code,
                               .org = pccs_tree_find(&sv->tree, code),
                               .at = PCCS_DAY_NONE};
    int rc = pccs_web_authorise(sv, rq, &ask, err);
    if (rc)
        return rc;
    enum pccs_format fmt;
    pccs_day at = PCCS_DAY_NONE;
    rc = pccs_web_answer_format(pccs_web_arg(rq->c, "format"), &fmt, err);
    if (!rc && at_s)
        rc = pccs_query_date("at", at_s, &at, err);
    if (rc)
        return rc;
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    rc = pccs_patient_list(rq->st, at, code, cohort && *cohort ? cohort : NULL,
                           &t, err);
    if (!rc) {
        char detail[160];
        snprintf(detail, sizeof(detail), "practice %s cohort %s: %zu patients",
                 code, cohort && *cohort ? cohort : "(all)", t.nrows);
        if (!pccs_web_audit(sv, rq, rq->sess.user, "patients", detail))
            rc = pccs_err_set(err, PCCS_EIO,
                              "the audit log cannot be written: no "
                              "patient list without its line");
    }
    if (!rc)
        rc = pccs_web_reply_table(r, &t, fmt, err);
    pccs_table_release(&t);
    return rc;
}
