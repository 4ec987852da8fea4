#!/bin/sh
# Builds the release binary with the Swift runtime linked in (no Swift toolchain needed where it
# runs) and prints its path. libcurl and libsecret are not linked: they are loaded when needed.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib >&2
echo "$(swift build -c release --static-swift-stdlib --show-bin-path)/synofin-credential"
