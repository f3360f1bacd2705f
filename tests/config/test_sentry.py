"""Sentry at its boundary: Sentry's servers cannot be reached here, so the SDK sends to a local
HTTP endpoint standing in for the DSN, and the test reads what arrived."""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.integrations.django import DjangoIntegration


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli  # sentry-sdk only uses br when brotli is installed

            body = brotli.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint(settings):
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Collector.received = []
    dsn = f"http://publickey@127.0.0.1:{server.server_port}/42"
    settings.SENTRY_DSN = dsn
    sentry_sdk.init(
        dsn=dsn, integrations=[DjangoIntegration()], default_integrations=False, transport_queue_size=10
    )
    yield _Collector.received
    sentry_sdk.init()  # no DSN: Sentry off again for the other tests
    server.shutdown()


def test_an_error_in_a_municipality_reaches_sentry_tagged_with_its_schema(aarhus, sentry_endpoint, settings):
    settings.ROOT_URLCONF = "tests.config.urls_boom"
    client = Client(HTTP_HOST="aarhus.localhost", raise_request_exception=False)
    assert client.get("/boom/").status_code == 500
    sentry_sdk.flush(timeout=10)
    events = [
        json.loads(line)
        for envelope in sentry_endpoint
        for line in envelope.decode().splitlines()
        if line.startswith("{") and '"exception"' in line
    ]
    assert events, "no error event arrived at the DSN endpoint"
    event = events[0]
    assert event["tags"]["tenant"] == "aarhus"
    assert event["exception"]["values"][-1]["value"] == "kaboom in a municipality"
    assert "user" not in event or not event["user"].get("email")  # send_default_pii is off
