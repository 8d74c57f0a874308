/* SPDX-License-Identifier: MIT */
/* GET /api/spc/METRIC/CODE?format=json|csv|xlsx: an SPC series; GET
 * /api/spc: the metrics. */
#include <stdio.h>
#include <string.h>

#include "model/query.h"
#include "model/spc_run.h"
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
    enum pccs_format fmt;
    rc = pccs_web_answer_format(pccs_web_arg(rq->c, "format"), &fmt, err);
    if (rc)
        return rc;
    int org = pccs_query_org(&sv->tree, "", code, NULL);
    if (org >= 0)
        snprintf(code, sizeof(code), "%s", sv->tree.orgs[org].code);
    struct pccs_web_ask ask = {.what = code, .org = org, .at = PCCS_DAY_NONE};
    rc = pccs_web_authorise(sv, rq, &ask, err);
    if (rc)
        return rc;
    /* The run as pccs spc --metric gives it (the metric's own options). */
    struct pccs_spc_run run;
    rc = pccs_spc_run_metric(&run, rq->st, &sv->tree, metric, code, err);
    if (!rc)
        rc = pccs_spc_run_compute(&run, NULL, "", err);
    if (!rc)
        rc = pccs_web_reply_table(r, &run.table, fmt, err);
    pccs_spc_run_release(&run);
    return rc;
}

/* The metrics, as pccs spc --list prints them. */
int
pccs_web_spc_metrics(struct pccs_web_server *sv, struct pccs_web_request *rq,
                     struct pccs_web_reply *r, struct pccs_err *err)
{
    static const char *const dir[] = {[PCCS_SPC_INCREASE] = "increase",
                                      [PCCS_SPC_DECREASE] = "decrease",
                                      [PCCS_SPC_NEUTRAL] = "neutral"};
    (void)sv;
    (void)rq;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; pccs_metric_defs[i]; i++) {
        const struct pccs_metric_def *m = pccs_metric_defs[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(m->name));
        json_object_set_new(j, "summary", json_string(m->summary));
        json_object_set_new(j, "table", json_string(m->table));
        json_object_set_new(j, "improvement", json_string(dir[m->improvement]));
        json_object_set_new(j, "points",
                            json_string(m->date_col  ? m->date_col
                                        : !m->over   ? "month"
                                        : m->over_fy ? "financial year"
                                                     : "snapshot"));
        json_array_append_new(a, j);
    }
    pccs_web_reply_json(r, a);
    return PCCS_OK;
}
