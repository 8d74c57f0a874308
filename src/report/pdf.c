/* SPDX-License-Identifier: MIT */
/* HTML to PDF through headless Chromium. */
#include "report/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/path.h"

extern char **environ;

/* The Chromium to run, into out (PATH_MAX bytes); false when none. */
static bool
find_chromium(char *out, size_t n)
{
    const char *env = getenv("PCCS_CHROMIUM");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return access(out, X_OK) == 0;
    }
    static const char *const names[] = {"chromium", "chromium-browser",
                                        "google-chrome"};
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        for (const char *p = path; *p;) {
            const char *end = strchr(p, ':');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            snprintf(out, n, "%.*s/%s", (int)len, p, names[i]);
            if (len && access(out, X_OK) == 0)
                return true;
            p += len + (end != NULL);
        }
    return false;
}

/* Does path hold a PDF (it starts %PDF-)? */
static bool
is_pdf(const char *path)
{
    char head[5] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    return n == sizeof(head) && !memcmp(head, "%PDF-", 5);
}

/* Run argv with stdout and stderr sent to /dev/null; its exit status. */
static int
run_quiet(char **argv, int *status, struct pccs_err *err)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc)
        return pccs_err_set(err, PCCS_EIO, "%s: cannot run: %s", argv[0],
                            strerror(rc));
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return pccs_err_set(err, PCCS_EIO, "%s: %s", argv[0],
                                strerror(errno));
    return PCCS_OK;
}

int
pccs_report_pdf(const char *html_path, const char *pdf_path,
                struct pccs_err *err)
{
    char exe[PATH_MAX], abs[PATH_MAX + 8];
    if (!find_chromium(exe, sizeof(exe)))
        return pccs_err_set(err, PCCS_ENOTFOUND,
                            "no Chromium to print the PDF with: install the "
                            "Debian package chromium (or set PCCS_CHROMIUM)");
    /* Chromium takes a URL: file:// and the absolute path. */
    if (strlen(html_path) >= PATH_MAX)
        return pccs_err_set(err, PCCS_EINVAL, "%.200s...: path too long",
                            html_path);
    if (html_path[0] == '/')
        snprintf(abs, sizeof(abs), "%s", html_path);
    else if (!getcwd(abs, sizeof(abs) - 1 - strlen(html_path)))
        return pccs_err_set(err, PCCS_EIO, "%s: %s", html_path,
                            strerror(errno));
    else
        snprintf(abs + strlen(abs), sizeof(abs) - strlen(abs), "/%s",
                 html_path);
    char url[PATH_MAX + 16], out[PATH_MAX + 32], tmp[PATH_MAX + 16];
    snprintf(url, sizeof(url), "file://%s", abs);
    snprintf(tmp, sizeof(tmp), "%s.part", pdf_path);
    snprintf(out, sizeof(out), "--print-to-pdf=%s", tmp);
    char *argv[] = {exe,
                    (char *)"--headless",
                    (char *)"--no-sandbox",
                    (char *)"--disable-gpu",
                    (char *)"--no-pdf-header-footer",
                    (char *)"--no-first-run",
                    out,
                    url,
                    NULL};
    remove(tmp);
    int status = 0;
    int rc = run_quiet(argv, &status, err);
    if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0 && is_pdf(tmp)))
        rc = pccs_err_set(
            err, PCCS_EIO, "%s: Chromium wrote no PDF (exit status %d)",
            pdf_path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return pccs_path_commit(tmp, pdf_path, rc, err);
}
