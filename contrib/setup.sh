#!/bin/sh
# Installs what building, testing and the demo need on Debian or Ubuntu, skipping what is
# already there. Needs root or sudo for apt; the Swift toolchain (6.x) must already be on PATH.
set -eu

missing=""
# need TEST PACKAGE...: when TEST fails, the first of PACKAGE... that apt knows is installed.
need() {
    test_command=$1
    shift
    if ! sh -c "$test_command" >/dev/null 2>&1; then missing="$missing $*;"; fi
}
need "test -f /usr/include/sodium.h" libsodium-dev
need "test -f /usr/include/curl/curl.h || ls /usr/include/*/curl/curl.h" libcurl4-openssl-dev
need "ls /usr/lib/*/libsecret-1.so.0 || ls /usr/lib/libsecret-1.so.0" libsecret-1-0
need "command -v python3" python3
need "command -v openssl" openssl
need "command -v curl" curl
need "command -v git" git
need "command -v age" age
need "command -v gnome-keyring-daemon" gnome-keyring
need "command -v secret-tool" libsecret-tools
need "command -v dbus-daemon" dbus-daemon dbus
need "command -v gdbus" libglib2.0-bin

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    packages=""
    # Each entry lists alternatives (older Ubuntu ships dbus-daemon inside "dbus").
    old_ifs=$IFS
    IFS=";"
    for choices in $missing; do
        IFS=$old_ifs
        for candidate in $choices; do
            if apt-cache show "$candidate" >/dev/null 2>&1; then packages="$packages $candidate"; break; fi
        done
        IFS=";"
    done
    IFS=$old_ifs
    echo "setup: installing$packages" >&2
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $packages >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no Swift toolchain on PATH; install Swift 6 from https://www.swift.org/install/linux/ and run this again" >&2
    exit 1
fi
