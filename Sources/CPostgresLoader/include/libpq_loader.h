#ifndef STOCK_LIBPQ_LOADER_H
#define STOCK_LIBPQ_LOADER_H

/// Loads the PostgreSQL client library (libpq.so.5) the first time it is called, in any thread, and returns NULL
/// once it is loaded with every function stock calls, or why it could not be (for the error message). Call it
/// before the first libpq function: this target defines each of them, and each forwards to the loaded library,
/// so a run that never names a server never loads libpq or the libraries it needs (TLS, Kerberos, LDAP).
const char *stock_libpq_failure(void);

#endif
