#!/bin/sh
# Makes a throw-away certificate authority and a server certificate it signed, for running the
# LMS stand-in over HTTPS in tests and demos:
#
#   contrib/lms-stand-in/make-test-ca.sh DIR
#
# DIR/ca.pem, DIR/ca-key.pem: the CA (give ca.pem to the client as its ca-file);
# DIR/server.pem, DIR/server-key.pem: for localhost, 127.0.0.1 and ::1.
# EC P-256 keys (mode 0600), valid for 2 days, so a leaked copy is worth nothing for long.
# Existing files in DIR are replaced. Silent on success.
set -eu

program=$(basename "$0")
[ $# -eq 1 ] || { echo "usage: $program DIR" >&2; exit 2; }
command -v openssl >/dev/null 2>&1 ||
    { echo "$program: openssl not found; install it with: apt install openssl" >&2; exit 1; }

dir=$1
umask 077
mkdir -p "$dir"
work=$(mktemp -d "$dir/.make-test-ca-XXXXXX")
trap 'rm -rf "$work"' EXIT

# openssl talks on stderr even when it succeeds; keep its words for when it fails.
run() {
    if ! output=$("$@" 2>&1); then
        printf '%s: %s failed:\n%s\n' "$program" "$1 $2" "$output" >&2
        exit 1
    fi
}

# Extensions strict verifiers (Python 3.13's VERIFY_X509_STRICT, Go, rustls) insist on.
cat >"$work/server.ext" <<'EXT'
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT

run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/ca-key.pem" -out "$work/ca.pem" -days 2 \
    -subj "/CN=lms-stand-in throw-away CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
run openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/server-key.pem" -out "$work/server.csr" -subj "/CN=localhost"
run openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" \
    -days 2 -extfile "$work/server.ext" -out "$work/server.pem"

chmod 600 "$work/ca-key.pem" "$work/server-key.pem"
chmod 644 "$work/ca.pem" "$work/server.pem"
for file in ca-key.pem ca.pem server-key.pem server.pem; do
    mv -f "$work/$file" "$dir/$file"
done
