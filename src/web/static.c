/* SPDX-License-Identifier: MIT */
/* The dashboard's files, from the directory given with --web. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"
#include "web/web.h"

static const char *
content_type(const char *path)
{
    const char *dot = strrchr(path, '.');
    return !dot                    ? "application/octet-stream"
           : !strcmp(dot, ".html") ? "text/html; charset=utf-8"
           : !strcmp(dot, ".css")  ? "text/css"
           : !strcmp(dot, ".js")   ? "text/javascript"
           : !strcmp(dot, ".svg")  ? "image/svg+xml"
           : !strcmp(dot, ".png")  ? "image/png"
           : !strcmp(dot, ".ico")  ? "image/x-icon"
           : !strcmp(dot, ".json") ? "application/json"
                                   : "application/octet-stream";
}

/* A file of the dashboard: a path under --web that starts with one '/'
 * (so never a name beside the directory), no "..", no hidden files, no
 * backslashes. */
int
pccs_web_static(struct pccs_web_server *sv, struct pccs_web_request *rq,
                struct pccs_web_reply *r, struct pccs_err *err)
{
    const char *url = rq->url;
    if (!sv->o->web || url[0] != '/' || url[1] == '/' || strstr(url, "..") ||
        strstr(url, "/.") || strchr(url, '\\'))
        return pccs_err_set(err, PCCS_ENOTFOUND, "not found");
    char path[4096];
    snprintf(path, sizeof(path), "%s%s%s", sv->o->web, url,
             url[strlen(url) - 1] == '/' ? "index.html" : "");
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
        if (f)
            fclose(f);
        return pccs_err_set(err, PCCS_ENOTFOUND, "not found");
    }
    r->body = pccs_xmalloc((size_t)sb.st_size + 1);
    r->len = fread(r->body, 1, (size_t)sb.st_size, f);
    fclose(f);
    r->type = content_type(path);
    return PCCS_OK;
}
