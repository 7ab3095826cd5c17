// The libpq functions stock calls, defined here and forwarded to libpq.so.5 loaded on first use, so that the
// program does not link libpq and a run on SQLite never loads it. Each definition has libpq's own prototype
// (from libpq-fe.h), so the compiler checks that the forwarding matches.

#include "libpq_loader.h"

#include <dlfcn.h>
#include <postgresql/libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// X(return type, name, parameters, arguments) for the functions that return a value, V(...) for the others.
#define STOCK_LIBPQ_FUNCTIONS(X, V) \
    X(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), \
      (keywords, values, expand_dbname)) \
    V(PQfinish, (PGconn *conn), (conn)) \
    X(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg)) \
    V(PQconninfoFree, (PQconninfoOption *connOptions), (connOptions)) \
    X(PGcancel *, PQgetCancel, (PGconn *conn), (conn)) \
    V(PQfreeCancel, (PGcancel *cancel), (cancel)) \
    X(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize)) \
    X(ConnStatusType, PQstatus, (const PGconn *conn), (conn)) \
    X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn)) \
    X(char *, PQerrorMessage, (const PGconn *conn), (conn)) \
    X(int, PQsocket, (const PGconn *conn), (conn)) \
    X(int, PQbackendPID, (const PGconn *conn), (conn)) \
    X(char *, PQhost, (const PGconn *conn), (conn)) \
    X(char *, PQport, (const PGconn *conn), (conn)) \
    X(const char *, PQparameterStatus, (const PGconn *conn, const char *paramName), (conn, paramName)) \
    X(PQnoticeReceiver, PQsetNoticeReceiver, (PGconn *conn, PQnoticeReceiver proc, void *arg), (conn, proc, arg)) \
    X(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query)) \
    X(int, PQsendPrepare, \
      (PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes), \
      (conn, stmtName, query, nParams, paramTypes)) \
    X(int, PQsendQueryPrepared, \
      (PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues, const int *paramLengths, \
       const int *paramFormats, int resultFormat), \
      (conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat)) \
    X(PGresult *, PQgetResult, (PGconn *conn), (conn)) \
    X(int, PQisBusy, (PGconn *conn), (conn)) \
    X(int, PQconsumeInput, (PGconn *conn), (conn)) \
    X(int, PQenterPipelineMode, (PGconn *conn), (conn)) \
    X(int, PQexitPipelineMode, (PGconn *conn), (conn)) \
    X(int, PQpipelineSync, (PGconn *conn), (conn)) \
    X(PGnotify *, PQnotifies, (PGconn *conn), (conn)) \
    X(int, PQflush, (PGconn *conn), (conn)) \
    X(ExecStatusType, PQresultStatus, (const PGresult *res), (res)) \
    X(char *, PQresultErrorMessage, (const PGresult *res), (res)) \
    X(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode)) \
    X(int, PQntuples, (const PGresult *res), (res)) \
    X(int, PQnfields, (const PGresult *res), (res)) \
    X(char *, PQcmdTuples, (PGresult *res), (res)) \
    X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    V(PQclear, (PGresult *res), (res)) \
    V(PQfreemem, (void *ptr), (ptr))

#define STOCK_POINTER(type, name, parameters, arguments) static type(*loaded_##name) parameters;
#define STOCK_VOID_POINTER(name, parameters, arguments) static void(*loaded_##name) parameters;
STOCK_LIBPQ_FUNCTIONS(STOCK_POINTER, STOCK_VOID_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void load(void) {
    // The tests name a library that does not exist here, to see what a machine without libpq says.
    const char *name = getenv("STOCK_TEST_LIBPQ");
    void *library = dlopen(name != NULL && name[0] != '\0' ? name : "libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure, "cannot load the PostgreSQL client library: %s",
                 reason ? reason : "libpq.so.5 not found");
        return;
    }
#define STOCK_RESOLVE(name) \
    *(void **)(&loaded_##name) = dlsym(library, #name); \
    if (loaded_##name == NULL) { \
        snprintf(failure, sizeof failure, "the PostgreSQL client library libpq.so.5 has no %s (too old?)", #name); \
        return; \
    }
#define STOCK_RESOLVE_VALUE(type, name, parameters, arguments) STOCK_RESOLVE(name)
#define STOCK_RESOLVE_VOID(name, parameters, arguments) STOCK_RESOLVE(name)
    STOCK_LIBPQ_FUNCTIONS(STOCK_RESOLVE_VALUE, STOCK_RESOLVE_VOID)
}

const char *stock_libpq_failure(void) {
    pthread_once(&once, load);
    return failure[0] != '\0' ? failure : NULL;
}

#define STOCK_FORWARD(type, name, parameters, arguments) \
    type name parameters { \
        pthread_once(&once, load); \
        return loaded_##name arguments; \
    }
#define STOCK_FORWARD_VOID(name, parameters, arguments) \
    void name parameters { \
        pthread_once(&once, load); \
        loaded_##name arguments; \
    }
STOCK_LIBPQ_FUNCTIONS(STOCK_FORWARD, STOCK_FORWARD_VOID)
