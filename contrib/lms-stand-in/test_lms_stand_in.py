"""Self-test of the LMS stand-in: run with `python3 -m unittest discover -s contrib/lms-stand-in`.

Most tests talk HTTP to a real stand-in process, started once per test class and reset before
each test; a few check the pure functions directly.
"""

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import lms_stand_in  # noqa: E402

SCRIPT = os.path.join(HERE, "lms_stand_in.py")
MAKE_TEST_CA = os.path.join(HERE, "make-test-ca.sh")

KEY, SECRET, CLIENT = "test-key-7f3a", "test-secret-91c2", "sindhuja-mfi"
FREE_KEY, FREE_SECRET = "free-key-55aa", "free-secret-66bb"  # bound to no client name
TOKEN_PATH = "/oauth/authorization"


def basic(key, secret):
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


GOOD_HEADERS = {"Authorization": basic(KEY, SECRET), "client_name": CLIENT, "Content-Length": "0"}


class StandIn:
    """One stand-in process, started with `arguments`, reachable once its port file exists."""

    def __init__(self, *arguments, tls_dir=None):
        self.directory = tempfile.mkdtemp(prefix="lms-stand-in-test-")
        self.port_file = os.path.join(self.directory, "port")
        self.stderr_path = os.path.join(self.directory, "stderr")
        self.tls_dir = tls_dir
        command = [sys.executable, SCRIPT, "--port-file", self.port_file, *arguments]
        if tls_dir:
            command += ["--tls-cert", os.path.join(tls_dir, "server.pem"),
                        "--tls-key", os.path.join(tls_dir, "server-key.pem")]
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 10
        while not os.path.exists(self.port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"stand-in did not start: {self.stderr()}")
            time.sleep(0.01)
        with open(self.port_file) as file:
            self.port = int(file.read())

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as file:
            return file.read()

    def connection(self, timeout=5, host="127.0.0.1"):
        if self.tls_dir:
            context = ssl.create_default_context(cafile=os.path.join(self.tls_dir, "ca.pem"))
            return http.client.HTTPSConnection(host, self.port, timeout=timeout, context=context)
        return http.client.HTTPConnection(host, self.port, timeout=timeout)

    def request(self, method="POST", path=TOKEN_PATH, headers=None, body=None, timeout=5):
        """(status, headers, body bytes) of one request on a fresh connection."""
        connection = self.connection(timeout)
        try:
            connection.request(method, path, body=body, headers=GOOD_HEADERS if headers is None else headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def json_request(self, *arguments, **options):
        status, headers, body = self.request(*arguments, **options)
        return status, headers, json.loads(body)

    def stats(self):
        return self.json_request("GET", "/_stand-in/stats", headers={})[2]

    def set_faults(self, *faults, append=False):
        body = json.dumps({"faults": list(faults), "append": append})
        status, _, answer = self.json_request("POST", "/_stand-in/faults", headers={}, body=body)
        assert status == 200, answer
        return answer

    def reset(self):
        self.request("POST", "/_stand-in/reset", headers={})

    def stop(self, signal_number=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(signal_number)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
        return self.process.returncode


class StandInTestCase(unittest.TestCase):
    arguments = ("--account", f"{KEY}:{SECRET}:{CLIENT}", "--account", f"{FREE_KEY}:{FREE_SECRET}")

    @classmethod
    def setUpClass(cls):
        cls.stand_in = StandIn(*cls.arguments)

    @classmethod
    def tearDownClass(cls):
        cls.stand_in.stop()

    def setUp(self):
        self.stand_in.reset()

    def token_request(self, **options):
        return self.stand_in.json_request(**options)

    def assert_token_shape(self, token):
        parts = token.split(".")
        self.assertEqual(len(parts), 3, token)
        for part in parts:
            self.assertRegex(part, r"^[A-Za-z0-9_-]+$")
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        self.assertIn("exp", claims)


class TokenEndpointTests(StandInTestCase):
    def test_success_has_the_documented_shape(self):
        status, headers, document = self.token_request()
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(set(document), {"response", "data", "error"})
        self.assertIs(document["response"], True)
        self.assertIsNone(document["error"])
        data = document["data"]
        self.assertEqual(set(data), {"response", "user_data", "auth_data", "error_message"})
        self.assertIs(data["response"], True)
        self.assertIsNone(data["error_message"])
        self.assertEqual(data["user_data"], {"apiKey": KEY, "apiSecret": SECRET, "clientName": CLIENT})
        auth = data["auth_data"]
        self.assertEqual(set(auth), {"access_token", "service_token", "expires_in"})
        self.assertEqual(auth["expires_in"], 3600)
        self.assert_token_shape(auth["access_token"])
        self.assert_token_shape(auth["service_token"])
        self.assertNotEqual(auth["access_token"], auth["service_token"])
        self.assertTrue(150 <= len(auth["access_token"]) <= 400, len(auth["access_token"]))

    def test_every_token_issued_is_new(self):
        tokens = set()
        for _ in range(5):
            auth = self.token_request()[2]["data"]["auth_data"]
            tokens.update([auth["access_token"], auth["service_token"]])
        self.assertEqual(len(tokens), 10)

    def test_token_endpoint_works_under_a_base_path(self):
        status, _, document = self.token_request(path="/lms/v2/oauth/authorization")
        self.assertEqual(status, 200)
        self.assertIs(document["response"], True)
        self.assertEqual(self.stand_in.stats()["requests"][0]["path"], "/lms/v2/oauth/authorization")

    def test_wrong_secret_is_401_with_the_documented_body(self):
        headers = {**GOOD_HEADERS, "Authorization": basic(KEY, "wrong")}
        status, _, document = self.token_request(headers=headers)
        self.assertEqual((status, document), (401, {"response": False, "data": None, "error": "Invalid API key or secret"}))

    def test_missing_authorization_is_401(self):
        headers = {"client_name": CLIENT, "Content-Length": "0"}
        self.assertEqual(self.token_request(headers=headers)[0], 401)

    def test_bearer_instead_of_basic_is_401(self):
        headers = {**GOOD_HEADERS, "Authorization": "Bearer " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()}
        self.assertEqual(self.token_request(headers=headers)[0], 401)

    def test_missing_client_name_is_400_with_the_documented_body(self):
        headers = {"Authorization": basic(KEY, SECRET), "Content-Length": "0"}
        status, _, document = self.token_request(headers=headers)
        self.assertEqual((status, document), (400, {"response": False, "data": None, "error": "client_name header is required"}))

    def test_client_name_must_match_an_account_bound_to_one(self):
        headers = {**GOOD_HEADERS, "client_name": "someone-else"}
        self.assertEqual(self.token_request(headers=headers)[0], 401)

    def test_account_without_client_name_accepts_any_client_name(self):
        headers = {**GOOD_HEADERS, "Authorization": basic(FREE_KEY, FREE_SECRET), "client_name": "anyone"}
        status, _, document = self.token_request(headers=headers)
        self.assertEqual(status, 200)
        self.assertEqual(document["data"]["user_data"]["clientName"], "anyone")

    def test_wrong_method_is_405(self):
        status, headers, document = self.token_request(method="GET")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "POST")
        self.assertIs(document["response"], False)

    def test_unknown_path_is_404_json(self):
        status, headers, document = self.token_request(path="/oauth/authorize")
        self.assertEqual(status, 404)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertIs(document["response"], False)

    def test_connection_is_kept_alive_between_requests(self):
        connection = self.stand_in.connection()
        try:
            for _ in range(3):
                connection.request("POST", TOKEN_PATH, headers=GOOD_HEADERS)
                response = connection.getresponse()
                self.assertEqual(response.status, 200)
                response.read()
        finally:
            connection.close()
        self.assertEqual([r["connection_request"] for r in self.stand_in.stats()["requests"]], [1, 2, 3])

    def test_request_body_is_read_and_recorded(self):
        headers = {**GOOD_HEADERS, "Content-Length": "7", "Content-Type": "text/plain"}
        self.assertEqual(self.stand_in.request(headers=headers, body=b"abcdefg")[0], 200)
        record = self.stand_in.stats()["requests"][0]
        self.assertEqual((record["body_sent"], record["body_length"], record["content_length"]), (True, 7, "7"))
        self.assertEqual(record["content_type"], "text/plain")


class RecordAndCounterTests(StandInTestCase):
    def test_record_holds_what_the_client_sent(self):
        headers = {**GOOD_HEADERS, "User-Agent": "synofin-credential/0.1", "Accept": "application/json"}
        self.stand_in.request(headers=headers)
        record = self.stand_in.stats()["requests"][0]
        expected = {
            "method": "POST", "path": TOKEN_PATH, "client_name": CLIENT, "content_length": "0",
            "body_sent": False, "body_length": 0, "content_type": None,
            "user_agent": "synofin-credential/0.1", "accept": "application/json",
            "authorization_scheme": "Basic", "credentials_valid": True, "status": 200,
            "outcome": "answered", "fault": None, "http_version": "HTTP/1.1", "tls": False,
        }
        self.assertEqual({name: record[name] for name in expected}, expected)

    def test_records_and_logs_never_hold_key_secret_or_token(self):
        token = self.token_request()[2]["data"]["auth_data"]["access_token"]
        self.token_request(headers={**GOOD_HEADERS, "Authorization": basic(KEY, "wrong-secret-x")})
        self.token_request(headers={**GOOD_HEADERS, "Authorization": "rawcredential123"})
        stats_text = json.dumps(self.stand_in.stats())
        log = self.stand_in.stderr()
        encoded = GOOD_HEADERS["Authorization"].split(" ")[1]
        for secret in (KEY, SECRET, "wrong-secret-x", "rawcredential123", token, encoded):
            self.assertNotIn(secret, stats_text)
            self.assertNotIn(secret, log)
        self.assertIn("<unrecognised>", stats_text)

    def test_log_has_one_line_per_request_with_method_path_status_client(self):
        self.token_request(path="/log-check/oauth/authorization")
        # The line is written once the answer has gone out, so it may trail the answer a little.
        deadline = time.monotonic() + 3
        while True:
            lines = [line for line in self.stand_in.stderr().splitlines() if "/log-check/" in line]
            if lines or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        self.assertEqual(lines, [f"lms-stand-in: POST /log-check/oauth/authorization 200 client_name={CLIENT}"])

    def test_counters_count_requests_and_issued_tokens(self):
        self.token_request()
        self.token_request(headers={**GOOD_HEADERS, "Authorization": basic(KEY, "no")})
        self.stand_in.set_faults({"kind": "status", "status": 500})
        self.token_request()
        self.token_request()
        stats = self.stand_in.stats()
        self.assertEqual((stats["token_requests"], stats["tokens_issued"]), (4, 2))
        self.assertEqual([r["status"] for r in stats["requests"]], [200, 401, 500, 200])
        self.assertEqual([r["credentials_valid"] for r in stats["requests"]], [True, False, True, True])

    def test_reset_clears_counters_records_and_faults(self):
        self.token_request()
        self.stand_in.set_faults("status:503*3")
        self.stand_in.reset()
        stats = self.stand_in.stats()
        self.assertEqual((stats["token_requests"], stats["tokens_issued"], stats["requests"], stats["faults_pending"]),
                         (0, 0, [], 0))
        self.assertEqual(self.token_request()[0], 200)


class FaultQueueTests(StandInTestCase):
    def test_faults_apply_in_order_then_requests_are_served_normally(self):
        self.stand_in.set_faults({"kind": "status", "status": 503, "times": 2}, {"kind": "status", "status": 429})
        self.assertEqual(self.stand_in.stats()["faults_pending"], 3)
        statuses = [self.token_request()[0] for _ in range(4)]
        self.assertEqual(statuses, [503, 503, 429, 200])
        self.assertEqual(self.stand_in.stats()["faults_pending"], 0)

    def test_posting_faults_replaces_the_queue_unless_append(self):
        self.stand_in.set_faults("status:500")
        self.stand_in.set_faults("status:502")
        self.stand_in.set_faults("status:503", append=True)
        self.assertEqual([self.token_request()[0] for _ in range(3)], [502, 503, 200])

    def test_invalid_fault_is_refused_with_400_and_queue_kept(self):
        self.stand_in.set_faults("status:500")
        for fault in ({"kind": "nonsense"}, {"kind": "status"}, {"kind": "token", "value": "weird"},
                      {"kind": "status", "status": 503, "colour": "red"}, {"kind": "delay", "times": 0}):
            body = json.dumps({"faults": [fault]})
            status, _, document = self.stand_in.json_request("POST", "/_stand-in/faults", headers={}, body=body)
            self.assertEqual(status, 400, fault)
            self.assertIsInstance(document["error"], str)
        self.assertEqual(self.stand_in.stats()["faults_pending"], 1)

    def test_faults_are_recorded_with_the_request(self):
        self.stand_in.set_faults("malformed")
        self.stand_in.request()
        self.assertEqual(self.stand_in.stats()["requests"][0]["fault"]["kind"], "malformed")


class StatusFaultTests(StandInTestCase):
    def test_status_fault_sends_json_body_and_retry_after(self):
        self.stand_in.set_faults({"kind": "status", "status": 429, "retry_after": 2})
        status, headers, document = self.token_request()
        self.assertEqual((status, headers["Retry-After"]), (429, "2"))
        self.assertEqual((document["response"], document["data"]), (False, None))
        self.assertIsInstance(document["error"], str)

    def test_status_fault_html_body(self):
        self.stand_in.set_faults("status:502:body=html")
        status, headers, body = self.stand_in.request()
        self.assertEqual(status, 502)
        self.assertEqual(headers["Content-Type"], "text/html")
        self.assertIn(b"<html>", body)

    def test_status_fault_empty_body(self):
        self.stand_in.set_faults({"kind": "status", "status": 500, "body": "empty"})
        status, headers, body = self.stand_in.request()
        self.assertEqual((status, body, headers["Content-Length"]), (500, b"", "0"))

    def test_status_fault_applies_even_with_wrong_credentials(self):
        self.stand_in.set_faults("status:503")
        self.assertEqual(self.token_request(headers={**GOOD_HEADERS, "Authorization": basic("x", "y")})[0], 503)


class AnswerFaultTests(StandInTestCase):
    def test_malformed_is_200_with_truncated_json(self):
        self.stand_in.set_faults("malformed")
        status, _, body = self.stand_in.request()
        self.assertEqual((status, body), (200, b'{"response": tru'))
        with self.assertRaises(ValueError):
            json.loads(body)

    def test_oversized_is_valid_json_over_one_mebibyte(self):
        self.stand_in.set_faults("oversized")
        status, headers, body = self.stand_in.request()
        self.assertEqual(status, 200)
        self.assertEqual(len(body), 2 << 20)
        self.assertEqual(headers["Content-Length"], str(2 << 20))
        self.assertIs(json.loads(body)["response"], True)

    def test_oversized_with_size_and_chunked_has_no_content_length(self):
        self.stand_in.set_faults({"kind": "oversized", "size": (1 << 20) + 1, "chunked": True})
        status, headers, body = self.stand_in.request()
        self.assertEqual((status, len(body), headers["Content-Length"]), (200, (1 << 20) + 1, None))
        self.assertEqual(headers["Transfer-Encoding"], "chunked")
        json.loads(body)

    def test_response_false_is_200_with_error(self):
        self.stand_in.set_faults("response_false")
        self.assertEqual(self.token_request()[1:][1], {"response": False, "data": None, "error": "Account suspended"})
        self.assertEqual(self.stand_in.stats()["requests"][0]["status"], 200)

    def test_error_object_is_401_with_an_object_error(self):
        self.stand_in.set_faults("error_object")
        status, _, document = self.token_request()
        self.assertEqual(status, 401)
        self.assertEqual(document["error"], {"code": "AUTH_FAILED", "message": "Credentials revoked"})

    def test_error_message_is_401_with_data_error_message(self):
        self.stand_in.set_faults("error_message")
        status, _, document = self.token_request()
        self.assertEqual(status, 401)
        self.assertEqual(document, {"response": False, "data": {"response": False, "error_message": "API secret expired"},
                                    "error": None})


class TokenFaultTests(StandInTestCase):
    def auth_data_with(self, fault):
        self.stand_in.set_faults(fault)
        status, _, document = self.token_request()
        self.assertEqual(status, 200)
        return document["data"]["auth_data"]

    def test_odd_tokens(self):
        checks = {
            "crlf": lambda t: "\r\n" in t,
            "lf": lambda t: "\n" in t and "\r" not in t,
            "nul": lambda t: "\u0000" in t,
            "control": lambda t: "\u001b" in t,
            "empty": lambda t: t == "",
            "number": lambda t: isinstance(t, int),
            "long": lambda t: len(t) == 10_000 and t.count(".") == 2,
        }
        for oddity, check in checks.items():
            with self.subTest(oddity):
                token = self.auth_data_with(f"token:{oddity}")["access_token"]
                self.assertTrue(check(token), repr(token)[:80])

    def test_long_token_is_a_decodable_jwt(self):
        self.assert_token_shape(self.auth_data_with("token:long")["access_token"])

    def test_missing_token_has_no_access_token_key(self):
        auth = self.auth_data_with({"kind": "token", "value": "missing"})
        self.assertNotIn("access_token", auth)
        self.assertIn("service_token", auth)

    def test_expires_string(self):
        self.assertEqual(self.auth_data_with("expires_string")["expires_in"], "3600")
        self.assertEqual(self.auth_data_with("expires_string:120")["expires_in"], "120")

    def test_expires_values(self):
        for spec, expected in (("expires:0", 0), ("expires:-5", -5), ("expires:120", 120)):
            with self.subTest(spec):
                self.assertEqual(self.auth_data_with(spec)["expires_in"], expected)
        value = self.auth_data_with({"kind": "expires", "value": 3600.0})["expires_in"]
        self.assertEqual((value, type(value)), (3600.0, float))

    def test_expires_null_leaves_the_key_out(self):
        self.assertNotIn("expires_in", self.auth_data_with("expires:null"))

    def test_token_faults_do_not_turn_a_401_into_a_success(self):
        self.stand_in.set_faults("token:crlf")
        self.assertEqual(self.token_request(headers={**GOOD_HEADERS, "Authorization": basic(KEY, "x")})[0], 401)


class TransportFaultTests(StandInTestCase):
    def test_no_content_type(self):
        self.stand_in.set_faults("no_content_type")
        status, headers, body = self.stand_in.request()
        self.assertEqual((status, headers["Content-Type"]), (200, None))
        self.assertIs(json.loads(body)["response"], True)

    def test_chunked(self):
        self.stand_in.set_faults("chunked")
        status, headers, body = self.stand_in.request()
        self.assertEqual((status, headers["Transfer-Encoding"], headers["Content-Length"]), (200, "chunked", None))
        self.assertIs(json.loads(body)["response"], True)

    def test_chunked_body_is_really_sent_in_chunks(self):
        self.stand_in.set_faults("chunked")
        with socket.create_connection(("127.0.0.1", self.stand_in.port), timeout=5) as connection:
            request = (f"POST {TOKEN_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {GOOD_HEADERS['Authorization']}\r\n"
                       f"client_name: {CLIENT}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            connection.sendall(request.encode())
            raw = b""
            while chunk := connection.recv(65536):
                raw += chunk
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertTrue(body.endswith(b"0\r\n\r\n"))
        self.assertGreater(body.count(b"\r\n"), 4)

    def test_delay_waits_then_succeeds(self):
        self.stand_in.set_faults({"kind": "delay", "seconds": 0.4})
        started = time.monotonic()
        self.assertEqual(self.token_request()[0], 200)
        self.assertGreaterEqual(time.monotonic() - started, 0.4)

    def test_drop_closes_without_any_byte(self):
        self.stand_in.set_faults("drop")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.stand_in.request()
        record = self.stand_in.stats()["requests"][0]
        self.assertEqual((record["status"], record["outcome"]), (None, "dropped"))

    def test_drop_reset_resets_the_connection(self):
        self.stand_in.set_faults("drop:reset")
        with self.assertRaises(ConnectionResetError):
            self.stand_in.request()

    def test_hang_never_answers_and_blocks_no_one(self):
        self.stand_in.set_faults("hang")
        with self.assertRaises(TimeoutError):
            self.stand_in.request(timeout=0.5)
        self.assertEqual(self.token_request()[0], 200)
        record = self.stand_in.stats()["requests"][0]
        self.assertEqual((record["status"], record["outcome"]), (None, "hung"))

    def test_hang_for_a_while_then_close(self):
        self.stand_in.set_faults({"kind": "hang", "seconds": 0.3})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.stand_in.request(timeout=5)


class ConcurrencyTests(StandInTestCase):
    def test_forty_concurrent_requests_while_two_hang(self):
        self.stand_in.set_faults({"kind": "hang", "times": 2})
        hung = [threading.Thread(target=self._expect_timeout) for _ in range(2)]
        for thread in hung:
            thread.start()
        deadline = time.monotonic() + 5
        while self.stand_in.stats()["faults_pending"] and time.monotonic() < deadline:
            time.sleep(0.02)
        results = []
        lock = threading.Lock()

        def one():
            status, _, document = self.token_request(timeout=10)
            with lock:
                results.append((status, document["data"]["auth_data"]["access_token"]))

        started = time.monotonic()
        threads = [threading.Thread(target=one) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        for thread in hung:
            thread.join()
        self.assertEqual([status for status, _ in results], [200] * 40)
        self.assertEqual(len({token for _, token in results}), 40)
        self.assertLess(elapsed, 5)
        stats = self.stand_in.stats()
        self.assertEqual((stats["token_requests"], stats["tokens_issued"]), (42, 40))

    def _expect_timeout(self):
        try:
            self.stand_in.request(timeout=1.5)
        except TimeoutError:
            return
        raise AssertionError("a hung request was answered")


class WhoamiTests(StandInTestCase):
    def whoami(self, token):
        return self.stand_in.json_request("GET", "/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})

    def test_issued_token_is_accepted(self):
        token = self.token_request()[2]["data"]["auth_data"]["access_token"]
        status, _, document = self.whoami(token)
        self.assertEqual(status, 200)
        self.assertEqual(document["client_name"], CLIENT)
        self.assertTrue(3590 <= document["expires_in"] <= 3600)

    def test_unknown_token_is_401(self):
        self.assertEqual(self.whoami("eyJ.not.issued")[0], 401)

    def test_expired_token_is_401(self):
        self.stand_in.set_faults("expires:0")
        token = self.token_request()[2]["data"]["auth_data"]["access_token"]
        self.assertEqual(self.whoami(token)[0], 401)


class CommandLineTests(unittest.TestCase):
    def test_initial_faults_from_the_command_line(self):
        stand_in = StandIn("--account", f"{KEY}:{SECRET}", "--quiet",
                           "--fault", "status:503*2", "--fault", '{"kind": "token", "value": "lf"}')
        try:
            self.assertEqual(stand_in.stats()["faults_pending"], 3)
            statuses = [stand_in.request()[0] for _ in range(2)]
            token = json.loads(stand_in.request()[2])["data"]["auth_data"]["access_token"]
            self.assertEqual(statuses, [503, 503])
            self.assertIn("\n", token)
        finally:
            stand_in.stop()

    def test_accounts_file_with_comments(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "accounts")
            with open(path, "w") as file:
                file.write(f"# test accounts\n\n  {KEY}:{SECRET}:{CLIENT}  \n# other:other\n")
            stand_in = StandIn("--accounts-file", path, "--quiet")
            try:
                self.assertEqual(stand_in.request()[0], 200)
                other = {**GOOD_HEADERS, "Authorization": basic("other", "other")}
                self.assertEqual(stand_in.request(headers=other)[0], 401)
            finally:
                stand_in.stop()

    def test_quiet_logs_no_requests(self):
        stand_in = StandIn("--account", f"{KEY}:{SECRET}", "--quiet")
        try:
            stand_in.request()
            self.assertEqual(stand_in.stderr().strip().splitlines(),
                             [f"lms-stand-in listening on http://127.0.0.1:{stand_in.port}"])
        finally:
            stand_in.stop()

    def test_sigterm_and_sigint_exit_zero_and_remove_the_port_file(self):
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal_number):
                stand_in = StandIn("--account", f"{KEY}:{SECRET}", "--quiet", "--fault", "hang")
                hung = stand_in.connection(timeout=0.3)
                with self.assertRaises(TimeoutError):
                    hung.request("POST", TOKEN_PATH, headers=GOOD_HEADERS)
                    hung.getresponse()
                port_file = stand_in.port_file
                stand_in.process.send_signal(signal_number)
                self.assertEqual(stand_in.process.wait(5), 0)
                self.assertFalse(os.path.exists(port_file))
                hung.close()
                stand_in.stop()

    def test_no_account_is_a_usage_error(self):
        result = subprocess.run([sys.executable, SCRIPT], capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--account", result.stderr)

    def test_bad_fault_is_a_usage_error(self):
        result = subprocess.run([sys.executable, SCRIPT, "--account", "k:s", "--fault", "teleport"],
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown fault kind", result.stderr)

    def test_bad_account_error_never_shows_the_text(self):
        result = subprocess.run([sys.executable, SCRIPT, "--account", "onlyasecretvalue"],
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("onlyasecretvalue", result.stderr)

    def test_exit_with_parent(self):
        with tempfile.TemporaryDirectory() as directory:
            port_file = os.path.join(directory, "port")
            # The shell starts the stand-in in the background and exits once it listens.
            script = (f'"$@" & while [ ! -f {port_file} ]; do sleep 0.01; done; echo $!')
            result = subprocess.run(["sh", "-c", script, "sh", sys.executable, SCRIPT, "--account", "k:s", "--quiet",
                                     "--exit-with-parent", "--port-file", port_file],
                                    capture_output=True, text=True, timeout=10)
            pid = int(result.stdout)
            deadline = time.monotonic() + 5
            while os.path.exists(port_file) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(os.path.exists(port_file), "stand-in outlived its parent")
            while _process_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(_process_alive(pid))


def _process_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class ControlEndpointTests(unittest.TestCase):
    def test_loopback_check(self):
        for address in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"):
            self.assertTrue(lms_stand_in.is_loopback(address), address)
        for address in ("10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "2001:db8::1", "garbage"):
            self.assertFalse(lms_stand_in.is_loopback(address), address)

    def test_control_endpoints_refuse_a_non_loopback_client(self):
        address = _non_loopback_address()
        if address is None:
            self.skipTest("this machine has no non-loopback IPv4 address")
        stand_in = StandIn("--account", f"{KEY}:{SECRET}", "--quiet", "--bind", "0.0.0.0")
        try:
            connection = stand_in.connection(host=address)
            connection.request("GET", "/_stand-in/stats")
            self.assertEqual(connection.getresponse().status, 403)
            connection.close()
            self.assertEqual(stand_in.request("GET", "/_stand-in/stats", headers={})[0], 200)
        finally:
            stand_in.stop()


def _non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent; this only picks a source address
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


class FaultParsingTests(unittest.TestCase):
    def test_short_forms(self):
        cases = {
            "status:503*2": {"kind": "status", "status": 503, "times": 2, "retry_after": None, "body": "json", "message": None},
            "status:429:retry_after=3:body=html": {"kind": "status", "status": 429, "times": 1, "retry_after": 3,
                                                   "body": "html", "message": None},
            "delay:3": {"kind": "delay", "seconds": 3, "times": 1},
            "hang": {"kind": "hang", "seconds": 600.0, "times": 1},
            "token:crlf": {"kind": "token", "value": "crlf", "times": 1},
            "expires:null": {"kind": "expires", "value": None, "times": 1},
            "expires:3600.0": {"kind": "expires", "value": 3600.0, "times": 1},
            "drop:reset*4": {"kind": "drop", "mode": "reset", "times": 4},
        }
        for spec, expected in cases.items():
            with self.subTest(spec):
                self.assertEqual(lms_stand_in.parse_fault_spec(spec), expected)

    def test_json_form(self):
        fault = lms_stand_in.parse_fault_spec('{"kind": "oversized", "size": 2000000, "times": 3}')
        self.assertEqual(fault, {"kind": "oversized", "size": 2000000, "chunked": False, "times": 3})

    def test_invalid_specs(self):
        for spec in ("", "warp", "status", "status:abc", "status:99", "delay:-1", "token:odd", "drop:explode",
                     "malformed:1", "status:503:colour=red", "{not json", "status:503*0"):
            with self.subTest(spec):
                with self.assertRaises(lms_stand_in.FaultError):
                    lms_stand_in.parse_fault_spec(spec)


class HttpsTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("openssl") is None:
            raise unittest.SkipTest("openssl is not installed")
        cls.tls_dir = tempfile.mkdtemp(prefix="lms-stand-in-ca-")
        started = time.monotonic()
        cls.make_result = subprocess.run(["sh", MAKE_TEST_CA, cls.tls_dir], capture_output=True, timeout=30)
        cls.make_seconds = time.monotonic() - started
        cls.stand_in = StandIn("--account", f"{KEY}:{SECRET}:{CLIENT}", "--quiet", tls_dir=cls.tls_dir)

    @classmethod
    def tearDownClass(cls):
        cls.stand_in.stop()
        shutil.rmtree(cls.tls_dir, ignore_errors=True)

    def test_make_test_ca_is_quick_silent_and_keeps_keys_private(self):
        self.assertEqual(self.make_result.returncode, 0, self.make_result.stderr)
        self.assertEqual((self.make_result.stdout, self.make_result.stderr), (b"", b""))
        self.assertLess(self.make_seconds, 1.0)
        for name in ("ca-key.pem", "server-key.pem"):
            self.assertEqual(os.stat(os.path.join(self.tls_dir, name)).st_mode & 0o777, 0o600, name)
        for name in ("ca.pem", "server.pem"):
            self.assertTrue(os.path.getsize(os.path.join(self.tls_dir, name)) > 0)

    def test_make_test_ca_without_a_directory_is_a_usage_error(self):
        result = subprocess.run(["sh", MAKE_TEST_CA], capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("usage", result.stderr)

    def test_token_over_https_verified_with_the_ca(self):
        for host in ("localhost", "127.0.0.1"):
            with self.subTest(host):
                connection = self.stand_in.connection(host=host)
                connection.request("POST", TOKEN_PATH, headers=GOOD_HEADERS)
                response = connection.getresponse()
                self.assertEqual(response.status, 200)
                self.assertIs(json.loads(response.read())["response"], True)
                connection.close()
        self.assertTrue(self.stand_in.stats()["requests"][-1]["tls"])

    def test_https_without_the_ca_fails_verification(self):
        connection = http.client.HTTPSConnection("127.0.0.1", self.stand_in.port, timeout=5,
                                                 context=ssl.create_default_context())
        with self.assertRaises(ssl.SSLCertVerificationError):
            connection.request("POST", TOKEN_PATH, headers=GOOD_HEADERS)
        connection.close()

    def test_a_client_that_never_handshakes_blocks_no_one(self):
        with socket.create_connection(("127.0.0.1", self.stand_in.port), timeout=5):
            self.assertEqual(self.stand_in.request()[0], 200)

    def test_faults_work_over_https(self):
        self.stand_in.set_faults("drop", "chunked")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
            self.stand_in.request()
        status, headers, body = self.stand_in.request()
        self.assertEqual((status, headers["Transfer-Encoding"]), (200, "chunked"))

    @unittest.skipIf(shutil.which("curl") is None, "curl is not installed")
    def test_curl_gets_a_token_with_the_ca(self):
        result = subprocess.run(
            ["curl", "--silent", "--show-error", "--fail", "--cacert", os.path.join(self.tls_dir, "ca.pem"),
             "-X", "POST", "-H", f"client_name: {CLIENT}", "-H", f"Authorization: {basic(KEY, SECRET)}",
             f"https://localhost:{self.stand_in.port}{TOKEN_PATH}"],
            capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIs(json.loads(result.stdout)["data"]["response"], True)


if __name__ == "__main__":
    unittest.main()
