/* SPDX-License-Identifier: MIT */
/* Status code names and the formatting of struct pccs_err messages. */
#include "base/err.h"

#include <stdarg.h>
#include <string.h>

/* The functions themselves, not the analyzer's view of them (err.h). */
#undef pccs_err_set
#undef pccs_err_at

const char *
pccs_strerror(int code)
{
    switch (code) {
    case PCCS_OK:
        return "success";
    case PCCS_EINVAL:
        return "invalid argument";
    case PCCS_EIO:
        return "input/output error";
    case PCCS_EPARSE:
        return "malformed input";
    case PCCS_ENOTFOUND:
        return "not found";
    case PCCS_ECONFLICT:
        return "conflict";
    case PCCS_EDB:
        return "store error";
    case PCCS_EFORBIDDEN:
        return "forbidden";
    case PCCS_EUNSUPPORTED:
        return "unsupported";
    default:
        return "unknown error";
    }
}

int
pccs_err_set(struct pccs_err *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->code = code;
    err->line = 0;
    err->col = 0;
    return code;
}

int
pccs_err_at(struct pccs_err *err, int code, const char *file, int64_t line,
            int64_t col, const char *fmt, ...)
{
    if (!err)
        return code;
    size_t n = 0;
    int k;
    if (line > 0 && col > 0)
        k = snprintf(err->msg, sizeof(err->msg),
                     "%s:%lld:%lld: ", file ? file : "-", (long long)line,
                     (long long)col);
    else if (line > 0)
        k = snprintf(err->msg, sizeof(err->msg), "%s:%lld: ", file ? file : "-",
                     (long long)line);
    else
        k = snprintf(err->msg, sizeof(err->msg), "%s: ", file ? file : "-");
    if (k > 0)
        n = (size_t)k < sizeof(err->msg) ? (size_t)k : sizeof(err->msg) - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
    va_end(ap);
    err->code = code;
    err->line = line;
    err->col = col;
    return code;
}

void
pccs_err_clear(struct pccs_err *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
}
