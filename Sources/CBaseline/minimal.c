/*
 * The minimal C program stock-bench holds `stock apply` against: what a careful programmer would write by hand for
 * the allocation rule, with no versioned records, no triggers and no event log, only a read-model row per
 * allocation. Availability is computed on read (purchased minus the allocated lines) as the plainest schema does.
 */
/* clock_gettime is POSIX, not ISO C. */
#define _POSIX_C_SOURCE 200809L

#include "minimal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE products (sku TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE batches (id INTEGER PRIMARY KEY, reference TEXT NOT NULL, sku TEXT NOT NULL,"
    " purchased INTEGER NOT NULL, eta TEXT);"
    "CREATE INDEX batches_by_sku ON batches (sku);"
    "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL,"
    " orderid TEXT NOT NULL);"
    "CREATE TABLE allocations (id INTEGER PRIMARY KEY, orderline_id INTEGER NOT NULL, batch_id INTEGER NOT NULL);"
    "CREATE INDEX allocations_by_batch ON allocations (batch_id);"
    "CREATE TABLE allocations_view (orderid TEXT NOT NULL, sku TEXT NOT NULL, batchref TEXT NOT NULL);"
    "CREATE INDEX allocations_view_by_orderid ON allocations_view (orderid);";

enum {
    M_BEGIN, M_BATCHES, M_INSERT_LINE, M_ALLOCATE, M_BUMP_VERSION, M_INSERT_VIEW, M_COMMIT, M_ROLLBACK,
    M_INSERT_PRODUCT, M_INSERT_BATCH, M_COUNT,
    /* Grouped runs only: availability kept in a column, a savepoint per command. */
    M_BATCHES_KEPT = M_COUNT, M_KEEP, M_SAVEPOINT, M_RELEASE, M_ROLLBACK_TO, M_GROUPED_COUNT
};

static const char *const sql_text[M_GROUPED_COUNT] = {
    [M_BEGIN] = "BEGIN IMMEDIATE",
    [M_BATCHES] = "SELECT b.id, b.reference, b.purchased - coalesce((SELECT sum(l.qty) FROM allocations AS a "
                  "JOIN order_lines AS l ON l.id = a.orderline_id WHERE a.batch_id = b.id), 0) "
                  "FROM batches AS b WHERE b.sku = ? ORDER BY b.eta IS NOT NULL, b.eta, b.reference",
    [M_INSERT_LINE] = "INSERT INTO order_lines (sku, qty, orderid) VALUES (?, ?, ?)",
    [M_ALLOCATE] = "INSERT INTO allocations (orderline_id, batch_id) VALUES (?, ?)",
    [M_BUMP_VERSION] = "UPDATE products SET version = version + 1 WHERE sku = ?",
    [M_INSERT_VIEW] = "INSERT INTO allocations_view (orderid, sku, batchref) VALUES (?, ?, ?)",
    [M_COMMIT] = "COMMIT",
    [M_ROLLBACK] = "ROLLBACK",
    [M_INSERT_PRODUCT] = "INSERT OR IGNORE INTO products (sku) VALUES (?)",
    [M_INSERT_BATCH] = "INSERT INTO batches (reference, sku, purchased, eta) VALUES (?, ?, ?, ?)",
    [M_BATCHES_KEPT] = "SELECT b.id, b.reference, b.purchased - b.allocated "
                       "FROM batches AS b WHERE b.sku = ? ORDER BY b.eta IS NOT NULL, b.eta, b.reference",
    [M_KEEP] = "UPDATE batches SET allocated = allocated + ? WHERE id = ?",
    [M_SAVEPOINT] = "SAVEPOINT command",
    [M_RELEASE] = "RELEASE command",
    [M_ROLLBACK_TO] = "ROLLBACK TO command",
};

