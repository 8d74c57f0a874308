/* SPDX-License-Identifier: MIT */
/*
 * pccs serve: the HTTP JSON API on libmicrohttpd (a thread pool over
 * epoll). Every answer is built by the same functions the CLI calls
 * (pccs_table_run, pccs_metric_series, the SPC engine), so the API and
 * the command line cannot disagree.
 */
#ifndef PCCS_HTTP_H
#define PCCS_HTTP_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"

struct pccs_serve_options {
    const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *store;  /* the store path (each worker opens its own) */
    const char *web;    /* the dashboard's directory, or NULL */
    unsigned threads;   /* worker threads; 0: one per CPU */
    bool quiet;         /* no request log */
    bool secure;        /* mark the session cookie Secure (behind TLS) */
    /* an address (in inet_ntop's form) whose connections give the
     * client's in X-Forwarded-For (its last entry), or NULL */
    const char *trusted_proxy;
    unsigned per_address; /* connections from one address; 0: 128 */
    unsigned cache_mb;    /* the answer cache's size; 0: 64 MiB */
};

/* The most worker threads pccs_serve() takes. */
#define PCCS_SERVE_MAX_THREADS 256

/**
 * Serve until SIGTERM or SIGINT, then stop cleanly. Prints the address
 * to stdout once listening. PCCS_EINVAL (bad --listen, more than
 * PCCS_SERVE_MAX_THREADS threads), PCCS_EIO (cannot
 * listen), store errors.
 */
int pccs_serve(const struct pccs_serve_options *o, struct pccs_err *err);

/**
 * The route table, one route a line, tab-separated under a header line:
 * method (* any), path, match (exact or prefix), auth, csrf, cache
 * (yes/no), roles (comma-separated, - none), data (none, published,
 * table, local), subject (none, path, in, each, row), params (the query
 * parameters taken, comma-separated; - none, * any), summary.
 */
void pccs_serve_list_routes(FILE *f);

#endif
