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
