#!/usr/bin/env python3
"""A local stand-in for the Synofin LMS token endpoint, for tests and offline demos.

It answers `POST .../oauth/authorization` the way the LMS API documentation describes, and
misbehaves on demand (a queue of faults) so that a client's error handling can be exercised.
It stands in for the token endpoint only; see README.md. Python 3 standard library only.
"""

import argparse
import base64
import binascii
import datetime
import hmac
import http
import ipaddress
import json
import os
import secrets
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROGRAM = "lms-stand-in"
TOKEN_PATH_SUFFIX = "/oauth/authorization"
WHOAMI_PATH_SUFFIX = "/api/v1/whoami"
CONTROL_PREFIX = "/_stand-in/"
# What the real LMS sends; clients must not depend on the exact parameter, but should meet it.
JSON_CONTENT_TYPE = "application/json; charset=utf-8"

DEFAULT_EXPIRES_IN = 3600
MAX_REQUEST_BODY = 1 << 20
# Records are kept for the stats endpoint; a long demo must not grow without bound.
MAX_RECORDS = 10_000
HANG_LIMIT_SECONDS = 600.0
# An idle keep-alive connection is closed after this, as real front ends do.
IDLE_CONNECTION_SECONDS = 120
TLS_HANDSHAKE_SECONDS = 10
MAX_OVERSIZED_BYTES = 64 << 20
LONG_TOKEN_LENGTH = 10_000

INVALID_CREDENTIALS = "Invalid API key or secret"
CLIENT_NAME_REQUIRED = "client_name header is required"


# ---------------------------------------------------------------------------------------------
# Accounts


class Account:
    """One API key and secret the stand-in accepts, optionally bound to one client name."""

    __slots__ = ("key", "secret", "client_name")

    def __init__(self, key, secret, client_name):
        self.key = key
        self.secret = secret
        self.client_name = client_name

    def __repr__(self):
        # Keeps the key and secret out of any traceback or debug print.
        return f"Account(client_name={self.client_name!r})"


def parse_account(text, where):
    """Reads KEY:SECRET[:CLIENT_NAME]; `where` names the source in errors, never the text."""
    parts = text.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"{where}: expected KEY:SECRET[:CLIENT_NAME] (key and secret without ':')")
    client_name = parts[2] if len(parts) == 3 and parts[2] else None
    return Account(parts[0], parts[1], client_name)


def read_accounts_file(path):
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read accounts file {path}: {error}") from None
    accounts = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            accounts.append(parse_account(line, f"{path} line {number}"))
    return accounts


def authorization_scheme(header):
    """The scheme word of an Authorization header, and nothing that could be a credential."""
    if header is None:
        return None
    word, space, _ = header.strip().partition(" ")
    looks_like_scheme = 0 < len(word) <= 24 and all(c.isalnum() or c in "-_." for c in word)
    known = word.lower() in ("basic", "bearer", "digest", "negotiate", "ntlm", "token")
    # A header without a space may be a bare credential; name it only if it is a known scheme.
    if looks_like_scheme and (space or known):
        return word
    return "<unrecognised>"


