/* SPDX-License-Identifier: MIT */
/*
 * The libpq functions the PostgreSQL store calls, resolved with dlopen the
 * first time one is called, so a command on a SQLite store never loads
 * libpq and the libraries it brings (ssl, gssapi, ldap: about 4 million
 * instructions of dynamic linking at every start). pg*.c call the PQ*
 * functions as declared in <libpq-fe.h>; this file defines them.
 *
 * When libpq.so.5 cannot be loaded, PQconnectdb says why on stderr and
 * returns NULL, as libpq itself does when out of memory; the functions
 * called without a connection (PQfinish, PQclear, PQfreemem) do nothing.
 */
#include <libpq-fe.h>

#include "base/dynlib.h"

#define PQ_LIBRARY "libpq.so.5"

/* The functions that return a value: type, name, parameters, arguments. */
#define PQ_FUNCS(X)                                                            \
    X(char *, PQcmdTuples, (PGresult * res), (res))                            \
    X(PGconn *, PQconnectdb, (const char *conninfo), (conninfo))               \
    X(int, PQenterPipelineMode, (PGconn * conn), (conn))                       \
    X(char *, PQerrorMessage, (const PGconn *conn), (conn))                    \
    X(char *, PQescapeLiteral, (PGconn * conn, const char *str, size_t len),   \
      (conn, str, len))                                                        \
    X(PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))   \
    X(PGresult *, PQexecParams,                                                \
      (PGconn * conn, const char *command, int nParams, const Oid *paramTypes, \
       const char *const *paramValues, const int *paramLengths,                \
       const int *paramFormats, int resultFormat),                             \
      (conn, command, nParams, paramTypes, paramValues, paramLengths,          \
       paramFormats, resultFormat))                                            \
    X(PGresult *, PQexecPrepared,                                              \
      (PGconn * conn, const char *stmtName, int nParams,                       \
       const char *const *paramValues, const int *paramLengths,                \
       const int *paramFormats, int resultFormat),                             \
      (conn, stmtName, nParams, paramValues, paramLengths, paramFormats,       \
       resultFormat))                                                          \
    X(int, PQexitPipelineMode, (PGconn * conn), (conn))                        \
    X(int, PQgetCopyData, (PGconn * conn, char **buffer, int async),           \
      (conn, buffer, async))                                                   \
    X(PGresult *, PQgetResult, (PGconn * conn), (conn))                        \
    X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num),     \
      (res, tup_num, field_num))                                               \
    X(int, PQgetlength, (const PGresult *res, int tup_num, int field_num),     \
      (res, tup_num, field_num))                                               \
    X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num),   \
      (res, tup_num, field_num))                                               \
    X(int, PQntuples, (const PGresult *res), (res))                            \
    X(int, PQpipelineSync, (PGconn * conn), (conn))                            \
    X(PGresult *, PQprepare,                                                   \
      (PGconn * conn, const char *stmtName, const char *query, int nParams,    \
       const Oid *paramTypes),                                                 \
      (conn, stmtName, query, nParams, paramTypes))                            \
    X(int, PQputCopyData, (PGconn * conn, const char *buffer, int nbytes),     \
      (conn, buffer, nbytes))                                                  \
    X(int, PQputCopyEnd, (PGconn * conn, const char *errormsg),                \
      (conn, errormsg))                                                        \
    X(char *, PQresultErrorField, (const PGresult *res, int fieldcode),        \
      (res, fieldcode))                                                        \
    X(ExecStatusType, PQresultStatus, (const PGresult *res), (res))            \
    X(int, PQsendQueryPrepared,                                                \
      (PGconn * conn, const char *stmtName, int nParams,                       \
       const char *const *paramValues, const int *paramLengths,                \
       const int *paramFormats, int resultFormat),                             \
      (conn, stmtName, nParams, paramValues, paramLengths, paramFormats,       \
       resultFormat))                                                          \
    X(PQnoticeProcessor, PQsetNoticeProcessor,                                 \
      (PGconn * conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))   \
    X(ConnStatusType, PQstatus, (const PGconn *conn), (conn))

/* The functions that return nothing. */
#define PQ_VOIDS(X)                                                            \
    X(void, PQclear, (PGresult * res), (res))                                  \
    X(void, PQfinish, (PGconn * conn), (conn))                                 \
    X(void, PQfreemem, (void *ptr), (ptr))

enum { PQ_FUNCS(PCCS_DYNLIB_SYM) PQ_VOIDS(PCCS_DYNLIB_SYM) NSYMS };
static const char *const names[NSYMS] = {PQ_FUNCS(PCCS_DYNLIB_NAME)
                                             PQ_VOIDS(PCCS_DYNLIB_NAME)};
static void *fns[NSYMS];
static struct pccs_dynlib lib = {PQ_LIBRARY, names, fns, NSYMS, 0};

PQ_FUNCS(PCCS_DYNLIB_FN)
PQ_VOIDS(PCCS_DYNLIB_VOID_FN)
