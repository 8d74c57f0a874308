/* SPDX-License-Identifier: MIT */
/* pccs serve: the HTTP JSON API (src/web/). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"
#include "base/xalloc.h"
#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "web/http.h"

/* A whole number from lo to hi of option name into *out (0 when absent). */
static int
count_opt(const char *name, const char *s, unsigned lo, unsigned hi,
          unsigned *out)
{
    *out = 0;
    if (!s)
        return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi)
        return pccs_cmd_fail(PCCS_EXIT_USAGE,
                             "--%s must be a whole number from %u to %u, "
                             "not %s",
                             name, lo, hi, s);
    *out = (unsigned)v;
    return 0;
}

int
pccs_cmd_serve(struct pccs_global *g, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *web = NULL, *threads = NULL;
    const char *proxy = NULL, *per_address = NULL, *cache_mb = NULL;
    bool secure = false, list_routes = false;
    struct pccs_opt opts[] = {
        {"listen", &listen, NULL},           {"web", &web, NULL},
        {"threads", &threads, NULL},         {"secure", NULL, &secure},
        {"list-routes", NULL, &list_routes}, {"trusted-proxy", &proxy, NULL},
        {"per-address", &per_address, NULL}, {"cache-mb", &cache_mb, NULL},
    };
    int rc = pccs_cmd_args(g, argc, argv, opts, PCCS_LEN(opts), NULL, 0, NULL);
    if (rc != PCCS_CMD_GO)
        return rc;
    if (list_routes) {
        pccs_serve_list_routes(stdout);
        return 0;
    }
    /* --trusted-proxy: as the server writes a connection's address */
    char proxy_addr[INET6_ADDRSTRLEN];
    unsigned char bin[sizeof(struct in6_addr)];
    if (proxy) {
        int af = inet_pton(AF_INET, proxy, bin) == 1    ? AF_INET
                 : inet_pton(AF_INET6, proxy, bin) == 1 ? AF_INET6
                                                        : 0;
        if (!af)
            return pccs_cmd_usage("serve",
                                  "--trusted-proxy must be an IPv4 "
                                  "or IPv6 address, not '%s'",
                                  proxy);
        inet_ntop(af, bin, proxy_addr, sizeof(proxy_addr));
        proxy = proxy_addr;
    }
    struct pccs_serve_options o = {.listen = listen,
                                   .store = g->store,
                                   .quiet = g->quiet,
                                   .secure = secure,
                                   .trusted_proxy = proxy};
    rc = count_opt("threads", threads, 1, PCCS_SERVE_MAX_THREADS, &o.threads);
    if (rc ||
        (rc = count_opt("per-address", per_address, 1, 999, &o.per_address)) ||
        (rc = count_opt("cache-mb", cache_mb, 1, 65536, &o.cache_mb)))
        return rc;
    /* The dashboard: --web, else web/ beside the data directory (a build
     * tree), else inside it (installed: share/pccs/web). */
    char webdir[4096];
    if (!web && (pccs_data_path("../web/index.html", webdir, sizeof(webdir)) ||
                 pccs_data_path("web/index.html", webdir, sizeof(webdir)))) {
        webdir[strlen(webdir) - strlen("/index.html")] = '\0';
        web = webdir;
    }
    o.web = web;
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_serve(&o, &err);
    if (rc)
        return pccs_cmd_fail(rc == PCCS_EINVAL ? PCCS_EXIT_USAGE
                                               : PCCS_EXIT_INPUT,
                             "%s", err.msg);
    return 0;
}
