#!/bin/sh
# Installs synofin-credential and its git name, git-credential-synofin, into PREFIX/bin
# (default ~/.local) and the man page into PREFIX/share/man/man1.
set -eu
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
binary="$(sh contrib/build.sh)"
install -d "$prefix/bin" "$prefix/share/man/man1"
install -m 755 "$binary" "$prefix/bin/synofin-credential"
ln -sf synofin-credential "$prefix/bin/git-credential-synofin"
install -m 644 contrib/synofin-credential.1 "$prefix/share/man/man1/synofin-credential.1"
echo "installed $prefix/bin/synofin-credential and git-credential-synofin" >&2
