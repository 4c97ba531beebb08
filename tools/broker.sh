#!/usr/bin/env bash
# Start, stop or probe the local Kafka-protocol test broker for `make broker-up` / `make broker-down`.
# Kept as a script rather than make recipes because the start path needs a bounded wait, a log tail on failure
# and a pid check that tells our broker apart from a stranger holding the port.
set -euo pipefail

usage() { echo "usage: $0 up|down|status" >&2; exit 2; }
[[ $# -eq 1 ]] || usage

: "${BROKER:=noida}"
: "${BROKER_HOST:=127.0.0.1}"
: "${BROKER_PORT:=9092}"
: "${BROKER_STATE_DIR:=.cache}"
: "${BROKER_DATA_DIR:=.cache/broker-data-$BROKER_PORT}"
: "${BROKER_WAIT_SECONDS:=30}"
: "${BROKER_KEEP_DATA:=0}"
: "${NOIDA_BIN:=.cache/venv-broker/bin/noida-db}"
: "${TANSU_BIN:=.cache/tansu/bin/tansu}"

# Per port, so brokers on different ports (a developer's and a benchmark's) can run side by side.
pid_file="$BROKER_STATE_DIR/broker-$BROKER_PORT.pid"
log_file="$BROKER_STATE_DIR/broker-$BROKER_PORT.log"
kind_file="$BROKER_STATE_DIR/broker-$BROKER_PORT.kind"

port_open() {
    # bash's /dev/tcp needs no client tool; the subshell keeps a refused connect from killing the script.
    (exec 3<>"/dev/tcp/$BROKER_HOST/$BROKER_PORT") 2>/dev/null
}

running_pid() {
    [[ -f $pid_file ]] || return 1
    local pid
    pid=$(<"$pid_file")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

log_tail() {
    echo "---- last lines of $log_file ----" >&2
    tail -n 30 "$log_file" >&2 || true
    echo "---------------------------------" >&2
}

up() {
    local pid
    if pid=$(running_pid); then
        if [[ $(cat "$kind_file" 2>/dev/null) != "$BROKER" ]]; then
            echo "broker: a $(cat "$kind_file" 2>/dev/null || echo '?') broker (pid $pid) is running;" \
                "run 'make broker-down' before starting BROKER=$BROKER" >&2
            exit 1
        fi
        echo "broker: $BROKER already running (pid $pid) on $BROKER_HOST:$BROKER_PORT"
        return 0
    fi
    rm -f "$pid_file"
    if port_open; then
        echo "broker: $BROKER_HOST:$BROKER_PORT is taken by a process this Makefile did not start;" \
            "stop it or set BROKER_PORT" >&2
        exit 1
    fi

    mkdir -p "$BROKER_STATE_DIR" "$BROKER_DATA_DIR"
    local -a cmd
    case $BROKER in
        noida)
            [[ -x $NOIDA_BIN ]] || { echo "broker: $NOIDA_BIN missing; run 'make broker-install'" >&2; exit 1; }
            cmd=("$(realpath "$NOIDA_BIN")" start --only kafka --host "$BROKER_HOST" --kafka-port "$BROKER_PORT"
                --data-dir "$(realpath "$BROKER_DATA_DIR")")
            ;;
        tansu)
            [[ -x $TANSU_BIN ]] || { echo "broker: $TANSU_BIN missing; run 'make broker-install BROKER=tansu'" >&2; exit 1; }
            # tansu resolves a relative sqlite:// URL against its working directory, so it runs inside the data dir.
            cmd=("$(realpath "$TANSU_BIN")" broker
                --listener-url "tcp://$BROKER_HOST:$BROKER_PORT"
                --advertised-listener-url "tcp://$BROKER_HOST:$BROKER_PORT"
                --storage-engine "sqlite://tansu.db")
            ;;
        *) echo "broker: BROKER must be noida or tansu, not '$BROKER'" >&2; exit 2 ;;
    esac

    echo "broker: starting $BROKER on $BROKER_HOST:$BROKER_PORT (log: $log_file)"
    local log_abs
    log_abs=$(realpath -m "$log_file")
    # setsid detaches the broker from make's process group so Ctrl-C on a later make does not take it down;
    # the pid written is the broker's own (exec), so broker-down signals the right process.
    (cd "$BROKER_DATA_DIR" && exec setsid "${cmd[@]}" >"$log_abs" 2>&1 </dev/null) &
    pid=$!
    echo "$pid" >"$pid_file"
    echo "$BROKER" >"$kind_file"

    local deadline=$((SECONDS + BROKER_WAIT_SECONDS))
    until port_open; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "broker: $BROKER exited during start-up" >&2
            log_tail
            rm -f "$pid_file"
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "broker: $BROKER did not accept connections on $BROKER_HOST:$BROKER_PORT within ${BROKER_WAIT_SECONDS}s" >&2
            log_tail
            kill "$pid" 2>/dev/null || true
            rm -f "$pid_file"
            exit 1
        fi
        sleep 0.2
    done
    echo "broker: $BROKER ready (pid $pid)"
}

down() {
    local pid
    if pid=$(running_pid); then
        kill -TERM "$pid"
        # Bounded wait for a clean exit, then force: a wedged test broker must not hang `make`.
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "broker: pid $pid ignored SIGTERM for 10s; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        echo "broker: stopped $(cat "$kind_file" 2>/dev/null || echo broker) (pid $pid)"
    else
        echo "broker: not running"
    fi
    rm -f "$pid_file" "$kind_file"
    if [[ $BROKER_KEEP_DATA != 1 ]]; then
        rm -rf "$BROKER_DATA_DIR"
    fi
}

status() {
    local pid
    if pid=$(running_pid) && port_open; then
        echo "broker: $(cat "$kind_file") running (pid $pid) on $BROKER_HOST:$BROKER_PORT"
    else
        echo "broker: not running"
        exit 1
    fi
}

case $1 in
    up) up ;;
    down) down ;;
    status) status ;;
    *) usage ;;
esac