/* Steps a statement that returns no rows, then resets it. */
static int step_done(sqlite3_stmt *stmt) {
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Seeds the products and batches in one transaction. */
static int seed(sqlite3_stmt **s, const minimal_batch *batches, int batch_count) {
    int rc = step_done(s[M_BEGIN]);
    for (int i = 0; rc == SQLITE_OK && i < batch_count; i++) {
        sqlite3_bind_text(s[M_INSERT_PRODUCT], 1, batches[i].sku, -1, SQLITE_STATIC);
        if ((rc = step_done(s[M_INSERT_PRODUCT])) != SQLITE_OK) break;
        sqlite3_bind_text(s[M_INSERT_BATCH], 1, batches[i].reference, -1, SQLITE_STATIC);
        sqlite3_bind_text(s[M_INSERT_BATCH], 2, batches[i].sku, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s[M_INSERT_BATCH], 3, batches[i].qty);
        if (batches[i].eta) {
            sqlite3_bind_text(s[M_INSERT_BATCH], 4, batches[i].eta, -1, SQLITE_STATIC);
        } else {
            sqlite3_bind_null(s[M_INSERT_BATCH], 4);
        }
        rc = step_done(s[M_INSERT_BATCH]);
    }
    return rc == SQLITE_OK ? step_done(s[M_COMMIT]) : rc;
}

/* One allocation inside its transaction: the first batch in preference order with enough available. With `kept`
 * the availability is read from the batch's `allocated` column, which the allocation then updates. */
static int allocate_one(sqlite3 *db, sqlite3_stmt **s, const minimal_order *order, int kept, minimal_result *out) {
    int rc;
    sqlite3_int64 batch_id = 0;
    char batchref[128] = "";
    sqlite3_stmt *batches = s[kept ? M_BATCHES_KEPT : M_BATCHES];
    sqlite3_bind_text(batches, 1, order->sku, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(batches)) == SQLITE_ROW) {
        if (sqlite3_column_int64(batches, 2) >= order->qty) {
            batch_id = sqlite3_column_int64(batches, 0);
            snprintf(batchref, sizeof batchref, "%s", (const char *)sqlite3_column_text(batches, 1));
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(batches);
    if (rc != SQLITE_DONE) return rc;
    if (batch_id == 0) {
        out->out_of_stock++;
        return SQLITE_OK;
    }

    sqlite3_bind_text(s[M_INSERT_LINE], 1, order->sku, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[M_INSERT_LINE], 2, order->qty);
    sqlite3_bind_text(s[M_INSERT_LINE], 3, order->orderid, -1, SQLITE_STATIC);
    if ((rc = step_done(s[M_INSERT_LINE])) != SQLITE_OK) return rc;

    sqlite3_bind_int64(s[M_ALLOCATE], 1, sqlite3_last_insert_rowid(db));
    sqlite3_bind_int64(s[M_ALLOCATE], 2, batch_id);
    if ((rc = step_done(s[M_ALLOCATE])) != SQLITE_OK) return rc;

    if (kept) {
        sqlite3_bind_int64(s[M_KEEP], 1, order->qty);
        sqlite3_bind_int64(s[M_KEEP], 2, batch_id);
        if ((rc = step_done(s[M_KEEP])) != SQLITE_OK) return rc;
    }

    sqlite3_bind_text(s[M_BUMP_VERSION], 1, order->sku, -1, SQLITE_STATIC);
    if ((rc = step_done(s[M_BUMP_VERSION])) != SQLITE_OK) return rc;

    sqlite3_bind_text(s[M_INSERT_VIEW], 1, order->orderid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[M_INSERT_VIEW], 2, order->sku, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[M_INSERT_VIEW], 3, batchref, -1, SQLITE_STATIC);
    if ((rc = step_done(s[M_INSERT_VIEW])) != SQLITE_OK) return rc;

    out->allocated++;
    out->allocated_qty += order->qty;
    return SQLITE_OK;
}

int minimal_allocate_run(const char *path, const char *synchronous, const minimal_batch *batches, int batch_count,
                         const minimal_order *orders, int order_count, minimal_result *out) {
    return minimal_allocate_grouped_run(path, synchronous, batches, batch_count, orders, order_count, 1, out);
}

int minimal_allocate_grouped_run(const char *path, const char *synchronous, const minimal_batch *batches,
                                 int batch_count, const minimal_order *orders, int order_count, int group,
                                 minimal_result *out) {
    memset(out, 0, sizeof *out);
    sqlite3 *db = NULL;
    const int grouped = group > 1;
    const int statement_count = grouped ? M_GROUPED_COUNT : M_COUNT;
    sqlite3_stmt *s[M_GROUPED_COUNT] = {0};
    char pragma[64];
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK && grouped) {
        rc = sqlite3_exec(db, "ALTER TABLE batches ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK) {
        snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s", synchronous);
        rc = sqlite3_exec(db, pragma, NULL, NULL, NULL);
    }
    for (int i = 0; rc == SQLITE_OK && i < statement_count; i++) {
        rc = sqlite3_prepare_v3(db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &s[i], NULL);
    }
    if (rc == SQLITE_OK) rc = seed(s, batches, batch_count);

    double start = seconds_now();
    if (!grouped) {
        for (int i = 0; rc == SQLITE_OK && i < order_count; i++) {
            if ((rc = step_done(s[M_BEGIN])) != SQLITE_OK) break;
            rc = allocate_one(db, s, &orders[i], 0, out);
            if (rc == SQLITE_OK) rc = step_done(s[M_COMMIT]);
            if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) step_done(s[M_ROLLBACK]);
        }
    } else {
        /* A COMMIT every `group` commands, each command inside its own SAVEPOINT. */
        for (int i = 0; rc == SQLITE_OK && i < order_count; i++) {
            if (i % group == 0 && (rc = step_done(s[M_BEGIN])) != SQLITE_OK) break;
            if ((rc = step_done(s[M_SAVEPOINT])) != SQLITE_OK) break;
            rc = allocate_one(db, s, &orders[i], 1, out);
            if (rc == SQLITE_OK) {
                rc = step_done(s[M_RELEASE]);
            } else if (step_done(s[M_ROLLBACK_TO]) == SQLITE_OK) {
                step_done(s[M_RELEASE]);
            }
            if (rc == SQLITE_OK && ((i + 1) % group == 0 || i + 1 == order_count)) rc = step_done(s[M_COMMIT]);
        }
        if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) step_done(s[M_ROLLBACK]);
    }
    out->seconds = seconds_now() - start;

    if (rc != SQLITE_OK) {
        out->rc = rc;
        snprintf(out->message, sizeof out->message, "%s", db ? sqlite3_errmsg(db) : "out of memory");
    }
    for (int i = 0; i < statement_count; i++) sqlite3_finalize(s[i]);
    sqlite3_close_v2(db);
    return rc;
}
