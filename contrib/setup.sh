#!/bin/sh
# Installs what building, testing and the demo need on Debian or Ubuntu, skipping what is
# already there. Needs root or sudo for apt; the Swift toolchain (6.x) must already be on PATH.
set -eu

packages="libsodium-dev libcurl4-openssl-dev libsecret-1-0 python3 openssl curl git age
gnome-keyring libsecret-tools dbus-daemon libglib2.0-bin"

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done

if [ -n "$missing" ]; then
    echo "setup: installing$missing" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $missing >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no Swift toolchain on PATH; install Swift 6 from https://www.swift.org/install/linux/ and run this again" >&2
    exit 1
fi
