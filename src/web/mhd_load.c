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
#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

#define POINTER(ret, name, params, args) static ret(*p_##name) params;
MHD_FUNCS(POINTER)
MHD_VOIDS(POINTER)
MHD_VARIADIC(POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool loaded;

/* Resolve one symbol into its pointer (memcpy: ISO C has no cast). */
static bool
resolve(void *lib, const char *name, void *fn, size_t size)
{
    void *sym = dlsym(lib, name);
    if (!sym)
        return false;
    memcpy(fn, &sym, size);
    return true;
}

static void
load(void)
{
    void *lib = dlopen(MHD_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "pccs: cannot load %s: %s\n", MHD_LIBRARY, dlerror());
        return;
    }
    bool ok = true;
#define RESOLVE(ret, name, params, args)                                       \
    ok = ok && resolve(lib, #name, &p_##name, sizeof(p_##name));
    MHD_FUNCS(RESOLVE)
    MHD_VOIDS(RESOLVE)
    MHD_VARIADIC(RESOLVE)
#undef RESOLVE
    if (!ok)
        fprintf(stderr, "pccs: %s: %s\n", MHD_LIBRARY, dlerror());
    loaded = ok;
}

static bool
ready(void)
{
    pthread_once(&once, load);
    return loaded;
}

#define DEFINE(ret, name, params, args)                                        \
    ret name params                                                            \
    {                                                                          \
        if (!ready())                                                          \
            return (ret)0;                                                     \
        return p_##name args;                                                  \
    }
MHD_FUNCS(DEFINE)

#define DEFINE_VOID(ret, name, params, args)                                   \
    ret name params                                                            \
    {                                                                          \
        if (ready())                                                           \
            p_##name args;                                                     \
    }
MHD_VOIDS(DEFINE_VOID)

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
                 MHD_AcceptPolicyCallback apc, void *apc_cls,
                 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    if (!ready())
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d =
        p_MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

const union MHD_ConnectionInfo *
MHD_get_connection_info(struct MHD_Connection *connection,
                        enum MHD_ConnectionInfoType info_type, ...)
{
    return ready() ? p_MHD_get_connection_info(connection, info_type) : NULL;
}

const union MHD_DaemonInfo *
MHD_get_daemon_info(struct MHD_Daemon *daemon,
                    enum MHD_DaemonInfoType info_type, ...)
{
    return ready() ? p_MHD_get_daemon_info(daemon, info_type) : NULL;
}
