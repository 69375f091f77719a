// LazyPQ: libpq loaded on first use.
//
// Why: libpq needs OpenSSL, GSSAPI/Kerberos, LDAP and SASL (a dozen shared libraries). Linked
// normally, the dynamic loader maps and relocates all of them before main, about 4.5 MiB of an
// idle `purse serve`'s resident set, in every process, although only a ledger given as a
// postgresql:// URL ever calls libpq. (libcurl, which needs the same libraries, is loaded the same
// way: CCurl/LazyCurl.c.)
//
// So libpq is not linked. This file defines every PQ* function PostgresClient calls as a
// forwarder that loads libpq with dlopen once and calls the real function: the first connection
// pays the load (a few milliseconds, once per process); later calls cost one indirect call.
// PostgresConnection checks purse_pq_load() before connecting, so a missing libpq is a clear
// error there rather than a failure value from a forwarder.

#include "shim.h"

#include "lazy_load.h"
#include <pthread.h>
#include <stddef.h>

// Every function: X(return type, name, (parameters), (arguments), value when libpq is missing).
#define PURSE_PQ_FUNCTIONS(X, V)                                                                          \
    X(int, PQbackendPID, (const PGconn *conn), (conn), 0)                                                 \
    V(PQclear, (PGresult *res), (res))                                                                    \
    X(char *, PQcmdStatus, (PGresult *res), (res), NULL)                                                  \
    X(char *, PQcmdTuples, (PGresult *res), (res), NULL)                                                  \
    X(PostgresPollingStatusType, PQconnectPoll, (PGconn *conn), (conn), PGRES_POLLING_FAILED)             \
    X(PGconn *, PQconnectStartParams, (const char *const *keywords, const char *const *values, int expand),\
      (keywords, values, expand), NULL)                                                                   \
    X(int, PQconnectionNeedsPassword, (const PGconn *conn), (conn), 0)                                    \
    X(int, PQenterPipelineMode, (PGconn *conn), (conn), 0)                                                \
    X(char *, PQerrorMessage, (const PGconn *conn), (conn), (char *)"libpq could not be loaded")          \
    X(char *, PQescapeLiteral, (PGconn *conn, const char *str, size_t len), (conn, str, len), NULL)       \
    X(PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query), NULL)                         \
    X(PGresult *, PQexecParams, (PGconn *conn, const char *command, int n, const Oid *types,              \
      const char *const *values, const int *lengths, const int *formats, int resultFormat),               \
      (conn, command, n, types, values, lengths, formats, resultFormat), NULL)                            \
    X(int, PQexitPipelineMode, (PGconn *conn), (conn), 0)                                                 \
    V(PQfinish, (PGconn *conn), (conn))                                                                   \
    X(char *, PQfname, (const PGresult *res, int field), (res, field), NULL)                              \
    V(PQfreemem, (void *ptr), (ptr))                                                                      \
    X(PGresult *, PQgetResult, (PGconn *conn), (conn), NULL)                                              \
    X(int, PQgetisnull, (const PGresult *res, int row, int field), (res, row, field), 1)                  \
    X(char *, PQgetvalue, (const PGresult *res, int row, int field), (res, row, field), NULL)             \
    X(int, PQnfields, (const PGresult *res), (res), 0)                                                    \
    X(int, PQntuples, (const PGresult *res), (res), 0)                                                    \
    X(int, PQpipelineSync, (PGconn *conn), (conn), 0)                                                     \
    X(char *, PQresultErrorField, (const PGresult *res, int code), (res, code), NULL)                     \
    X(char *, PQresultErrorMessage, (const PGresult *res), (res), (char *)"libpq could not be loaded")    \
    X(ExecStatusType, PQresultStatus, (const PGresult *res), (res), PGRES_FATAL_ERROR)                    \
    X(int, PQsendQueryParams, (PGconn *conn, const char *command, int n, const Oid *types,                \
      const char *const *values, const int *lengths, const int *formats, int resultFormat),               \
      (conn, command, n, types, values, lengths, formats, resultFormat), 0)                               \
    X(int, PQsendQueryPrepared, (PGconn *conn, const char *name, int n, const char *const *values,        \
      const int *lengths, const int *formats, int resultFormat),                                          \
      (conn, name, n, values, lengths, formats, resultFormat), 0)                                         \
    X(int, PQserverVersion, (const PGconn *conn), (conn), 0)                                              \
    X(PGVerbosity, PQsetErrorVerbosity, (PGconn *conn, PGVerbosity verbosity), (conn, verbosity),         \
      PQERRORS_DEFAULT)                                                                                   \
    X(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg),         \
      (conn, proc, arg), NULL)                                                                            \
    X(int, PQsocket, (const PGconn *conn), (conn), -1)                                                    \
    X(int, PQsslInUse, (PGconn *conn), (conn), 0)                                                         \
    X(ConnStatusType, PQstatus, (const PGconn *conn), (conn), CONNECTION_BAD)                             \
    X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn), PQTRANS_UNKNOWN)

#define FIELD(type, name, params, args, failure) type(*name) params;
#define VFIELD(name, params, args) void(*name) params;
static struct {
    PURSE_PQ_FUNCTIONS(FIELD, VFIELD)
} fn;
#undef FIELD
#undef VFIELD

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int usable;
static char load_error[256];

#if defined(__APPLE__)
static const char *const candidates[] = {"libpq.5.dylib", "libpq.dylib", NULL};
#else
static const char *const candidates[] = {"libpq.so.5", "libpq.so", NULL};
#endif

static void load(void) {
    void *lib = purse_lazy_open(candidates, "libpq (install libpq5)", load_error, sizeof load_error);
    if (!lib) return;
#define BIND(name)                                                                                       \
    do {                                                                                                 \
        *(void **)(&fn.name) = purse_lazy_symbol(lib, #name, "libpq", "older than 14?", load_error, sizeof load_error); \
        if (!fn.name) return;                                                                            \
    } while (0);
#define XBIND(type, name, params, args, failure) BIND(name)
#define VBIND(name, params, args) BIND(name)
    PURSE_PQ_FUNCTIONS(XBIND, VBIND)
#undef XBIND
#undef VBIND
#undef BIND
    usable = 1;
}

int purse_pq_load(void) {
    pthread_once(&once, load);
    return usable;
}

const char *purse_pq_load_error(void) { return purse_pq_load() ? NULL : load_error; }

// ---- The forwarders ------------------------------------------------------------------------

#define FORWARD(type, name, params, args, failure)     \
    type name params {                                 \
        if (!purse_pq_load()) return failure;          \
        return fn.name args;                           \
    }
#define VFORWARD(name, params, args)                   \
    void name params {                                 \
        if (purse_pq_load()) fn.name args;             \
    }
PURSE_PQ_FUNCTIONS(FORWARD, VFORWARD)
