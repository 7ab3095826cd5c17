/*
 * The C baseline for stock-bench: one allocation of a new order line, written directly against the sqlite3 C API,
 * issuing the same statements in the same order as the Swift bus (MessageBus.handle(.allocate) ->
 * Services.allocate -> Product.loadVersion, Batch.candidates, OrderLine.find, OrderLine.insert, saveAllocation, saveVersion,
 * then the events INSERT with the operator and the event's order and batch), each prepared once and reused. The
 * SQL texts are copied byte for byte from the Swift records, so SQLite does the same work on both sides.
 */
/* clock_gettime and gmtime_r are POSIX, not ISO C. */
#define _POSIX_C_SOURCE 200809L

#include "baseline.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
    S_BEGIN, S_VERSION, S_BATCHES, S_FIND_LINE, S_INSERT_LINE, S_ALLOCATE, S_SAVE_VERSION,
    S_EVENT, S_COMMIT,
    S_ROLLBACK, S_COUNT
};

static const char *const sql_text[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_VERSION] = "SELECT version FROM products WHERE sku = ?",
    /* Batch.candidates: Batch.columns and Batch.preferenceOrder, through the partial index batches_with_stock. */
    [S_BATCHES] = "SELECT b.id, b.reference, b.sku, b.purchased, b.eta, b.allocated, b.shipped FROM batches AS b\n"
                  "WHERE b.sku = ? AND b.purchased > b.shipped + b.allocated AND b.purchased - b.shipped - b.allocated >= ?\n"
                  "ORDER BY eta IS NOT NULL, eta, reference LIMIT ?",
    /* OrderLine.find: OrderLine.columns and OrderLine.joins. */
    [S_FIND_LINE] = "SELECT l.id, l.orderid, l.sku, l.qty, b.reference, l.waiting_since, l.shipped_at, "
                    "l.shipped_from FROM order_lines AS l LEFT JOIN allocations "
                    "AS a ON a.orderline_id = l.id\n  LEFT JOIN batches AS b ON b.id = a.batch_id WHERE l.orderid = ? "
                    "AND l.sku = ?",
    /* OrderLine.insert: waiting_since is NULL for a line that is allocated at once. */
    [S_INSERT_LINE] = "INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES (?, ?, ?, ?)",
    /* OrderLine.savePiece: a line inserted in this transaction has no allocation yet. */
    [S_ALLOCATE] = "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (?, ?, ?)",
    [S_SAVE_VERSION] = "UPDATE products SET version = ? WHERE sku = ? AND version = ?",
    [S_EVENT] = "INSERT INTO events (at, kind, payload, operator, orderid, ref) VALUES (?, ?, ?, ?, ?, ?)",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
};

/* Steps a statement that returns no rows, then resets it. */
static int run(sqlite3_stmt *stmt) {
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* `2026-11-25T19:45:00.123Z`, as Clock.timestamp() writes it. */
static void timestamp(char *buf, size_t size) {
    struct timespec now;
    struct tm utc;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &utc);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
             utc.tm_hour, utc.tm_min, utc.tm_sec, now.tv_nsec / 1000000);
}

/* Appends `text` as a JSON string literal (quotes, backslashes and control characters escaped). */
static char *json_string(char *out, const char *end, const char *text) {
    if (out < end) *out++ = '"';
    for (const unsigned char *p = (const unsigned char *)text; *p && out + 7 < end; p++) {
        if (*p == '"' || *p == '\\') {
            *out++ = '\\';
            *out++ = (char)*p;
        } else if (*p < 0x20 || *p == 0x7F) {
            out += snprintf(out, (size_t)(end - out), "\\u%04x", *p);
        } else {
            *out++ = (char)*p;
        }
    }
    if (out < end) *out++ = '"';
    return out;
}