def match_account(accounts, header, client_name):
    """The account that `Authorization: Basic ...` and the client_name header select, or None."""
    if header is None:
        return None
    scheme, _, parameter = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(parameter.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    key, colon, secret = decoded.partition(b":")
    if not colon:
        return None
    found = None
    for account in accounts:
        # Both comparisons always run, so timing says nothing about which half was wrong.
        same_key = hmac.compare_digest(key, account.key.encode("utf-8"))
        same_secret = hmac.compare_digest(secret, account.secret.encode("utf-8"))
        if same_key and same_secret and account.client_name in (None, client_name):
            found = account
    return found


# ---------------------------------------------------------------------------------------------
# Tokens


def base64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact_json(value):
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


_JWT_HEADER = base64url(compact_json({"alg": "HS256", "typ": "JWT"}))


def make_token(client_name, lifetime, purpose="access", length=None):
    """A random, unique token shaped like a JWT (header.payload.signature, base64url).

    With `length`, the payload carries padding so that the token is exactly that long and
    still decodes as a JWT.
    """
    now = int(time.time())
    claims = {
        "iss": PROGRAM,
        "sub": client_name,
        "typ": purpose,
        "jti": secrets.token_hex(16),
        "iat": now,
        "exp": now + int(lifetime),
    }
    signature = base64url(secrets.token_bytes(32))
    if length is None:
        return f"{_JWT_HEADER}.{base64url(compact_json(claims))}.{signature}"
    # Unpadded base64 never has a length of 4k+1, so try a few signature sizes.
    for signature_bytes in (32, 31, 33, 30, 34):
        signature = base64url(secrets.token_bytes(signature_bytes))
        fixed = len(_JWT_HEADER) + len(signature) + 2
        padding = max(0, (length - fixed) * 3 // 4 - len(compact_json(claims)) - 16)
        while True:
            payload = base64url(compact_json({**claims, "pad": "x" * padding}))
            if fixed + len(payload) >= length:
                break
            padding += 1
        if fixed + len(payload) == length:
            return f"{_JWT_HEADER}.{payload}.{signature}"
    raise AssertionError("no token of the asked length")  # unreachable for lengths over 100


def numeric_lifetime(value, default):
    """How long a token given `expires_in: value` lives, for the whoami endpoint."""
    if isinstance(value, bool):
        return default
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    return default


# ---------------------------------------------------------------------------------------------
# Faults


class FaultError(ValueError):
    pass


TOKEN_ODDITIES = ("crlf", "lf", "nul", "control", "empty", "missing", "number", "long")
STATUS_BODIES = ("json", "html", "empty")
DROP_MODES = ("close", "reset")

# kind -> {field: (check, default)}; a default of REQUIRED must be given.
REQUIRED = object()


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value):
    return isinstance(value, str)


def _anything(value):
    return True


FAULT_FIELDS = {
    "status": {
        "status": (lambda v: _integer(v) and 200 <= v <= 599, REQUIRED),
        "retry_after": (lambda v: _number(v) or _text(v), None),
        "body": (lambda v: v in STATUS_BODIES, "json"),
        "message": (_text, None),
    },
    "delay": {"seconds": (lambda v: _number(v) and 0 <= v <= HANG_LIMIT_SECONDS, 1.0)},
    "hang": {"seconds": (lambda v: _number(v) and 0 <= v <= HANG_LIMIT_SECONDS, HANG_LIMIT_SECONDS)},
    "drop": {"mode": (lambda v: v in DROP_MODES, "close")},
    "malformed": {},
    "oversized": {
        "size": (lambda v: _integer(v) and 0 < v <= MAX_OVERSIZED_BYTES, 2 << 20),
        "chunked": (lambda v: isinstance(v, bool), False),
    },
    "response_false": {"message": (_text, "Account suspended")},
    "error_object": {"message": (_text, "Credentials revoked")},
    "error_message": {"message": (_text, "API secret expired")},
    "token": {"value": (lambda v: v in TOKEN_ODDITIES, REQUIRED)},
    "expires_string": {"value": (lambda v: _number(v) or _text(v), DEFAULT_EXPIRES_IN)},
    "expires": {"value": (_anything, REQUIRED)},
    "no_content_type": {},
    "chunked": {},
}

# The field a short form's first argument fills: `status:503`, `token:crlf`, `delay:2.5`.
POSITIONAL_FIELD = {
    "status": "status",
    "delay": "seconds",
    "hang": "seconds",
    "drop": "mode",
    "oversized": "size",
    "response_false": "message",
    "error_object": "message",
    "error_message": "message",
    "token": "value",
    "expires_string": "value",
    "expires": "value",
}

# These answer in place of the endpoint, whatever the credentials.
REPLACING_KINDS = frozenset(
    {"status", "hang", "drop", "malformed", "oversized", "response_false", "error_object", "error_message"}
)


def normalise_fault(value):
    """Checks one fault object and fills in its defaults; raises FaultError naming the problem."""
    if not isinstance(value, dict):
        raise FaultError(f"a fault is a JSON object or a short form string, not {json.dumps(value)}")
    kind = value.get("kind")
    if kind not in FAULT_FIELDS:
        raise FaultError(f"unknown fault kind {json.dumps(kind)}; known: {', '.join(FAULT_FIELDS)}")
    fields = FAULT_FIELDS[kind]
    unknown = set(value) - set(fields) - {"kind", "times"}
    if unknown:
        allowed = ", ".join(["times", *fields]) or "times"
        raise FaultError(f"fault {kind}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {allowed}")
    fault = {"kind": kind}
    for name, (check, default) in fields.items():
        if name in value:
            if not check(value[name]):
                raise FaultError(f"fault {kind}: invalid {name} {json.dumps(value[name])}")
            fault[name] = value[name]
        elif default is REQUIRED:
            raise FaultError(f"fault {kind}: {name} is required")
        else:
            fault[name] = default
    times = value.get("times", 1)
    if not _integer(times) or times < 1:
        raise FaultError(f"fault {kind}: times must be a whole number of at least 1")
    fault["times"] = times
    return fault


def _short_form_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_fault_spec(spec):
    """A fault from the command line: a JSON object, or `kind[:arg][:name=value]...[*times]`."""
    spec = spec.strip()
    if spec.startswith("{"):
        try:
            return normalise_fault(json.loads(spec))
        except ValueError as error:
            if isinstance(error, FaultError):
                raise
            raise FaultError(f"fault {spec!r} is not valid JSON: {error}") from None
    fault = {}
    head, star, tail = spec.rpartition("*")
    if star and tail.isdigit():
        spec = head
        fault["times"] = int(tail)
    kind, *arguments = spec.split(":")
    fault["kind"] = kind
    for index, argument in enumerate(arguments):
        name, equals, text = argument.partition("=")
        if equals:
            fault[name] = _short_form_value(text)
        elif index == 0 and kind in POSITIONAL_FIELD:
            field = POSITIONAL_FIELD[kind]
            # A message or a token oddity stays text even when it looks like a number.
            fault[field] = argument if field in ("message", "mode") else _short_form_value(argument)
        else:
            raise FaultError(f"fault {spec!r}: unexpected argument {argument!r}")
    return normalise_fault(fault)


def parse_fault_item(item):
    return parse_fault_spec(item) if isinstance(item, str) else normalise_fault(item)


# ---------------------------------------------------------------------------------------------
# Shared state


def utc_now_text():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class StandInState:
    """Everything requests share: the fault queue, the counters, the records, issued tokens."""

    def __init__(self, accounts, expires_in, faults=()):
        self.accounts = list(accounts)
        self.expires_in = expires_in
        self._lock = threading.Lock()
        self._faults = deque()  # of [fault, applications left]
        self._records = []
        self._token_requests = 0
        self._tokens_issued = 0
        self._whoami_requests = 0
        self._tokens = {}  # access token -> (client name, monotonic expiry)
        self.set_faults(faults, append=False)

    def set_faults(self, faults, append):
        with self._lock:
            if not append:
                self._faults.clear()
            self._faults.extend([fault, fault["times"]] for fault in faults)
            return self._pending_locked()

    def next_fault(self):
        with self._lock:
            if not self._faults:
                return None
            entry = self._faults[0]
            entry[1] -= 1
            if entry[1] == 0:
                self._faults.popleft()
            return dict(entry[0])

    def _pending_locked(self):
        return sum(left for _, left in self._faults)

    def add_record(self, record):
        with self._lock:
            self._token_requests += 1
            self._records.append(record)
            if len(self._records) > MAX_RECORDS:
                del self._records[0]

    def update_record(self, record, **fields):
        with self._lock:
            record.update(fields)

    def note_token_issued(self, access_token, client_name, lifetime):
        with self._lock:
            self._tokens_issued += 1
            if isinstance(access_token, str) and access_token:
                now = time.monotonic()
                self._tokens = {t: e for t, e in self._tokens.items() if e[1] > now}
                self._tokens[access_token] = (client_name, now + lifetime)

    def look_up_token(self, access_token):
        """(client name, seconds left) for a live token this stand-in issued, else None."""
        with self._lock:
            self._whoami_requests += 1
            entry = self._tokens.get(access_token)
        if entry is None:
            return None
        left = entry[1] - time.monotonic()
        return (entry[0], int(left)) if left > 0 else None

    def snapshot(self):
        with self._lock:
            return {
                "token_requests": self._token_requests,
                "tokens_issued": self._tokens_issued,
                "requests": [dict(record) for record in self._records],
                "faults_pending": self._pending_locked(),
                "faults": [{**fault, "times_left": left} for fault, left in self._faults],
                "whoami_requests": self._whoami_requests,
            }

    def reset(self):
        # Issued tokens stay valid, as they would at the real LMS.
        with self._lock:
            self._faults.clear()
            self._records.clear()
            self._token_requests = 0
            self._tokens_issued = 0
            self._whoami_requests = 0


# ---------------------------------------------------------------------------------------------
# Bodies


def error_document(error):
    return {"response": False, "data": None, "error": error}


def encode(document):
    return json.dumps(document).encode("utf-8")


def reason_phrase(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def html_error_page(status):
    phrase = reason_phrase(status)
    return (
        f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode("ascii")


def odd_token(oddity, client_name, lifetime):
    token = make_token(client_name, lifetime)
    if oddity == "crlf":
        return token + "\r\nusername=injected"
    if oddity == "lf":
        return token + "\nusername=injected"
    if oddity == "nul":
        return token[:40] + "\u0000" + token[40:]
    if oddity == "control":
        return token[:40] + "\u001b[31m" + token[40:]
    if oddity == "empty":
        return ""
    if oddity == "number":
        return 1234567890123
    if oddity == "long":
        return make_token(client_name, lifetime, length=LONG_TOKEN_LENGTH)
    if oddity == "missing":
        return None  # success_document leaves the key out
    raise AssertionError(oddity)


def success_document(account, client_name, expires_in, fault):
    """The documented success body, shaped by a `token`, `expires` or `expires_string` fault.

    Returns the document, the access token (to remember for whoami) and its lifetime.
    """
    kind = fault["kind"] if fault else None
    expires_value = expires_in
    if kind == "expires_string":
        value = fault["value"]
        expires_value = value if isinstance(value, str) else str(value)
    elif kind == "expires":
        expires_value = fault["value"]
    lifetime = numeric_lifetime(expires_value, expires_in)
    claimed_lifetime = lifetime if -1e12 < lifetime < 1e12 else expires_in

    access_token = make_token(client_name, claimed_lifetime)
    if kind == "token":
        access_token = odd_token(fault["value"], client_name, claimed_lifetime)
    auth_data = {
        "access_token": access_token,
        "service_token": make_token(client_name, claimed_lifetime, purpose="service"),
        "expires_in": expires_value,
    }
    if access_token is None:
        del auth_data["access_token"]
    if kind == "expires" and expires_value is None:
        del auth_data["expires_in"]

    document = {
        "response": True,
        "data": {
            "response": True,
            # The real LMS echoes the key and secret back; clients must drop them.
            "user_data": {"apiKey": account.key, "apiSecret": account.secret, "clientName": client_name},
            "auth_data": auth_data,
            "error_message": None,
        },
        "error": None,
    }
    return document, access_token, lifetime


def oversized_body(account, client_name, expires_in, size):
    """A well-formed success body, padded to `size` bytes (or a little more if `size` is tiny)."""
    document, _, _ = success_document(account or Account("key", "secret", None), client_name or "", expires_in, None)
    document["padding"] = ""
    base = len(encode(document))
    document["padding"] = "x" * max(0, size - base)
    return encode(document)


# ---------------------------------------------------------------------------------------------
# HTTP


def is_loopback(address):
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def printable(text, limit=200):
    if text is None:
        return "-"
    text = "".join(c if c.isprintable() and c != "\\" else f"\\x{ord(c):02x}" for c in text[:limit])
    return text


class ClientGone(Exception):
    """The client closed the connection before the answer was complete."""


class BadRequestBody(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class StandInHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = PROGRAM
    timeout = IDLE_CONNECTION_SECONDS

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.requests_on_connection = 0

    # Every method reaches one dispatcher, so that wrong methods get a JSON 405, not a 501.
    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self):
        self.requests_on_connection += 1
        self.answered_status = None
        self.outcome = "answered"
        self.log_client_name = None
        self.log_fault = None
        path = self.path.split("?", 1)[0]
        try:
            if path.startswith(CONTROL_PREFIX):
                self._control(path[len(CONTROL_PREFIX):])
            elif path.endswith(TOKEN_PATH_SUFFIX):
                self._token_endpoint()
            elif path.endswith(WHOAMI_PATH_SUFFIX):
                self._whoami()
            else:
                self._read_body_or_answer()
                self._send_json(404, error_document("Not found"))
        except ClientGone:
            self.outcome = "client_gone"
            self.close_connection = True
        self._log_request_line()

    # -- reading

    def _read_body(self):
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise BadRequestBody(501, f"Transfer-Encoding {encoding.strip()} is not supported")
            return self._read_chunked_body()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not length_text.strip().isdigit():
            raise BadRequestBody(400, "Invalid Content-Length")
        length = int(length_text)
        if length > MAX_REQUEST_BODY:
            raise BadRequestBody(413, "Request body too large")
        body = self._read_exactly(length)
        return body

    def _read_exactly(self, length):
        try:
            data = self.rfile.read(length)
        except (OSError, ValueError):
            raise ClientGone() from None
        if len(data) < length:
            raise ClientGone()
        return data

    def _read_line(self):
        try:
            line = self.rfile.readline(1024)
        except (OSError, ValueError):
            raise ClientGone() from None
        if not line.endswith(b"\n"):
            raise ClientGone() if not line else BadRequestBody(400, "Invalid chunked body")
        return line

    def _read_chunked_body(self):
        body = bytearray()
        while True:
            size_text = self._read_line().split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise BadRequestBody(400, "Invalid chunked body") from None
            if size == 0:
                while self._read_line() not in (b"\r\n", b"\n"):
                    pass  # trailer fields
                return bytes(body)
            if len(body) + size > MAX_REQUEST_BODY:
                raise BadRequestBody(413, "Request body too large")
            body += self._read_exactly(size)
            self._read_line()

    def _read_body_or_answer(self):
        """The request body, or None after answering a request whose body could not be read."""
        try:
            return self._read_body()
        except BadRequestBody as problem:
            # The rest of the stream cannot be trusted to start a new request.
            self.close_connection = True
            self._send_json(problem.status, error_document(problem.message))
            return None

    # -- writing

    def _send(self, status, body, content_type=JSON_CONTENT_TYPE, chunked=False, headers=()):
        try:
            self.send_response(status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            for name, value in headers:
                self.send_header(name, value)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.answered_status = status
            if self.command == "HEAD":
                return
            if chunked:
                self._write_chunked(body)
            else:
                self.wfile.write(body)
        except (OSError, ssl.SSLError):
            raise ClientGone() from None

    def _write_chunked(self, body):
        # Uneven pieces, so that a client that assumes one chunk per read is caught out.
        piece = max(1, min(64 * 1024, len(body) // 3 + 1))
        for start in range(0, len(body), piece):
            chunk = body[start:start + piece]
            self.wfile.write(f"{len(chunk):x}\r\n".encode("ascii") + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _send_json(self, status, document, **options):
        self._send(status, encode(document), **options)

    # -- the token endpoint

    def _token_endpoint(self):
        state = self.server.state
        client_name = self.headers.get("client_name") or None
        authorization = self.headers.get("Authorization")
        account = match_account(state.accounts, authorization, client_name)
        self.log_client_name = client_name
        record = {
            "time": utc_now_text(),
            "method": self.command,
            "path": self.path,
            "http_version": self.request_version,
            "tls": self.server.tls_context is not None,
            "connection_request": self.requests_on_connection,
            "client_name": client_name,
            "content_length": self.headers.get("Content-Length"),
            "transfer_encoding": self.headers.get("Transfer-Encoding"),
            "body_sent": False,
            "body_length": 0,
            "content_type": self.headers.get("Content-Type"),
            "user_agent": self.headers.get("User-Agent"),
            "accept": self.headers.get("Accept"),
            "authorization_scheme": authorization_scheme(authorization),
            "credentials_valid": account is not None,
            "status": None,
            "outcome": None,
            "fault": None,
        }
        fault = state.next_fault() if self.command == "POST" else None
        self.log_fault = fault
        record["fault"] = fault
        state.add_record(record)
        try:
            body = self._read_body_or_answer()
            if body is not None:
                state.update_record(record, body_sent=len(body) > 0, body_length=len(body))
                if self.command != "POST":
                    self._send_json(405, error_document("Method not allowed"), headers=[("Allow", "POST")])
                else:
                    self._answer_token_request(account, client_name, fault)
        finally:
            state.update_record(record, status=self.answered_status, outcome=self.outcome)

    def _answer_token_request(self, account, client_name, fault):
        kind = fault["kind"] if fault else None
        if kind == "delay":
            self.server.stopping.wait(fault["seconds"])
        if kind in REPLACING_KINDS:
            self._answer_with_fault(account, client_name, fault)
            return
        options = {"chunked": kind == "chunked"}
        if kind == "no_content_type":
            options["content_type"] = None
        if client_name is None:
            self._send_json(400, error_document(CLIENT_NAME_REQUIRED), **options)
        elif account is None:
            self._send_json(401, error_document(INVALID_CREDENTIALS), **options)
        else:
            state = self.server.state
            document, access_token, lifetime = success_document(account, client_name, state.expires_in, fault)
            self._send_json(200, document, **options)
            state.note_token_issued(access_token, client_name, lifetime)

    def _answer_with_fault(self, account, client_name, fault):
        kind = fault["kind"]
        if kind == "status":
            self._answer_status_fault(fault)
        elif kind == "hang":
            self._hang(fault["seconds"])
        elif kind == "drop":
            self._drop(fault["mode"])
        elif kind == "malformed":
            self._send(200, b'{"response": tru')
        elif kind == "oversized":
            body = oversized_body(account, client_name, self.server.state.expires_in, fault["size"])
            self._send(200, body, chunked=fault["chunked"])
        elif kind == "response_false":
            self._send_json(200, error_document(fault["message"]))
        elif kind == "error_object":
            self._send_json(401, error_document({"code": "AUTH_FAILED", "message": fault["message"]}))
        elif kind == "error_message":
            data = {"response": False, "error_message": fault["message"]}
            self._send_json(401, {"response": False, "data": data, "error": None})
        else:
            raise AssertionError(kind)

    def _answer_status_fault(self, fault):
        status = fault["status"]
        headers = []
        if fault["retry_after"] is not None:
            retry_after = fault["retry_after"]
            if isinstance(retry_after, float) and retry_after.is_integer():
                retry_after = int(retry_after)
            headers.append(("Retry-After", str(retry_after)))
        # These statuses never carry a body.
        if fault["body"] == "empty" or status in (204, 304):
            self._send(status, b"", content_type=None, headers=headers)
        elif fault["body"] == "html":
            self._send(status, html_error_page(status), content_type="text/html", headers=headers)
        else:
            self._send_json(status, error_document(fault["message"] or reason_phrase(status)), headers=headers)

    def _hang(self, seconds):
        """Holds the connection without answering until the client leaves, time runs out or we stop."""
        self.outcome = "hung"
        self.close_connection = True
        connection = self.connection
        deadline = time.monotonic() + seconds
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            connection.settimeout(min(0.25, max(0.01, deadline - time.monotonic())))
            try:
                # Whatever the client sends now is discarded: this connection is never answered.
                if not connection.recv(4096):
                    break
            except (socket.timeout, ssl.SSLWantReadError):
                continue
            except (OSError, ssl.SSLError):
                break

    def _drop(self, mode):
        self.outcome = "dropped"
        self.close_connection = True
        if mode == "reset":
            # Linger 0 makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    # -- the protected resource

    def _whoami(self):
        if self._read_body_or_answer() is None:
            return
        if self.command not in ("GET", "HEAD"):
            self._send_json(405, error_document("Method not allowed"), headers=[("Allow", "GET")])
            return
        scheme, _, token = (self.headers.get("Authorization") or "").strip().partition(" ")
        found = self.server.state.look_up_token(token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            self._send_json(
                401,
                error_document("Invalid or expired token"),
                headers=[("WWW-Authenticate", 'Bearer error="invalid_token"')],
            )
            return
        self.log_client_name = found[0]
        self._send_json(200, {"client_name": found[0], "expires_in": found[1]})

    # -- control

    def _control(self, name):
        body = self._read_body_or_answer()
        if body is None:
            return
        if not is_loopback(self.client_address[0]):
            self._send_json(403, error_document("control endpoints answer loopback clients only"))
            return
        state = self.server.state
        if name == "stats" and self.command in ("GET", "HEAD"):
            self._send_json(200, state.snapshot())
        elif name == "faults" and self.command == "POST":
            self._set_faults(body)
        elif name == "faults" and self.command in ("GET", "HEAD"):
            self._send_json(200, {"faults": state.snapshot()["faults"]})
        elif name == "reset" and self.command == "POST":
            state.reset()
            self._send_json(200, {"reset": True})
        elif name in ("stats", "faults", "reset"):
            allowed = {"stats": "GET", "faults": "GET, POST", "reset": "POST"}[name]
            self._send_json(405, error_document("Method not allowed"), headers=[("Allow", allowed)])
        else:
            self._send_json(404, error_document("Not found"))

    def _set_faults(self, body):
        try:
            request = json.loads(body.decode("utf-8") if body else "null")
            if not isinstance(request, dict) or not isinstance(request.get("faults"), list):
                raise FaultError('expected {"faults": [FAULT, ...], "append": false}')
            append = request.get("append", False)
            if not isinstance(append, bool):
                raise FaultError("append must be true or false")
            faults = [parse_fault_item(item) for item in request["faults"]]
        except (ValueError, UnicodeDecodeError) as error:
            self._send_json(400, error_document(str(error)))
            return
        pending = self.server.state.set_faults(faults, append=append)
        self._send_json(200, {"faults_pending": pending})

    # -- logging: one line per request; never a header value but client_name

    def _log_request_line(self):
        if self.server.quiet:
            return
        status = self.answered_status if self.answered_status is not None else self.outcome
        line = f"{self.command} {printable(self.path)} {status} client_name={printable(self.log_client_name)}"
        if self.log_fault:
            line += f" fault={self.log_fault['kind']}"
        self.server.log(line)

    def log_request(self, code="-", size="-"):
        pass  # _log_request_line writes the one line, once the outcome is known

    def log_message(self, format, *args):
        if not self.server.quiet:
            self.server.log(printable(format % args, limit=300))

    def send_error(self, code, message=None, explain=None):
        # Reached for requests http.server cannot parse; answer JSON like every other error.
        self.close_connection = True
        text = message or reason_phrase(code)
        self.log_message("%d %s", code, text)
        try:
            self.send_response_only(code)
            body = encode(error_document(text))
            self.send_header("Content-Type", JSON_CONTENT_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except (OSError, ssl.SSLError):
            pass


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True
    # 32+ clients connecting at once must not meet a full accept queue.
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, address, family, state, tls_context=None, quiet=False):
        self.address_family = family
        self.state = state
        self.tls_context = tls_context
        self.quiet = quiet
        self.stopping = threading.Event()
        self._log_lock = threading.Lock()
        super().__init__(address, StandInHandler)

    def server_bind(self):
        # HTTPServer.server_bind asks DNS for our name, which can stall where there is no DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        # The handshake runs here, in the connection's own thread, so a client that never
        # finishes it holds up nobody else.
        try:
            request.settimeout(TLS_HANDSHAKE_SECONDS)
            connection = self.tls_context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as error:
            if not self.quiet:
                self.log(f"TLS handshake with {client_address[0]} failed: {error}")
            return
        try:
            self.RequestHandlerClass(connection, client_address, self)
        finally:
            self.shutdown_request(connection)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError, ssl.SSLError)):
            return
        self.log(f"error while serving {client_address[0]}: {type(error).__name__}: {error}")

    def log(self, line):
        with self._log_lock:
            sys.stderr.write(f"{PROGRAM}: {line}\n")
            sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Command line


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="lms_stand_in.py",
        description="A local stand-in for the Synofin LMS token endpoint (POST .../oauth/authorization), "
        "with faults on demand. See README.md.",
    )
    parser.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, metavar="N", help="port (default 0: any free port)")
    parser.add_argument("--port-file", metavar="FILE", help="write the bound port here once listening")
    parser.add_argument(
        "--account", action="append", default=[], metavar="KEY:SECRET[:CLIENT_NAME]",
        help="an accepted API key and secret, optionally bound to a client name (repeatable)",
    )
    parser.add_argument("--accounts-file", metavar="FILE", help="accounts, one KEY:SECRET[:CLIENT_NAME] a line, # comments")
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain)")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument("--expires-in", type=int, default=DEFAULT_EXPIRES_IN, metavar="N",
                        help="expires_in of issued tokens, seconds (default 3600)")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC",
                        help="add a fault to the initial queue: JSON or kind[:arg][*times] (repeatable)")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="exit when the process that started us exits")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    return parser.parse_args(argv)


