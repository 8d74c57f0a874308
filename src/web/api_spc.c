/* SPDX-License-Identifier: MIT */
/* GET /api/spc/METRIC/CODE?format=json|csv|xlsx: an SPC series. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/metrics.h"
#include "model/query.h"
#include "web/web.h"

/* The metric and the organisation's code of METRIC/CODE. */
static int
spc_names(const char *rest, char *metric, size_t nm, char *code, size_t nc,
          struct pccs_err *err)
{
    const char *slash = strchr(rest, '/');
    if (!slash || (size_t)(slash - rest) >= nm || strlen(slash + 1) >= nc)
        return pccs_err_set(err, PCCS_ENOTFOUND, "use /api/spc/METRIC/CODE");
    snprintf(metric, nm, "%.*s", (int)(slash - rest), rest);
    snprintf(code, nc, "%s", slash + 1);
    return PCCS_OK;
}

int
pccs_web_spc(struct pccs_web_server *sv, struct pccs_web_request *rq,
             struct pccs_web_reply *r, struct pccs_err *err)
{
    char metric[64], code[32];
    int rc =
        spc_names(rq->rest, metric, sizeof(metric), code, sizeof(code), err);
    if (rc)
        return rc;
    const struct pccs_metric_def *m = pccs_metric_find(metric);
    if (!m)
        return pccs_err_set(err, PCCS_ENOTFOUND, "no such metric");
    enum pccs_format fmt;
    if ((rc = pccs_web_answer_format(pccs_web_arg(rq->c, "format"), &fmt, err)))
        return rc;
    int org = pccs_query_org(&sv->tree, "", code, NULL);
    if (org >= 0)
        snprintf(code, sizeof(code), "%s", sv->tree.orgs[org].code);
    struct pccs_web_ask ask = {.what = code, .org = org, .at = PCCS_DAY_NONE};
    if ((rc = pccs_web_authorise(sv, rq, &ask, err)))
        return rc;
    struct pccs_series s;
    if ((rc = pccs_metric_series(rq->st, &sv->tree, m, code, &s, err)))
        return rc;
    struct pccs_spc_options o = PCCS_SPC_OPTIONS_INIT;
    o.direction = m->improvement;
    struct pccs_table t;
    struct pccs_spc_point *p;
    enum pccs_spc_assurance a;
    bool short_group;
    pccs_spc_table((const char *const *)s.date, s.y, s.n, &o, &t, &p, &a,
                   &short_group);
    for (size_t i = 0; i < s.nnotes; i++)
        pccs_table_note(&t, "%s", s.notes[i]);
    rc = pccs_web_reply_table(r, &t, fmt, err);
    pccs_table_release(&t);
    free(p);
    pccs_series_release(&s);
    return rc;
}