/* The Allocated event's payload: {"orderid":…,"sku":…,"qty":…,"batchref":…}, as Event.payload writes it. */
static void allocated_payload(char *buf, size_t size, const char *orderid, const char *sku, int qty,
                              const char *batchref) {
    char *out = buf, *end = buf + size - 1;
    out += snprintf(out, (size_t)(end - out), "{\"orderid\":");
    out = json_string(out, end, orderid);
    out += snprintf(out, (size_t)(end - out), ",\"sku\":");
    out = json_string(out, end, sku);
    out += snprintf(out, (size_t)(end - out), ",\"qty\":%d,\"batchref\":", qty);
    out = json_string(out, end, batchref);
    if (out < end) *out++ = '}';
    *out = '\0';
}

/* One Allocate command inside its transaction; the caller commits or rolls back. */
/* Inserts the new line: waiting since `waiting_since`, or (NULL) about to be allocated. */
static int insert_line(sqlite3_stmt **s, const char *orderid, const char *sku, int qty, const char *waiting_since) {
    sqlite3_bind_text(s[S_INSERT_LINE], 1, orderid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_INSERT_LINE], 2, sku, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[S_INSERT_LINE], 3, qty);
    if (waiting_since) {
        sqlite3_bind_text(s[S_INSERT_LINE], 4, waiting_since, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(s[S_INSERT_LINE], 4);
    }
    return run(s[S_INSERT_LINE]);
}

/* Bumps the product's version, refusing a stale one. */
static int save_version(sqlite3 *db, sqlite3_stmt **s, const char *sku, sqlite3_int64 version) {
    int rc;
    sqlite3_bind_int64(s[S_SAVE_VERSION], 1, version + 1);
    sqlite3_bind_text(s[S_SAVE_VERSION], 2, sku, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[S_SAVE_VERSION], 3, version);
    if ((rc = run(s[S_SAVE_VERSION])) != SQLITE_OK) return rc;
    return sqlite3_changes(db) == 1 ? SQLITE_OK : SQLITE_BUSY; /* stale version; cannot happen with one writer */
}

/* Records one event with its operator, order and batch (NULL batch for OutOfStock). */
static int record_event(sqlite3_stmt **s, const char *at, const char *kind, const char *payload,
                        const char *operator_name, const char *orderid, const char *batchref) {
    sqlite3_bind_text(s[S_EVENT], 1, at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_EVENT], 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_EVENT], 3, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_EVENT], 4, operator_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_EVENT], 5, orderid, -1, SQLITE_STATIC);
    if (batchref) {
        sqlite3_bind_text(s[S_EVENT], 6, batchref, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(s[S_EVENT], 6);
    }
    return run(s[S_EVENT]);
}

