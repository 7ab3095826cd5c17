#ifndef CPOSTGRES_SHIM_H
#define CPOSTGRES_SHIM_H
// libpq's declarations only: the program does not link libpq. Its functions are defined by the CPostgresLoader
// target, which loads libpq.so.5 the first time a server is named.
#include <postgresql/libpq-fe.h>
#endif
