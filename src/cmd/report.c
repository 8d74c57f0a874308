/* SPDX-License-Identifier: MIT */
/* pccs report committee: the committee paper as one HTML file, or PDF. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/path.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/paper.h"
#include "model/query.h"
#include "model/tables.h"
#include "report/committee.h"
#include "report/pdf.h"

/* Write the paper as HTML to path, whole or not at all. */
static int
write_html(struct pccs_store *st, const struct pccs_tree *tree,
           const struct pccs_committee_request *rq, const char *path,
           struct pccs_err *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.part", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return pccs_err_set(err, PCCS_EIO, "%s: cannot write: %s", tmp,
                            strerror(errno));
    int rc = pccs_committee_report(f, st, tree, rq, err);
    if (fclose(f) && !rc)
        rc = pccs_err_set(err, PCCS_EIO, "%s: cannot write", tmp);
    return pccs_path_commit(tmp, path, rc, err);
}

/* The HTML to path (--out), the PDF to pdf (--pdf): with no --out, the
 * HTML goes to a file beside the PDF, removed once printed. */
static int
write_paper(struct pccs_store *st, const struct pccs_committee_request *rq,
            const char *out, const char *pdf, struct pccs_err *err)
{
    struct pccs_tree tree = PCCS_TREE_INIT;
    char html[4096];
    snprintf(html, sizeof(html), "%s", out ? out : "");
    if (!out)
        snprintf(html, sizeof(html), "%s.tmp.html", pdf);
    int rc = pccs_tree_load(&tree, st, err);
    if (!rc)
        rc = write_html(st, &tree, rq, html, err);
    pccs_tree_release(&tree);
    if (!rc && pdf)
        rc = pccs_report_pdf(html, pdf, err);
    if (!out)
        remove(html);
    if (!rc)
        fprintf(stderr, "pccs report: wrote %s%s%s\n", out ? out : "",
                out && pdf ? " and " : "", pdf ? pdf : "");
    return rc;
}

int
pccs_cmd_report(struct pccs_global *g, int argc, char **argv)
{
    const char *in = NULL, *year = NULL, *out = NULL, *period = NULL;
    const char *pdf = NULL, *paper = NULL;
    bool include_synthetic = false;
    struct pccs_opt opts[] = {
        {"in", &in, NULL},
        {"year", &year, NULL},
        {"period", &period, NULL},
        {"out", &out, NULL},
        {"pdf", &pdf, NULL},
        {"paper", &paper, NULL},
        {"include-synthetic", NULL, &include_synthetic},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), pos, 1, &npos);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (!npos || strcmp(pos[0], "committee") != 0)
        return pccs_cmd_usage("report", "which report? committee");
    if (!in || (!out && !pdf))
        return pccs_cmd_usage("report", "give --in CODE and --out FILE.html "
                                        "or --pdf FILE.pdf (or both)");
    /* --year or --period: a financial year, checked as pccs table does. */
    struct pccs_err err = PCCS_ERR_INIT;
    struct pccs_query_arg qa[] = {{.name = "year", .value = year},
                                  {.name = "period", .value = period}};
    struct pccs_query_parsed pq; /* year points into it */
    if (pccs_query_parse(NULL, qa, 2, "--", &pq, &err))
        return pccs_cmd_usage("report", "%s", err.msg);
    year = pq.q.period;
    struct pccs_paper_front front;
    pccs_paper_front_init(&front);
    if (paper) {
        rc = pccs_paper_front_load(&front, paper, &err);
        if (rc) {
            pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
            return pccs_cmd_exit(rc);
        }
    }
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc)
        return rc;
    char today[16];
    pccs_date_format(pccs_date_today(), today);
    struct pccs_committee_request rq = {.in = in,
                                        .year = year,
                                        .include_synthetic = include_synthetic,
                                        .front = &front,
                                        .generated = today};
    rc = write_paper(st, &rq, out, pdf, &err);
    if (rc)
        pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    pccs_store_free(st);
    return pccs_cmd_exit(rc);
}
