/* SPDX-License-Identifier: MIT */
/*
 * The libmicrohttpd functions the server calls, resolved with dlopen the
 * first time one is called, so only `pccs serve` loads libmicrohttpd and
 * gnutls with it (about 5 million instructions of dynamic linking at
 * every start of every other command). The web code calls the MHD_*
 * functions as declared in <microhttpd.h>; this file defines them.
 *
 * When the library cannot be loaded, MHD_start_daemon says why on stderr
 * and returns NULL, as it does when the daemon cannot start; nothing else
 * is called without a daemon. The two variadic information calls are
 * forwarded without further arguments: the kinds asked for (a client's
 * address, the bound port) take none.
 */
#include <microhttpd.h>
#include <stdarg.h>

#include "base/dynlib.h"

#define MHD_LIBRARY "libmicrohttpd.so.12"

/* The functions that return a value: type, name, parameters, arguments. */
#define MHD_FUNCS(X)                                                           \
    X(enum MHD_Result, MHD_add_response_header,                                \
      (struct MHD_Response * response, const char *header,                     \
       const char *content),                                                   \
      (response, header, content))                                             \
    X(struct MHD_Response *, MHD_create_response_from_buffer,                  \
      (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode),           \
      (size, buffer, mode))                                                    \
    X(struct MHD_Response *,                                                   \
      MHD_create_response_from_buffer_with_free_callback_cls,                  \
      (size_t size, void *buffer, MHD_ContentReaderFreeCallback crfc,          \
       void *crfc_cls),                                                        \
      (size, buffer, crfc, crfc_cls))                                          \
    X(int, MHD_get_connection_values,                                          \
      (struct MHD_Connection * connection, enum MHD_ValueKind kind,            \
       MHD_KeyValueIterator iterator, void *iterator_cls),                     \
      (connection, kind, iterator, iterator_cls))                              \
    X(const char *, MHD_lookup_connection_value,                               \
      (struct MHD_Connection * connection, enum MHD_ValueKind kind,            \
       const char *key),                                                       \
      (connection, kind, key))                                                 \
    X(enum MHD_Result, MHD_queue_response,                                     \
      (struct MHD_Connection * connection, unsigned int status_code,           \
       struct MHD_Response *response),                                         \
      (connection, status_code, response))

/* The functions that return nothing. */
#define MHD_VOIDS(X)                                                           \
    X(void, MHD_destroy_response, (struct MHD_Response * response),            \
      (response))                                                              \
    X(void, MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))

/* The variadic ones, through their fixed parameters. */
#define MHD_VARIADIC(X)                                                        \
    X(struct MHD_Daemon *, MHD_start_daemon_va,                                \
      (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,        \
       void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap), \
      ())                                                                      \
    X(const union MHD_ConnectionInfo *, MHD_get_connection_info,               \
      (struct MHD_Connection * connection,                                     \
       enum MHD_ConnectionInfoType info_type, ...),                            \
      ())                                                                      \
    X(const union MHD_DaemonInfo *, MHD_get_daemon_info,                       \
      (struct MHD_Daemon * daemon, enum MHD_DaemonInfoType info_type, ...),    \
      ())

enum {
    MHD_FUNCS(PCCS_DYNLIB_SYM) MHD_VOIDS(PCCS_DYNLIB_SYM)
        MHD_VARIADIC(PCCS_DYNLIB_SYM) NSYMS
};
static const char *const names[NSYMS] = {MHD_FUNCS(PCCS_DYNLIB_NAME) MHD_VOIDS(
    PCCS_DYNLIB_NAME) MHD_VARIADIC(PCCS_DYNLIB_NAME)};
static void *fns[NSYMS];
static struct pccs_dynlib lib = {MHD_LIBRARY, names, fns, NSYMS, 0};

MHD_FUNCS(PCCS_DYNLIB_FN)
MHD_VOIDS(PCCS_DYNLIB_VOID_FN)

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
                 MHD_AcceptPolicyCallback apc, void *apc_cls,
                 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    struct MHD_Daemon *(*f)(unsigned int, uint16_t, MHD_AcceptPolicyCallback,
                            void *, MHD_AccessHandlerCallback, void *, va_list);
    if (!pccs_dynlib_fn(&lib, SYM_MHD_start_daemon_va, &f, sizeof(f)))
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = f(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

const union MHD_ConnectionInfo *
MHD_get_connection_info(struct MHD_Connection *connection,
                        enum MHD_ConnectionInfoType info_type, ...)
{
    const union MHD_ConnectionInfo *(*f)(struct MHD_Connection *,
                                         enum MHD_ConnectionInfoType, ...);
    if (!pccs_dynlib_fn(&lib, SYM_MHD_get_connection_info, &f, sizeof(f)))
        return NULL;
    return f(connection, info_type);
}

const union MHD_DaemonInfo *
MHD_get_daemon_info(struct MHD_Daemon *daemon,
                    enum MHD_DaemonInfoType info_type, ...)
{
    const union MHD_DaemonInfo *(*f)(struct MHD_Daemon *,
                                     enum MHD_DaemonInfoType, ...);
    if (!pccs_dynlib_fn(&lib, SYM_MHD_get_daemon_info, &f, sizeof(f)))
        return NULL;
    return f(daemon, info_type);
}
