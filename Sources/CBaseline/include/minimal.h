#ifndef MINIMAL_H
#define MINIMAL_H

/* One batch to seed: `eta` is NULL for a batch in stock, else `YYYY-MM-DD`. */
typedef struct {
    const char *reference;
    const char *sku;
    int qty;
    const char *eta;
} minimal_batch;

/* One order line to allocate. */
typedef struct {
    const char *orderid;
    const char *sku;
    int qty;
} minimal_order;

/* What one run of minimal_allocate_run did. */
typedef struct {
    int allocated;            /* lines that found a batch */
    int out_of_stock;         /* lines that found none (nothing written for them) */
    long long allocated_qty;  /* units allocated in total */
    double seconds;           /* wall time of the allocation loop alone (create, seed and prepare excluded) */
    int rc;                   /* 0 on success, else the SQLite result code that stopped the run */
    char message[256];        /* SQLite's message when rc != 0 */
} minimal_result;

/*
 * The smallest hand-written program that keeps the same data as `stock apply` for Allocate: creates a new
 * database file at `path` (WAL, PRAGMA synchronous `synchronous`, default page size) with a minimal schema, seeds
 * `batches` (untimed), then allocates each of `orders` in its own BEGIN IMMEDIATE transaction with statements
 * prepared once. Returns 0 on success, else the failing result code (also in out->rc with out->message).
 */
int minimal_allocate_run(const char *path, const char *synchronous, const minimal_batch *batches, int batch_count,
                         const minimal_order *orders, int order_count, minimal_result *out);

/*
 * minimal_allocate_run with grouped commits when `group` > 1: the batches keep what is allocated in a column
 * (the read no longer sums the allocations), and the orders run in BEGIN IMMEDIATE transactions committed every
 * `group` commands, each command inside its own SAVEPOINT (RELEASE, or ROLLBACK TO on an error): the minimum for
 * grouped all-or-nothing commands. `group` <= 1 is minimal_allocate_run.
 */
int minimal_allocate_grouped_run(const char *path, const char *synchronous, const minimal_batch *batches,
                                 int batch_count, const minimal_order *orders, int order_count, int group,
                                 minimal_result *out);

#endif
