# A throwaway pg_auto_failover formation on loopback, for trying stock against automatic failover: a monitor and
# two data nodes, each a `pg_autoctl run` in the background as the `postgres` user, with trusted connections and
# no TLS. Source this file, then `start_auto_failover` exports STOCK_TEST_AUTO_FAILOVER (a two-host URL of the
# data nodes with target_session_attrs=read-write) and `stop_auto_failover` stops everything and removes its
# folder. Needs Debian's postgresql-15-auto-failover (pg_autoctl) and the server binaries it was built for.
#
# pg_autoctl keeps its configuration and state under XDG_CONFIG_HOME and XDG_DATA_HOME (else under HOME), so both
# point into the formation's folder. The monitor's first data node becomes the primary; the second is made by
# pg_basebackup and joins as a synchronous secondary (synchronous_standby_names = 'ANY 1 (...)'). Killing the
# primary's node (its pg_autoctl and its postgres) makes the monitor promote the secondary once it has missed its
# health checks; killing only the primary's postgres makes its own pg_autoctl restart it, and the monitor fails
# over as well.

auto_failover_folder=""
auto_failover_bin=""
auto_failover_monitor_port=""
auto_failover_node1_port=""
auto_failover_node2_port=""
auto_failover_monitor_data=""
auto_failover_node1_data=""
auto_failover_node2_data=""

# Runs a command as the `postgres` user when root, with pg_autoctl's folders and the server binaries set.
as_auto_failover_user() {
    local user=()
    [ "$(id -u)" -ne 0 ] || user=(setpriv --reuid=postgres --regid=postgres --init-groups)
    env PATH="$auto_failover_bin:$PATH" HOME="$auto_failover_folder" XDG_CONFIG_HOME="$auto_failover_folder/config" \
        XDG_DATA_HOME="$auto_failover_folder/share" "${user[@]}" "$@"
}

# Starts `pg_autoctl run` for the data folder `$1` in a session of its own, its output in `$1.log`, and records
# its process id, which is also its process group's (with the postgres it runs), in `$1.pid`.
run_auto_failover_node() {
    as_auto_failover_user setsid sh -c 'echo $$ >"$0.pid"; exec pg_autoctl run --pgdata "$0"' "$1" \
        >"$1.log" 2>&1 </dev/null &
}

# Prints the monitor's view of the formation.
show_auto_failover() {
    as_auto_failover_user pg_autoctl show state --pgdata "$auto_failover_monitor_data"
}

start_auto_failover() {
    command -v pg_autoctl >/dev/null || {
        echo "pg_autoctl is not installed (apt-get install postgresql-15-auto-failover)" >&2
        return 1
    }
    auto_failover_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    auto_failover_folder=$(mktemp -d /tmp/stock-auto-failover.XXXXXX)
    chmod 755 "$auto_failover_folder"
    [ "$(id -u)" -ne 0 ] || chown postgres "$auto_failover_folder"
    local base=$((20000 + RANDOM % 20000))
    auto_failover_monitor_port=$base
    auto_failover_node1_port=$((base + 1))
    auto_failover_node2_port=$((base + 2))
    auto_failover_monitor_data="$auto_failover_folder/monitor"
    auto_failover_node1_data="$auto_failover_folder/node1"
    auto_failover_node2_data="$auto_failover_folder/node2"
    local common=(--hostname 127.0.0.1 --auth trust --no-ssl)
    as_auto_failover_user pg_autoctl create monitor --pgdata "$auto_failover_monitor_data" \
        --pgport "$auto_failover_monitor_port" "${common[@]}" >"$auto_failover_folder/create-monitor.log" 2>&1 || {
        cat "$auto_failover_folder/create-monitor.log" >&2
        return 1
    }
    run_auto_failover_node "$auto_failover_monitor_data"
    local monitor="postgres://autoctl_node@127.0.0.1:$auto_failover_monitor_port/pg_auto_failover?sslmode=disable"
    for _ in $(seq 1 100); do
        psql -X -q -d "$monitor" -c "SELECT 1" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local n port data
    for n in 1 2; do
        port=$((base + n))
        data="$auto_failover_folder/node$n"
        as_auto_failover_user pg_autoctl create postgres --pgdata "$data" --pgport "$port" --name "node$n" \
            --monitor "$monitor" "${common[@]}" >"$auto_failover_folder/create-node$n.log" 2>&1 || {
            cat "$auto_failover_folder/create-node$n.log" >&2
            return 1
        }
        run_auto_failover_node "$data"
        # The second node's pg_autoctl create waits for the first to be registered and running.
        for _ in $(seq 1 300); do
            show_auto_failover 2>/dev/null | grep -qE "node$n .*\| *(single|primary|secondary) *\| *(single|primary|secondary) *$" && break
            sleep 0.2
        done
    done
    export STOCK_TEST_AUTO_FAILOVER="postgresql://postgres@127.0.0.1:$auto_failover_node1_port,127.0.0.1:$auto_failover_node2_port/postgres?target_session_attrs=read-write"
    if ! show_auto_failover | grep -qE "\| *secondary *\| *secondary *$"; then
        echo "pg_auto_failover did not reach a primary and a secondary:" >&2
        show_auto_failover >&2
        return 1
    fi
    echo "pg_auto_failover monitor on port $auto_failover_monitor_port, data nodes on $auto_failover_node1_port and $auto_failover_node2_port: $STOCK_TEST_AUTO_FAILOVER"
}

stop_auto_failover() {
    [ -n "$auto_failover_folder" ] || return 0
    local data pid
    for data in "$auto_failover_node2_data" "$auto_failover_node1_data" "$auto_failover_monitor_data"; do
        [ -f "$data.pid" ] || continue
        pid=$(cat "$data.pid")
        # pg_autoctl run stops its postgres on SIGTERM (a fast shutdown) and exits.
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        [ ! -f "$data/postmaster.pid" ] ||
            as_auto_failover_user "$auto_failover_bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$auto_failover_folder"
    auto_failover_folder=""
    unset STOCK_TEST_AUTO_FAILOVER
}
