/* SPDX-License-Identifier: MIT */
/*
 * The libzip functions the xlsx reader calls, resolved with dlopen the
 * first time one is called, so only a command that reads an xlsx file
 * loads libzip and what it brings (libcrypto, libbz2, libz: most of the
 * dynamic linking of every start otherwise). formats/xlsx.c calls the
 * zip_* functions as declared in <zip.h>; this file defines them.
 *
 * When libzip.so.4 cannot be loaded, the first call says why on stderr;
 * zip_open then fails as for a file it cannot open (ZIP_ER_OPEN), the
 * buffer source is not created, and the error strings read "library not
 * loaded". Nothing else is called without an archive.
 */
#include <zip.h>

#include "base/dynlib.h"

#define ZIP_LIBRARY "libzip.so.4"

/* The functions that return a value: type, name, parameters, arguments. */
#define ZIP_FUNCS(X)                                                           \
    X(int, zip_fclose, (zip_file_t * file), (file))                            \
    X(zip_file_t *, zip_fopen,                                                 \
      (zip_t * archive, const char *fname, zip_flags_t flags),                 \
      (archive, fname, flags))                                                 \
    X(zip_int64_t, zip_fread,                                                  \
      (zip_file_t * file, void *buf, zip_uint64_t nbytes),                     \
      (file, buf, nbytes))                                                     \
    X(zip_t *, zip_open_from_source,                                           \
      (zip_source_t * source, int flags, zip_error_t *error),                  \
      (source, flags, error))                                                  \
    X(zip_source_t *, zip_source_buffer_create,                                \
      (const void *data, zip_uint64_t len, int freep, zip_error_t *error),     \
      (data, len, freep, error))                                               \
    X(int, zip_stat,                                                           \
      (zip_t * archive, const char *fname, zip_flags_t flags, zip_stat_t *sb), \
      (archive, fname, flags, sb))

/* The ones that return a message. */
#define ZIP_STRS(X)                                                            \
    X(const char *, zip_error_strerror, (zip_error_t * error), (error))        \
    X(const char *, zip_file_strerror, (zip_file_t * file), (file))            \
    X(const char *, zip_strerror, (zip_t * archive), (archive))

/* The functions that return nothing. */
#define ZIP_VOIDS(X)                                                           \
    X(void, zip_discard, (zip_t * archive), (archive))                         \
    X(void, zip_error_fini, (zip_error_t * error), (error))                    \
    X(void, zip_error_init, (zip_error_t * error), (error))                    \
    X(void, zip_error_init_with_code, (zip_error_t * error, int ze),           \
      (error, ze))                                                             \
    X(void, zip_source_free, (zip_source_t * source), (source))

/* zip_open, which sets *errorp when the library is missing. */
#define ZIP_OPEN(X)                                                            \
    X(zip_t *, zip_open, (const char *path, int flags, int *errorp),           \
      (path, flags, errorp))

enum {
    ZIP_FUNCS(PCCS_DYNLIB_SYM) ZIP_STRS(PCCS_DYNLIB_SYM)
        ZIP_VOIDS(PCCS_DYNLIB_SYM) ZIP_OPEN(PCCS_DYNLIB_SYM) NSYMS
};
static const char *const names[NSYMS] = {ZIP_FUNCS(PCCS_DYNLIB_NAME) ZIP_STRS(
    PCCS_DYNLIB_NAME) ZIP_VOIDS(PCCS_DYNLIB_NAME) ZIP_OPEN(PCCS_DYNLIB_NAME)};
static void *fns[NSYMS];
static struct pccs_dynlib lib = {ZIP_LIBRARY, names, fns, NSYMS, 0};

ZIP_FUNCS(PCCS_DYNLIB_FN)
ZIP_STRS(PCCS_DYNLIB_STR_FN)
ZIP_VOIDS(PCCS_DYNLIB_VOID_FN)

zip_t *
zip_open(const char *path, int flags, int *errorp)
{
    zip_t *(*f)(const char *, int, int *);
    if (!pccs_dynlib_fn(&lib, SYM_zip_open, &f, sizeof(f))) {
        if (errorp)
            *errorp = ZIP_ER_OPEN;
        return NULL;
    }
    return f(path, flags, errorp);
}
