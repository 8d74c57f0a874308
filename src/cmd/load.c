/* SPDX-License-Identifier: MIT */
/* pccs load: recognise, validate and load files, one transaction each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "model/booking.h"
#include "model/query.h"
#include "model/tree.h"
#include "sources/loader.h"

/*
 * Local registers name the organisations of the files loaded with them,
 * and every register may name the places of the places register: so,
 * given together, the published files load first, then places, then the
 * other registers, each group in the order given.
 */
static void
order_files(char **files, size_t n)
{
    if (n < 2)
        return;
    int *rank = pccs_xcalloc(n, sizeof(*rank));
    char **sorted = pccs_xcalloc(n, sizeof(*sorted));
    for (size_t i = 0; i < n; i++) {
        char kind[48];
        pccs_load_kind_of(files[i], kind, sizeof(kind));
        rank[i] = !strcmp(kind, "register_places") ? 1
                  : !strncmp(kind, "register_", 9) ? 2
                                                   : 0;
        /* patient-level records: patients before what refers to them */
        if (!strcmp(kind, "phm_patients") || !strcmp(kind, "fhir_patient"))
            rank[i] = 3;
        else if (!strncmp(kind, "phm_", 4) || !strncmp(kind, "fhir_", 5))
            rank[i] = 4;
    }
    size_t k = 0;
    for (int r = 0; r <= 4; r++)
        for (size_t i = 0; i < n; i++)
            if (rank[i] == r)
                sorted[k++] = files[i];
    memcpy(files, sorted, n * sizeof(*files));
    free(rank);
    free(sorted);
}

/* The slots of the booking sessions just loaded (issue 19). */
static int
make_slots(struct pccs_store *st, bool quiet)
{
    struct pccs_err err = PCCS_ERR_INIT;
    int64_t made = 0;
    if (pccs_booking_sync(st, &made, &err))
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
    if (!quiet)
        printf("booking sessions: %lld slots in the latest register\n",
               (long long)made);
    return PCCS_EXIT_OK;
}

int
pccs_cmd_load(struct pccs_global *g, int argc, char **argv)
{
    const char *period = NULL, *org = NULL;
    bool quiet = g->quiet;
    struct pccs_opt opts[] = {
        {"period", &period, NULL},
        {"quiet", NULL, &quiet},
        {"org", &org, NULL},
    };
    char **files = calloc((size_t)argc, sizeof(*files));
    size_t nfiles;
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), files,
                           (size_t)argc, &nfiles);
    if (rc != PCCS_CMD_GO || !nfiles) {
        free(files);
        return rc != PCCS_CMD_GO ? rc : pccs_cmd_usage("load", "no file given");
    }
    /* The form here; whether it suits each file, the loader says. */
    struct pccs_period_buf pbuf;
    struct pccs_err perr = PCCS_ERR_INIT;
    if (period &&
        pccs_query_period("--period", period, PCCS_PERIOD_FY | PCCS_PERIOD_DATE,
                          "a financial year such as 2022-23 or a "
                          "date YYYY-MM-DD",
                          &pbuf, &perr)) {
        free(files);
        return pccs_cmd_usage("load", "%s", perr.msg);
    }
    if (period)
        period = pbuf.s;
    struct pccs_store *st;
    rc = pccs_cmd_open_store(g, &st);
    if (rc) {
        free(files);
        return rc;
    }
    order_files(files, nfiles);
    pccs_load_keep_heap();
    /*
     * Each new page written once, not twice (store.h; in SQLite a
     * rollback journal rather than the WAL while the load runs). The
     * command alone, never a server: only when nothing else has the
     * store open, which the store checks.
     */
    struct pccs_err berr = PCCS_ERR_INIT;
    if (pccs_store_bulk(st, true, &berr)) {
        pccs_store_free(st);
        free(files);
        return pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", berr.msg);
    }
    struct pccs_load_options lo = {
        .period = period, .quiet = quiet, .progress = g->tty, .owner = org};
    int exit = PCCS_EXIT_OK;
    bool sessions = false; /* a booking sessions register was loaded */
    for (size_t i = 0; i < nfiles; i++) {
        struct pccs_load_result res;
        struct pccs_err err = PCCS_ERR_INIT;
        if (pccs_load_file(st, files[i], &lo, &res, &err)) {
            exit = pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", err.msg);
            break;
        }
        sessions |= !strcmp(res.kind, "register_access_sessions");
        if (res.already_loaded) {
            printf("%s: already loaded as source %lld (%s, %s, same "
                   "sha256): nothing changed\n",
                   files[i], (long long)res.src.id, res.kind, res.period);
            continue;
        }
        printf("%s: loaded %s, period %s, %lld rows (%lld rejected), %s, "
               "sha256 %.12s%s%s%s\n",
               files[i], res.kind, res.period, (long long)res.src.rows_loaded,
               (long long)res.src.rows_rejected, res.encoding, res.sha256,
               res.src.provenance ? " [" : "",
               res.src.provenance ? pccs_source_mark(&res.src) : "",
               res.src.provenance ? "]" : "");
    }
    if (exit == PCCS_EXIT_OK && sessions)
        exit = make_slots(st, quiet);
    fflush(stdout);
    /* The files are committed here, together (store.h). A store left in
     * the rollback journal (another connection opened it meanwhile) is
     * put back in WAL by its next open, so that is said, not failed on. */
    int brc = pccs_store_bulk(st, false, &berr);
    if (brc == PCCS_ECONFLICT)
        fprintf(stderr, "pccs: warning: %s\n", berr.msg);
    else if (brc)
        exit = pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", berr.msg);
    /* The tree of the sources now loaded, cached for the next command:
     * after the commit, so that a cache it cannot write (a full disk)
     * costs the next command a rebuild, not the files. */
    struct pccs_err terr = PCCS_ERR_INIT;
    if (pccs_tree_refresh(st, &terr) && exit == PCCS_EXIT_OK)
        exit = pccs_cmd_fail(PCCS_EXIT_INPUT, "%s", terr.msg);
    pccs_store_free(st);
    free(files);
    return exit;
}