static int allocate_one(sqlite3 *db, sqlite3_stmt **s, const char *orderid, const char *sku, int qty,
                        const char *operator_name, baseline_result *out) {
    int rc;
    sqlite3_bind_text(s[S_VERSION], 1, sku, -1, SQLITE_STATIC);
    rc = sqlite3_step(s[S_VERSION]);
    if (rc != SQLITE_ROW) { sqlite3_reset(s[S_VERSION]); return rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc; }
    sqlite3_int64 version = sqlite3_column_int64(s[S_VERSION], 0);
    sqlite3_reset(s[S_VERSION]);

    /* Preference order comes from the ORDER BY: the one row, if any, is the preferred batch with enough
       available, as Services.allocate reads it (LIMIT 1). */
    sqlite3_int64 batch_id = 0;
    char batchref[128] = "";
    sqlite3_bind_text(s[S_BATCHES], 1, sku, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s[S_BATCHES], 2, qty);
    sqlite3_bind_int64(s[S_BATCHES], 3, 1);
    while ((rc = sqlite3_step(s[S_BATCHES])) == SQLITE_ROW) {
        if (batch_id == 0) {
            batch_id = sqlite3_column_int64(s[S_BATCHES], 0);
            snprintf(batchref, sizeof batchref, "%s", (const char *)sqlite3_column_text(s[S_BATCHES], 1));
        }
    }
    sqlite3_reset(s[S_BATCHES]);
    if (rc != SQLITE_DONE) return rc;

    sqlite3_bind_text(s[S_FIND_LINE], 1, orderid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s[S_FIND_LINE], 2, sku, -1, SQLITE_STATIC);
    rc = sqlite3_step(s[S_FIND_LINE]);
    sqlite3_reset(s[S_FIND_LINE]);
    if (rc == SQLITE_ROW) return SQLITE_CONSTRAINT; /* the bench only allocates new lines */
    if (rc != SQLITE_DONE) return rc;

    char at[32], payload[512];
    /* The bus stamps the transaction's time once, before the rules run. */
    timestamp(at, sizeof at);
    if (batch_id == 0) {
        /* Out of stock: the line waits (a backorder), the version is bumped and OutOfStock names the line. */
        out->out_of_stock++;
        if ((rc = insert_line(s, orderid, sku, qty, at)) != SQLITE_OK) return rc;
        if ((rc = save_version(db, s, sku, version)) != SQLITE_OK) return rc;
        char *p = payload, *end = payload + sizeof payload - 1;
        p += snprintf(p, (size_t)(end - p), "{\"sku\":");
        p = json_string(p, end, sku);
        p += snprintf(p, (size_t)(end - p), ",\"orderid\":");
        p = json_string(p, end, orderid);
        p += snprintf(p, (size_t)(end - p), ",\"qty\":%d}", qty);
        *p = '\0';
        return record_event(s, at, "OutOfStock", payload, operator_name, orderid, NULL);
    }

    if ((rc = insert_line(s, orderid, sku, qty, NULL)) != SQLITE_OK) return rc;
    sqlite3_int64 line_id = sqlite3_last_insert_rowid(db);

    sqlite3_bind_int64(s[S_ALLOCATE], 1, line_id);
    sqlite3_bind_int64(s[S_ALLOCATE], 2, batch_id);
    sqlite3_bind_int64(s[S_ALLOCATE], 3, qty);
    if ((rc = run(s[S_ALLOCATE])) != SQLITE_OK) return rc;

    if ((rc = save_version(db, s, sku, version)) != SQLITE_OK) return rc;

    allocated_payload(payload, sizeof payload, orderid, sku, qty, batchref);
    if ((rc = record_event(s, at, "Allocated", payload, operator_name, orderid, batchref)) != SQLITE_OK) return rc;
    out->allocated++;
    return SQLITE_OK;
}

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int baseline_allocate_many(const char *path, const char *synchronous, const char *const *skus, int sku_count,
                           int count, const char *order_prefix, const char *operator_name, baseline_result *out) {
    memset(out, 0, sizeof *out);
    sqlite3 *db = NULL;
    sqlite3_stmt *s[S_COUNT] = {0};
    char pragmas[128];
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_timeout(db, 5000);
        snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=%s;",
                 synchronous);
        rc = sqlite3_exec(db, pragmas, NULL, NULL, NULL);
    }
    for (int i = 0; rc == SQLITE_OK && i < S_COUNT; i++) {
        rc = sqlite3_prepare_v3(db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &s[i], NULL);
    }

    double start = seconds_now();
    char orderid[64];
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        snprintf(orderid, sizeof orderid, "%s%d", order_prefix, i);
        if ((rc = run(s[S_BEGIN])) != SQLITE_OK) break;
        rc = allocate_one(db, s, orderid, skus[i % sku_count], 1 + i % 7, operator_name, out);
        if (rc == SQLITE_OK) rc = run(s[S_COMMIT]);
        if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) run(s[S_ROLLBACK]);
    }
    out->seconds = seconds_now() - start;

    if (rc != SQLITE_OK) {
        out->rc = rc;
        snprintf(out->message, sizeof out->message, "%s", db ? sqlite3_errmsg(db) : "out of memory");
    }
    for (int i = 0; i < S_COUNT; i++) sqlite3_finalize(s[i]);
    sqlite3_close_v2(db);
    return rc;
}
