#!/bin/sh
# The demo: sets up and builds, starts the bundled LMS stand-in on loopback with a built-in
# demo account, and shows the helper at work through an env profile: a git-protocol `get`,
# `token --json`, real `git credential fill`, and `status`. Touches nothing of yours: every
# file lives in a temporary directory that is removed at the end.
set -eu
cd "$(dirname "$0")/.."
sh contrib/setup.sh
binary="$(sh contrib/build.sh)"

work="$(mktemp -d)"
standin_pid=""
cleanup() {
    [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The built-in demo account. Only the stand-in knows it; it is not a real LMS credential.
printf '%s\n' "demo-api-key:demo-api-secret:demo-client" >"$work/accounts"
python3 contrib/lms-stand-in/lms_stand_in.py --quiet --port 0 --port-file "$work/port" \
    --accounts-file "$work/accounts" &
standin_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 500 ] || { echo "demo: the stand-in did not start" >&2; exit 1; }
    sleep 0.01
done
port="$(cat "$work/port")"

# Private homes so the demo never reads or writes your own config, cache or keyring.
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
# The env profile, as CI or a container would set it.
export SYNOFIN_API_URL="http://127.0.0.1:$port" SYNOFIN_CLIENT_NAME=demo-client
SYNOFIN_API_KEY_FILE="$work/key" SYNOFIN_API_SECRET_FILE="$work/secret"
printf 'demo-api-key\n' >"$work/key"
printf 'demo-api-secret\n' >"$work/secret"
export SYNOFIN_API_KEY_FILE SYNOFIN_API_SECRET_FILE

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step "printf 'protocol=http\\\\nhost=127.0.0.1:$port\\\\n\\\\n' | synofin-credential get"
printf 'protocol=http\nhost=127.0.0.1:%s\n\n' "$port" | "$binary" get

step "synofin-credential token --json"
"$binary" token --json

step "git credential fill   (with credential.helper=synofin)"
mkdir -p "$work/bin" && ln -s "$binary" "$work/bin/git-credential-synofin"
printf 'url=http://127.0.0.1:%s/\n\n' "$port" |
    PATH="$work/bin:$PATH" git -c credential.helper= -c credential.helper=synofin credential fill

step "synofin-credential exec -- sh -c 'curl -s -H \"Authorization: Bearer \$SYNOFIN_ACCESS_TOKEN\" \$SYNOFIN_API_URL/api/v1/whoami'"
"$binary" exec -- sh -c 'curl -s -H "Authorization: Bearer $SYNOFIN_ACCESS_TOKEN" "$SYNOFIN_API_URL/api/v1/whoami"; echo'

step "synofin-credential status"
"$binary" status

printf '\nOne exchange served all of the above: the stand-in counted %s token request(s).\n' \
    "$(curl -s "http://127.0.0.1:$port/_stand-in/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token_requests"])')"
