/* SPDX-License-Identifier: MIT */
#include "base/path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"

static bool
exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

bool
pccs_data_path(const char *rel, char *out, size_t n)
{
    const char *env = getenv("PCCS_DATA");
    if (env && *env) {
        snprintf(out, n, "%s/%s", env, rel);
        if (exists(out))
            return true;
    }
    snprintf(out, n, "data/%s", rel);
    if (exists(out))
        return true;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const up[] = {"data", "../data", "../../data",
                                         "../share/pccs"};
        for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
            snprintf(out, n, "%s/%s/%s", exe, up[i], rel);
            if (exists(out))
                return true;
        }
    }
    snprintf(out, n, "data/%s", rel);
    return false;
}

int
pccs_path_commit(const char *tmp, const char *path, int rc,
                 struct pccs_err *err)
{
    if (!rc && rename(tmp, path))
        rc = pccs_err_set(err, PCCS_EIO, "%s: cannot write: %s", path,
                          strerror(errno));
    if (rc)
        remove(tmp);
    return rc;
}
