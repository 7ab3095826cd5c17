# A throwaway PostgreSQL server for the tests, sourced by .ci/run: `start_postgres` sets STOCK_TEST_POSTGRES to
# its URL, `stop_postgres` stops it and removes its folder. Its data, socket and log live in one temporary folder;
# it listens on that folder's Unix socket (trusted) and on a free loopback port (password required), and on
# nothing else.

postgres_folder=""
postgres_bin=""

# Runs a server tool as the unprivileged `postgres` user when this script runs as root: the server refuses root.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups "$@"
    else
        "$@"
    fi
}

start_postgres() {
    postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$postgres_bin" ] || [ ! -x "$postgres_bin/initdb" ]; then
        echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2
        return 1
    fi
    postgres_folder=$(mktemp -d /tmp/stock-ci-postgres.XXXXXX)
    chmod 755 "$postgres_folder"
    [ "$(id -u)" -ne 0 ] || chown postgres "$postgres_folder"
    as_server_user "$postgres_bin/initdb" -D "$postgres_folder/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$postgres_folder/initdb.log" 2>&1 || {
        cat "$postgres_folder/initdb.log" >&2
        return 1
    }
    local port
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 20000))
        if as_server_user "$postgres_bin/pg_ctl" -D "$postgres_folder/data" -l "$postgres_folder/server.log" -w \
            -o "-p $port -k $postgres_folder -c listen_addresses=127.0.0.1 -c max_connections=200" start \
            >/dev/null 2>&1; then
            export STOCK_TEST_POSTGRES="postgresql://postgres@/postgres?host=$postgres_folder&port=$port"
            echo "PostgreSQL $("$postgres_bin/postgres" --version | awk '{print $3}') started for the tests: $STOCK_TEST_POSTGRES"
            return 0
        fi
    done
    cat "$postgres_folder/server.log" >&2
    return 1
}

stop_postgres() {
    [ -n "$postgres_folder" ] || return 0
    as_server_user "$postgres_bin/pg_ctl" -D "$postgres_folder/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$postgres_folder"
    postgres_folder=""
}

# A primary and a streaming hot standby of it, for the tests that run on a two-host URL, sourced by .ci/run:
# `start_postgres_pair` sets STOCK_TEST_POSTGRES_PAIR to a URL that lists the standby first and the primary second
# with target_session_attrs=read-write, so libpq must skip the standby to land on the primary;
# `stop_postgres_pair` stops both and removes their folder. Both servers keep their data in one temporary folder,
# their sockets in it too, and listen on free loopback ports. The standby is made by pg_basebackup from the running
# primary (-R writes standby.signal and primary_conninfo) and is synchronous: synchronous_standby_names is set on
# the primary only after the base backup, else the copy would carry it and, once promoted, wait for a standby of
# its own. The function returns once the standby streams.

postgres_pair_folder=""
postgres_pair_primary_port=""
postgres_pair_standby_port=""

# Starts the server of data folder `$1` on port `$2`, with its socket in the pair's folder.
start_pair_server() {
    as_server_user "$postgres_bin/pg_ctl" -D "$1" -l "$1.log" -w \
        -o "-p $2 -k $postgres_pair_folder -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1
}

# Starts the pair's server in data folder `$1` on a random free loopback port other than `$2` and prints the port;
# after ten ports that would not do, prints the server's log on standard error and fails.
start_pair_server_on_a_free_port() {
    local port
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 20000))
        [ "$port" -ne "$2" ] || continue
        if start_pair_server "$1" "$port"; then
            echo "$port"
            return 0
        fi
    done
    cat "$1.log" >&2
    return 1
}

# Runs one SQL statement as postgres on the pair's server at port `$1`, printing the bare result.
pair_psql() {
    psql -X -A -t -q -h "$postgres_pair_folder" -p "$1" -U postgres -d postgres -c "$2"
}

start_postgres_pair() {
    postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$postgres_bin" ] || [ ! -x "$postgres_bin/initdb" ]; then
        echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2
        return 1
    fi
    postgres_pair_folder=$(mktemp -d /tmp/stock-ci-postgres-pair.XXXXXX)
    chmod 755 "$postgres_pair_folder"
    [ "$(id -u)" -ne 0 ] || chown postgres "$postgres_pair_folder"
    local primary="$postgres_pair_folder/primary" standby="$postgres_pair_folder/standby"
    as_server_user "$postgres_bin/initdb" -D "$primary" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$postgres_pair_folder/initdb.log" 2>&1 || {
        cat "$postgres_pair_folder/initdb.log" >&2
        return 1
    }
    as_server_user tee -a "$primary/postgresql.conf" >/dev/null <<'CONF'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
wal_keep_size = '256MB'
CONF
    # Replication connections are matched by the `replication` database keyword only; this trusts the standby's
    # from loopback and from the socket, ahead of initdb's lines.
    {
        printf 'local replication postgres trust\nhost replication postgres 127.0.0.1/32 trust\n'
        cat "$primary/pg_hba.conf"
    } >"$postgres_pair_folder/pg_hba.conf"
    as_server_user cp "$postgres_pair_folder/pg_hba.conf" "$primary/pg_hba.conf"
    rm -f "$postgres_pair_folder/pg_hba.conf"
    postgres_pair_primary_port=$(start_pair_server_on_a_free_port "$primary" 0) || return 1
    as_server_user "$postgres_bin/pg_basebackup" -h 127.0.0.1 -p "$postgres_pair_primary_port" -U postgres \
        -D "$standby" -R -X stream >"$postgres_pair_folder/basebackup.log" 2>&1 || {
        cat "$postgres_pair_folder/basebackup.log" >&2
        return 1
    }
    postgres_pair_standby_port=$(start_pair_server_on_a_free_port "$standby" "$postgres_pair_primary_port") || return 1
    pair_psql "$postgres_pair_primary_port" "ALTER SYSTEM SET synchronous_standby_names = '*'" &&
        pair_psql "$postgres_pair_primary_port" "SELECT pg_reload_conf()" >/dev/null || return 1
    local replication=""
    for _ in $(seq 1 100); do
        replication=$(pair_psql "$postgres_pair_primary_port" "SELECT state || ' ' || sync_state FROM pg_stat_replication")
        [ "$replication" != "streaming sync" ] || break
        sleep 0.1
    done
    if [ "$replication" != "streaming sync" ]; then
        echo "the standby does not stream synchronously (pg_stat_replication: '$replication')" >&2
        cat "$standby.log" >&2
        return 1
    fi
    export STOCK_TEST_POSTGRES_PAIR="postgresql://postgres@/postgres?host=$postgres_pair_folder,$postgres_pair_folder&port=$postgres_pair_standby_port,$postgres_pair_primary_port&target_session_attrs=read-write"
    echo "PostgreSQL primary (port $postgres_pair_primary_port) and synchronous standby (port $postgres_pair_standby_port) started for the tests: $STOCK_TEST_POSTGRES_PAIR"
}

stop_postgres_pair() {
    [ -n "$postgres_pair_folder" ] || return 0
    local data
    for data in "$postgres_pair_folder/standby" "$postgres_pair_folder/primary"; do
        [ ! -d "$data" ] || as_server_user "$postgres_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$postgres_pair_folder"
    postgres_pair_folder=""
    postgres_pair_primary_port=""
    postgres_pair_standby_port=""
}
