#ifndef BASELINE_H
#define BASELINE_H

/* What one run of baseline_allocate_many did. */
typedef struct {
    int allocated;        /* allocations that found a batch */
    int out_of_stock;     /* allocations that found none (the line is kept waiting, with an OutOfStock event) */
    double seconds;       /* wall time of the allocation loop alone (open and prepare excluded) */
    int rc;               /* 0 on success, else the SQLite result code that stopped the run */
    char message[256];    /* SQLite's message when rc != 0 */
} baseline_result;

/*
 * Allocates `count` new order lines in the database file `path` (already migrated and seeded), one transaction
 * each, with the same SQL statements in the same order as the Swift bus runs for `Allocate` of a new line.
 *
 * Line i is orderid "<order_prefix><i>", sku skus[i % sku_count], qty 1 + i % 7. `synchronous` is the
 * PRAGMA synchronous level ("FULL" or "NORMAL"); every event records `operator_name`. Returns 0 on success, else
 * the failing result code (also in out->rc with out->message).
 */
int baseline_allocate_many(const char *path, const char *synchronous, const char *const *skus, int sku_count,
                           int count, const char *order_prefix, const char *operator_name, baseline_result *out);

#endif
