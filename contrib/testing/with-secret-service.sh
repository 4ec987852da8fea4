#!/bin/sh
# Runs a command inside a private D-Bus session bus with a fresh gnome-keyring-daemon whose
# default ("login") collection is unlocked with a throw-away password; tears both down after.
# Nothing of the caller's session is used or touched: its own bus config lists no service
# directories, so D-Bus activation can never start a second, locked daemon.
#
#   contrib/testing/with-secret-service.sh [--no-keyring] COMMAND [ARG...]
#
# --no-keyring: the bus only, with nothing providing org.freedesktop.secrets.
# The command sees DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR and XDG_DATA_HOME of the private
# session, and SYNOFIN_TEST_KEYRING_PASSWORD. Needs dbus-daemon, gnome-keyring and gdbus
# (Debian: dbus-daemon gnome-keyring libglib2.0-bin).
set -eu

keyring=yes
if [ "${1:-}" = "--no-keyring" ]; then keyring=no; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [--no-keyring] COMMAND [ARG...]" >&2; exit 2; }

session=$(mktemp -d "${TMPDIR:-/tmp}/synofin-secret-session-XXXXXX")
bus_pid= keyring_pid=
cleanup() {
    [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null || :
    [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null || :
    [ -n "$keyring_pid" ] && wait "$keyring_pid" 2>/dev/null || :
    [ -n "$bus_pid" ] && wait "$bus_pid" 2>/dev/null || :
    rm -rf "$session"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -m 700 "$session/runtime" "$session/data"

# The daemons' output goes to files, never to our stdout: a pipe they hold open would keep
# whatever reads our output waiting after we exit.
dbus-daemon --config-file="$(dirname "$0")/session-bus.conf" --address="unix:path=$session/bus" --nofork --nopidfile >"$session/bus.log" 2>&1 </dev/null &
bus_pid=$!
export DBUS_SESSION_BUS_ADDRESS="unix:path=$session/bus"
# The socket file appears a moment before the bus accepts connections: wait for an answer.
tries=0
until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetId >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -le 200 ] || { echo "$0: dbus-daemon did not start; see $session/bus.log" >&2; exit 1; }
    sleep 0.01
done

export XDG_RUNTIME_DIR="$session/runtime" XDG_DATA_HOME="$session/data"
export SYNOFIN_TEST_KEYRING_PASSWORD="throw-away-$$"
unset DISPLAY WAYLAND_DISPLAY   # no unlock prompt can reach a person

if [ $keyring = yes ]; then
    printf '%s' "$SYNOFIN_TEST_KEYRING_PASSWORD" |
        gnome-keyring-daemon --foreground --unlock --components=secrets >"$session/keyring.log" 2>&1 &
    keyring_pid=$!
    # --unlock returns before the daemon owns its name.
    gdbus wait --session --timeout 10 org.freedesktop.secrets
fi

"$@"
