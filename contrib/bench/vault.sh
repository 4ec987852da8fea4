#!/bin/sh
# Times opening the encrypted vault: a cold `get` (token cache cleared before every run, so the
# vault is decrypted and one token exchange is made against the local LMS stand-in) with an
# X25519 identity file and with a passphrase file (scrypt, work factor 18), next to a warm `get`
# (cached token, vault untouched) and `age -d` of the same vaults for reference.
#
# usage: contrib/bench/vault.sh [path/to/synofin-credential]
#        (default: .build/release/synofin-credential, built with `swift build -c release`)
# Needs hyperfine, python3 and age (contrib/setup.sh installs the last two).
set -eu
cd "$(dirname "$0")/../.."
binary=${1:-.build/release/synofin-credential}
case $binary in /*) ;; *) binary=$PWD/$binary ;; esac
if [ ! -x "$binary" ]; then
    echo "vault.sh: $binary is not built; run: swift build -c release" >&2
    exit 2
fi
for tool in hyperfine python3 age; do
    command -v "$tool" >/dev/null 2>&1 || { echo "vault.sh: $tool is not installed" >&2; exit 2; }
done

work=$(mktemp -d)
standin=""
cleanup() {
    [ -n "$standin" ] && kill "$standin" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

key=bench-key-0c4e
secret=bench-secret-93ad
printf '%s:%s:bench\n' "$key" "$secret" >"$work/accounts"
python3 contrib/lms-stand-in/lms_stand_in.py --quiet --port 0 --port-file "$work/port" \
    --accounts-file "$work/accounts" --exit-with-parent >/dev/null &
standin=$!
tries=0
while [ ! -s "$work/port" ]; do
    tries=$((tries + 1))
    [ "$tries" -gt 100 ] && { echo "vault.sh: the LMS stand-in did not start" >&2; exit 1; }
    sleep 0.05
done
port=$(cat "$work/port")

# One isolated home per unlock method, each with one file-stored profile.
setup() {
    home=$work/$1
    mkdir -p "$home/home" "$home/runtime"
    chmod 700 "$home/runtime"
    cat >"$home/env" <<ENV
export HOME=$home/home XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data
export XDG_CACHE_HOME=$home/cache XDG_RUNTIME_DIR=$home/runtime SYNOFIN_CREDENTIAL_NONINTERACTIVE=1
ENV
}

setup identity
(. "$work/identity/env" && "$binary" vault keygen >/dev/null 2>&1)
setup passphrase
printf 'a bench passphrase\n' >"$work/passphrase/passphrase"
chmod 600 "$work/passphrase/passphrase"
echo "export SYNOFIN_CREDENTIAL_PASSPHRASE_FILE=$work/passphrase/passphrase" >>"$work/passphrase/env"

for method in identity passphrase; do
    (. "$work/$method/env" && printf 'api_key=%s\napi_secret=%s\n' "$key" "$secret" |
        "$binary" login --store file --stdin --profile bench --url "http://127.0.0.1:$port" --client-name bench 2>/dev/null)
done

request="printf 'protocol=http\\nhost=127.0.0.1:$port\\n\\n'"
get() { echo ". $work/$1/env && $request | $binary get >/dev/null"; }
clear() { echo ". $work/$1/env && $binary clear"; }

echo "vault.sh: $("$binary" --version), age $(age --version), $(nproc) cores" >&2
hyperfine --warmup 2 --runs 20 --shell sh \
    --prepare "$(clear identity)" -n "cold get, identity file" "$(get identity)" \
    --prepare "$(clear passphrase)" -n "cold get, passphrase file (scrypt 2^18)" "$(get passphrase)"
hyperfine --warmup 2 --runs 20 --shell sh \
    -n "warm get (cached token, vault not opened)" "$(get identity)" \
    -n "age -d -i identity.txt vault.age" "age -d -i $work/identity/config/synofin-credential/identity.txt $work/identity/data/synofin-credential/vault.age >/dev/null"
