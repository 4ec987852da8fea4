#!/bin/sh
# Times `get` as git calls it, against the local LMS stand-in: a cached get (the common case:
# token from the cache, no store, no libcurl), a cold get with the env profile (one exchange),
# a cold get through the Secret Service (a private gnome-keyring), and, for scale,
# `git credential-store get`. Prints hyperfine's figures.
#
# usage: contrib/bench/get.sh [path/to/synofin-credential]   (default: the release build)
# Needs hyperfine (apt install hyperfine), python3, git, and for the Secret Service line
# dbus-daemon, gnome-keyring and libglib2.0-bin.
set -eu
cd "$(dirname "$0")/../.."
binary=${1:-$(swift build -c release --static-swift-stdlib --show-bin-path)/synofin-credential}
[ -x "$binary" ] || { echo "get.sh: build first: sh contrib/build.sh" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "get.sh: apt install hyperfine" >&2; exit 2; }

work=$(mktemp -d)
standin=""
cleanup() { [ -n "$standin" ] && kill "$standin" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM

printf 'bench-key:bench-secret:bench\n' >"$work/accounts"
python3 contrib/lms-stand-in/lms_stand_in.py --quiet --port 0 --port-file "$work/port" \
    --accounts-file "$work/accounts" --exit-with-parent 2>/dev/null &
standin=$!
while [ ! -s "$work/port" ]; do sleep 0.02; done
port=$(cat "$work/port")
printf 'protocol=http\nhost=127.0.0.1:%s\n\n' "$port" >"$work/request"
printf 'bench-key\n' >"$work/key"
printf 'bench-secret\n' >"$work/secret"
mkdir -m 700 "$work/runtime" "$work/home"

export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime" SYNOFIN_CREDENTIAL_NONINTERACTIVE=1
env_profile="SYNOFIN_API_URL=http://127.0.0.1:$port SYNOFIN_CLIENT_NAME=bench SYNOFIN_API_KEY_FILE=$work/key SYNOFIN_API_SECRET_FILE=$work/secret"
printf 'https://u:p@example.com\n' >"$work/git-credentials"

env $env_profile "$binary" get <"$work/request" >/dev/null
# hyperfine 1.15 (Debian 12) has no --input: the shell redirects, and hyperfine subtracts its cost.
hyperfine --warmup 10 --runs 200 \
    -n "cached get (env profile)" "env $env_profile $binary get <$work/request" \
    -n "git credential-store get" "git credential-store --file $work/git-credentials get <$work/request" \
    2>/dev/null | grep -E '^Benchmark|Time \(mean' || true
hyperfine --warmup 3 --runs 50 --prepare "env $env_profile $binary clear" \
    -n "cold get (env profile, one exchange)" "env $env_profile $binary get <$work/request" \
    2>/dev/null | grep -E '^Benchmark|Time \(mean' || true

if command -v gnome-keyring-daemon >/dev/null && command -v dbus-daemon >/dev/null; then
    # Inside a private keyring session: store the profile, then time cold gets that read it.
    sh contrib/testing/with-secret-service.sh sh -c '
        printf "api_key=bench-key\napi_secret=bench-secret\n" |
            "$1" login --profile bench --url "http://127.0.0.1:$2" --client-name bench --store secret-service --stdin --no-verify 2>/dev/null
        hyperfine --warmup 3 --runs 50 --prepare "$1 clear" -n "cold get (Secret Service, one exchange)" "$1 get <$3" \
            2>/dev/null | grep -E "^Benchmark|Time \(mean" || true
    ' sh "$binary" "$port" "$work/request"
fi
