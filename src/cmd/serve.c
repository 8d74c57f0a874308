/* SPDX-License-Identifier: MIT */
/* pccs serve: the HTTP JSON API (src/web/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/path.h"

#include "cmd/cmd.h"
#include "cmd/opt.h"
#include "web/http.h"

int
pccs_cmd_serve(struct pccs_global *g, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *web = NULL, *threads = NULL;
    bool help = false, secure = false, list_routes = false;
    struct pccs_opt opts[] = {
        {"listen", &listen, NULL},   {"web", &web, NULL},
        {"threads", &threads, NULL}, {"store", &g->store, NULL},
        {"secure", NULL, &secure},   {"list-routes", NULL, &list_routes},
    };
    char *pos[1];
    size_t npos;
    int rc = pccs_opt_parse(argc, argv, opts, 6, pos, 0, &npos, &help);
    if (rc)
        return rc;
    if (help)
        return pccs_cmd_help("serve");
    if (list_routes) {
        pccs_serve_list_routes(stdout);
        return 0;
    }
    /* The dashboard: --web, else web/ beside the data directory (a build
     * tree), else inside it (installed: share/pccs/web). */
    char webdir[4096];
    if (!web && (pccs_data_path("../web/index.html", webdir, sizeof(webdir)) ||
                 pccs_data_path("web/index.html", webdir, sizeof(webdir)))) {
        webdir[strlen(webdir) - strlen("/index.html")] = '\0';
        web = webdir;
    }
    struct pccs_serve_options o = {listen,
                                   g->store,
                                   web,
                                   threads ? (unsigned)atoi(threads) : 0,
                                   g->quiet,
                                   secure};
    struct pccs_err err = PCCS_ERR_INIT;
    rc = pccs_serve(&o, &err);
    if (rc)
        return pccs_cmd_fail(rc == PCCS_EINVAL ? PCCS_EXIT_USAGE
                                               : PCCS_EXIT_INPUT,
                             "%s", err.msg);
    return 0;
}