def fail(message):
    sys.stderr.write(f"{PROGRAM}: {message}\n")
    return 2


def write_port_file(path, port):
    """Writes the port through a temporary file and a rename, so a reader never sees half of it."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="ascii") as file:
        file.write(f"{port}\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        accounts = [parse_account(text, f"--account #{n}") for n, text in enumerate(arguments.account, 1)]
        if arguments.accounts_file:
            accounts += read_accounts_file(arguments.accounts_file)
        faults = [parse_fault_spec(spec) for spec in arguments.fault]
    except ValueError as error:
        return fail(str(error))
    if not accounts:
        return fail("no account: give --account KEY:SECRET[:CLIENT_NAME] or --accounts-file FILE")
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        return fail("--tls-cert and --tls-key go together")

    tls_context = None
    if arguments.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.minimum_version = ssl.TLSVersion.TLSv1_2
        tls_context.set_alpn_protocols(["http/1.1"])
        try:
            tls_context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
        except (OSError, ssl.SSLError) as error:
            return fail(f"cannot load {arguments.tls_cert} / {arguments.tls_key}: {error} "
                        "(make a pair with make-test-ca.sh DIR)")

    try:
        family = socket.getaddrinfo(arguments.bind, arguments.port, type=socket.SOCK_STREAM,
                                    flags=socket.AI_PASSIVE)[0][0]
        state = StandInState(accounts, arguments.expires_in, faults)
        server = StandInServer((arguments.bind, arguments.port), family, state, tls_context, arguments.quiet)
    except OSError as error:
        return fail(f"cannot listen on {arguments.bind} port {arguments.port}: {error}")

    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    parent = os.getppid()

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    host, port = server.server_address[:2]
    scheme = "https" if tls_context else "http"
    shown_host = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"{PROGRAM} listening on {scheme}://{shown_host}:{port}\n")
    sys.stderr.flush()
    if arguments.port_file:
        try:
            write_port_file(arguments.port_file, port)
        except OSError as error:
            server.server_close()
            return fail(f"cannot write the port file {arguments.port_file}: {error}")

    while not stop.wait(0.2):
        if arguments.exit_with_parent and os.getppid() != parent:
            break

    server.stopping.set()  # releases hung and delayed requests
    server.shutdown()
    server.server_close()
    if arguments.port_file:
        try:
            os.remove(arguments.port_file)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
