/* SPDX-License-Identifier: MIT */
/*
 * Status codes and the caller-owned error record used across pccs.
 *
 * Every function that can fail returns PCCS_OK or a negative PCCS_E* code
 * and, when given a struct pccs_err, writes a human-readable message into
 * it. Filling the message never allocates. Ingest errors carry the file,
 * the line and the column (the 1-based field number) of the problem.
 */
#ifndef PCCS_ERR_H
#define PCCS_ERR_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum pccs_status {
    PCCS_OK = 0,
    PCCS_EINVAL = -1,
    PCCS_EIO = -2,
    PCCS_EPARSE = -3,
    PCCS_ENOTFOUND = -4,
    PCCS_ECONFLICT = -5,
    PCCS_EDB = -6,
    PCCS_EFORBIDDEN = -7,
    PCCS_EUNSUPPORTED = -8
};

/*
 * The message buffer is larger than the 256 bytes STYLE.md sketches: a
 * refused file's message names every column expected and found.
 */
struct pccs_err {
    int code;
    char msg[1024];
    int64_t line, col;
};

#define PCCS_ERR_INIT                                                          \
    {                                                                          \
        0, {0}, 0, 0                                                           \
    }

/** Return a static description of a PCCS_E* code. */
const char *pccs_strerror(int code);

/**
 * Set err (if not NULL) to code with a printf-style message and return
 * code, so callers can write `return pccs_err_set(err, PCCS_EINVAL, ...)`.
 */
int pccs_err_set(struct pccs_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Like pccs_err_set() but for a position in a file: the message becomes
 * "FILE:LINE:COL: text" and err->line, err->col are set. A line or column
 * of 0 is left out of the message.
 */
int pccs_err_at(struct pccs_err *err, int code, const char *file, int64_t line,
                int64_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#ifdef __clang_analyzer__
/*
 * For clang's static analyzer (make lint) only: it cannot see into err.c,
 * so it would take `return pccs_err_set(err, PCCS_EINVAL, ...)` for a
 * call that may return 0 and report the caller's results as unset on
 * that "success". Say here what err.c does: the result is code.
 */
#define pccs_err_set(err, code, ...)                                           \
    (pccs_err_set((err), (code), __VA_ARGS__), (code))
#define pccs_err_at(err, code, ...)                                            \
    (pccs_err_at((err), (code), __VA_ARGS__), (code))
#endif

/** Clear err back to PCCS_ERR_INIT. */
void pccs_err_clear(struct pccs_err *err);

/*
 * Programmer errors. Stays on in release builds: prints file:line:expr
 * and aborts.
 */
#define PCCS_ASSERT(expr)                                                      \
    do {                                                                       \
        if (!(expr)) {                                                         \
            fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__,         \
                    __LINE__, #expr);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
