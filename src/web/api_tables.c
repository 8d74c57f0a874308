/* SPDX-License-Identifier: MIT */
/*
 * GET /api/tables             the tables
 * GET /api/tables/NAME?level=&in=&at=&period=&year=&group=&compare=
 *                     &contract=&explain=1&suppress=1&format=json|csv|xlsx
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "model/query.h"
#include "web/web.h"

int
pccs_web_tables(struct pccs_web_server *sv, struct pccs_web_request *rq,
                struct pccs_web_reply *r, struct pccs_err *err)
{
    (void)sv;
    (void)rq;
    (void)err;
    json_t *a = json_array();
    for (size_t i = 0; pccs_table_defs[i]; i++) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(pccs_table_defs[i]->name));
        json_object_set_new(j, "summary",
                            json_string(pccs_table_defs[i]->summary));
        json_object_set_new(j, "local",
                            json_boolean(pccs_table_defs[i]->local));
        json_array_append_new(a, j);
    }
    pccs_web_reply_json(r, a);
    return PCCS_OK;
}

int
pccs_web_table_json(struct pccs_web_server *sv, struct pccs_store *st,
                    const char *name, const struct pccs_table_query *q,
                    json_t **out, struct pccs_err *err)
{
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    int rc =
        pccs_table_run(pccs_table_def_find(name), st, &sv->tree, q, &t, err);
    if (!rc) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        rc = pccs_table_write(&t, PCCS_FMT_JSON, f, err);
        fclose(f);
        json_error_t je;
        *out = rc ? NULL : json_loadb(buf, len, 0, &je);
        free(buf);
    }
    pccs_table_release(&t);
    return rc;
}

/*
 * A table as an xlsx workbook. libxlsxwriter (1.1 in Debian 12) writes
 * only to a file, so the workbook goes through a temporary file in
 * $TMPDIR (else /tmp), read back and removed at once.
 */
static int
reply_xlsx(struct pccs_web_reply *r, const struct pccs_table *t,
           struct pccs_err *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/pccs-serve-XXXXXX",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return pccs_err_set(err, PCCS_EIO,
                            "cannot write the workbook (no temporary file)");
    close(fd);
    struct pccs_err werr = PCCS_ERR_INIT;
    int rc = PCCS_OK;
    if (pccs_table_write_xlsx(t, path, &werr) == PCCS_OK &&
        pccs_web_reply_file(r, path)) {
        r->type = "application/vnd.openxmlformats-officedocument."
                  "spreadsheetml.sheet";
    }
    else
        rc = pccs_err_set(err, PCCS_EIO, "cannot write the workbook");
    unlink(path);
    return rc;
}

int
pccs_web_answer_format(const char *format, enum pccs_format *fmt,
                       struct pccs_err *err)
{
    *fmt = PCCS_FMT_JSON;
    if (format && (pccs_format_parse(format, fmt) || *fmt == PCCS_FMT_TEXT))
        return pccs_err_set(err, PCCS_EINVAL,
                            "format must be json, csv or xlsx");
    return PCCS_OK;
}

int
pccs_web_reply_table(struct pccs_web_reply *r, const struct pccs_table *t,
                     enum pccs_format fmt, struct pccs_err *err)
{
    if (fmt == PCCS_FMT_XLSX)
        return reply_xlsx(r, t, err);
    struct pccs_err werr = PCCS_ERR_INIT;
    FILE *f = open_memstream(&r->body, &r->len);
    pccs_table_write(t, fmt, f, &werr);
    fclose(f);
    r->type = fmt == PCCS_FMT_CSV ? "text/csv; charset=utf-8"
                                  : "application/json; charset=utf-8";
    return PCCS_OK;
}

/* The question of /api/tables/NAME: its parameters through the one parser
 * of a table question (model/query.h), with the API's names. */
static int
table_query(struct MHD_Connection *c, const struct pccs_table_def *def,
            struct pccs_query_parsed *out, struct pccs_err *err)
{
    struct pccs_query_arg args[16];
    size_t n = 0;
    for (; n < 16 && pccs_query_names[n]; n++) {
        args[n].name = pccs_query_names[n];
        args[n].value = pccs_web_arg(c, pccs_query_names[n]);
    }
    return pccs_query_parse(def, args, n, "", out, err);
}

/*
 * The organisation asked about (*in): in=, else for a user who is not an
 * admin their scope (at its own level when the table's default level is
 * above it), else England; then pccs_web_authorise() on it; the reader
 * for disclosure control (q->viewer) is the user's organisation.
 */
static int
table_scope(struct pccs_web_server *sv, const struct pccs_web_request *rq,
            const struct pccs_table_def *def, struct pccs_table_query *q,
            int *in, struct pccs_err *err)
{
    int rc = pccs_query_resolve_in(&sv->tree, "in: ", q, in, err);
    if (rc)
        return rc;
    if (*in < 0)
        *in = sv->england;
    if (!q->in && rq->sess.role != PCCS_ROLE_ADMIN && rq->scope >= 0) {
        *in = rq->scope;
        q->in = sv->tree.orgs[*in].code;
        if (q->level == PCCS_LEVEL_NONE &&
            def->default_level > sv->tree.orgs[*in].level)
            q->level = sv->tree.orgs[*in].level;
    }
    char owner[32];
    struct pccs_web_ask ask = {
        .what = *in >= 0 ? sv->tree.orgs[*in].code : "ENG",
        .org = *in,
        .at = q->at,
        .level = q->level != PCCS_LEVEL_NONE ? q->level : def->default_level,
        .table = def,
        .owner =
            pccs_web_register_owner(sv, rq, def->name, owner, sizeof(owner))};
    rc = pccs_web_authorise(sv, rq, &ask, err);
    /* Disclosure control as for the organisation of the user's scope
     * (an admin is none): its own rows as they are, every other's
     * controlled; suppress=1 controls them all. */
    q->viewer = rq->sess.role != PCCS_ROLE_ADMIN && rq->scope >= 0
                    ? sv->tree.orgs[rq->scope].code
                    : "";
    return rc;
}

int
pccs_web_table(struct pccs_web_server *sv, struct pccs_web_request *rq,
               struct pccs_web_reply *r, struct pccs_err *err)
{
    const struct pccs_table_def *def = pccs_table_def_find(rq->rest);
    if (!def)
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no such table (GET /api/tables lists them)");
    struct pccs_query_parsed parsed; /* q's periods point into it */
    struct pccs_table_query *qp = &parsed.q;
    enum pccs_format fmt;
    int in, rc;
    rc = table_query(rq->c, def, &parsed, err);
    if (rc ||
        (rc = pccs_web_answer_format(pccs_web_arg(rq->c, "format"), &fmt,
                                     err)) ||
        (rc = table_scope(sv, rq, def, qp, &in, err)))
        return rc;
    struct pccs_table_query q = *qp;
    struct pccs_table t;
    memset(&t, 0, sizeof(t));
    rc = pccs_table_run(def, rq->st, &sv->tree, &q, &t, err);
    if (!rc) {
        /* The register's rows as loaded: only those the user may see. */
        if (!strcmp(def->name, "register"))
            pccs_web_keep_register_rows(sv, rq, in, q.group, &t);
        rc = pccs_web_reply_table(r, &t, fmt, err);
    }
    pccs_table_release(&t);
    return rc;
}
