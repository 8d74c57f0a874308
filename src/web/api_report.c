/* SPDX-License-Identifier: MIT */
/*
 * GET /api/report/committee?in=CODE&year=&format=html|pdf&meeting=...:
 * the committee paper for an organisation within the user's scope (it
 * holds the local registers' tables), as `pccs report committee` writes
 * it (report/committee.h), its cover from the paper details given
 * (model/paper.h keys), printed to PDF by headless Chromium on asking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "model/paper.h"
#include "model/query.h"
#include "report/committee.h"
#include "report/pdf.h"
#include "web/web.h"

/* The paper details the page sends, each a key of pccs_paper_front_set. */
static const char *const front_keys[] = {
    "meeting", "date", "agenda_item", "title", "author", "lead", "purpose",
};

static int
front_from_args(struct MHD_Connection *c, struct pccs_paper_front *f,
                struct pccs_err *err)
{
    pccs_paper_front_init(f);
    for (size_t i = 0; i < sizeof(front_keys) / sizeof(front_keys[0]); i++) {
        const char *v = pccs_web_arg(c, front_keys[i]);
        int rc = v ? pccs_paper_front_set(f, front_keys[i], v, err) : 0;
        if (rc)
            return rc;
    }
    const char *rec = pccs_web_arg(c, "recommendation");
    return rec ? pccs_paper_front_set(f, "recommendation", rec, err) : 0;
}

/* A temporary directory in $TMPDIR (else /tmp) for the paper's files. */
static int
temp_dir(char *path, size_t n, struct pccs_err *err)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/pccs-paper-XXXXXX", dir && *dir ? dir : "/tmp");
    if (!mkdtemp(path))
        return pccs_err_set(err, PCCS_EIO,
                            "no temporary directory for the "
                            "paper");
    return PCCS_OK;
}

static int
read_back(const char *path, struct pccs_web_reply *r, struct pccs_err *err)
{
    if (!pccs_web_reply_file(r, path))
        return pccs_err_set(err, PCCS_EIO, "the paper was not written");
    return PCCS_OK;
}

/* Write the paper (HTML, then PDF when asked) and read it back. */
static int
write_paper(struct pccs_web_server *sv, struct pccs_web_request *rq,
            const struct pccs_committee_request *cr, bool pdf,
            struct pccs_web_reply *r, struct pccs_err *err)
{
    char dir[4000], html[4096], out[4096];
    int rc = temp_dir(dir, sizeof(dir), err);
    if (rc)
        return rc;
    snprintf(html, sizeof(html), "%s/paper.html", dir);
    snprintf(out, sizeof(out), "%s/paper.pdf", dir);
    FILE *f = fopen(html, "w");
    rc = f ? pccs_committee_report(f, rq->st, &sv->tree, cr, err)
           : pccs_err_set(err, PCCS_EIO, "cannot write the paper");
    if (f && fclose(f) && !rc)
        rc = pccs_err_set(err, PCCS_EIO, "cannot write the paper");
    if (!rc && pdf)
        rc = pccs_report_pdf(html, out, err);
    if (!rc)
        rc = read_back(pdf ? out : html, r, err);
    if (!rc)
        r->type = pdf ? "application/pdf" : "text/html; charset=utf-8";
    unlink(html);
    unlink(out);
    rmdir(dir);
    return rc;
}

int
pccs_web_report(struct pccs_web_server *sv, struct pccs_web_request *rq,
                struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *in = pccs_web_arg(rq->c, "in");
    const char *format = pccs_web_arg(rq->c, "format");
    bool pdf = format && !strcmp(format, "pdf");
    if (format && !pdf && strcmp(format, "html"))
        return pccs_err_set(err, PCCS_EINVAL, "format: html or pdf");
    int org = pccs_query_org(&sv->tree, "", in ? in : rq->sess.scope, err);
    if (org < 0)
        return PCCS_ENOTFOUND;
    struct pccs_web_ask ask = {
        .what = sv->tree.orgs[org].code, .org = org, .at = PCCS_DAY_NONE};
    ask.level = sv->tree.orgs[org].level;
    int rc = pccs_web_authorise(sv, rq, &ask, err);
    if (rc)
        return rc;
    struct pccs_paper_front front;
    rc = front_from_args(rq->c, &front, err);
    if (rc)
        return rc;
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
    struct pccs_committee_request cr = {.in = sv->tree.orgs[org].code,
                                        .year = pccs_web_arg(rq->c, "year"),
                                        .front = &front,
                                        .generated = today};
    return write_paper(sv, rq, &cr, pdf, r, err);
}
