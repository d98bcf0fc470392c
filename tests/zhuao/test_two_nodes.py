"""Two web nodes on one database, one Redis and one S3-compatible object store (issue 30).

Each node is a real gunicorn process. What one node makes, the other must honour: the session
a sign-in created, a file uploaded (stored in the object store, encrypted server-side, read
back through the other node's visibility check) and an account lockout. The object store is
moto's S3 server, standing in for MinIO (docker-compose.yml)."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import CaseAttachment
from tests.cases import cases_factories as factories
from tests.conftest import _database_url_for_subprocess
from tests.two_factor_clients import current_code

pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "zhuao-files"
PDF = b"%PDF-1.4\n% two nodes\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"node on port {port} did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def object_store():
    """An S3 server on a free port with one bucket; yields the settings the nodes need."""
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    port = _free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="node-key", aws_secret_access_key="node-secret")
    client.create_bucket(Bucket=BUCKET)
    yield {"client": client, "env": {
        "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_ACCESS_KEY_ID": "node-key",
        "S3_SECRET_ACCESS_KEY": "node-secret", "S3_PREFIX": "media"}}
    server.stop()


@pytest.fixture
def two_nodes(object_store, tmp_path):
    """Two gunicorn processes sharing the test database, Redis and the object store; each
    node has its own var folder (nothing shared through the local disk)."""
    processes, urls = [], []
    for number in (1, 2):
        port = _free_port()
        var_dir = tmp_path / f"node{number}"
        var_dir.mkdir()
        env = {**os.environ, **object_store["env"],
               "DJANGO_SETTINGS_MODULE": "zhuao.settings.test",
               "DATABASE_URL": _database_url_for_subprocess(),
               "REDIS_URL": settings.REDIS_URL, "ZHUAO_VAR_DIR": str(var_dir),
               "MEDIA_ROOT": str(var_dir / "media")}
        log = tmp_path / f"node{number}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--timeout", "60", "zhuao.wsgi:application"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        processes.append(process)
        _wait_until_listening(port, process, log)
        urls.append(f"http://127.0.0.1:{port}")
    yield urls
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


class Browser:
    """Cookies kept between requests, as a browser would, whichever node answers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, url, data=None, *, headers=None):
        body = None
        request_headers = dict(headers or {})
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data).encode()
            request_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body, content_type = data
            request_headers["Content-Type"] = content_type
        if body is not None:
            request_headers["X-CSRFToken"] = self.cookie("csrftoken") or ""
            request_headers["Referer"] = url
        try:
            with self.opener.open(urllib.request.Request(url, body, request_headers),
                                  timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def csrf_from(self, url) -> str:
        status, _headers, body = self.request(url)
        assert status == 200, (url, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def sign_in(self, node, username, password):
        token = self.csrf_from(f"{node}/accounts/login/")
        return self.request(f"{node}/accounts/login/", {
            "csrfmiddlewaretoken": token, "username": username, "password": password})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # keep the 302 visible to the test


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
    boundary = "----zhuao-two-nodes"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_session_an_upload_and_a_lockout_made_on_one_node_hold_on_the_other(
        two_nodes, object_store, users):
    node_a, node_b = two_nodes
    officer = users["district"]
    case = factories.case(officer)
    browser = Browser()

    status, headers, _body = browser.sign_in(node_a, officer.username,
                                             settings.ZHUAO_DEMO_PASSWORD)
    assert status == 302, "signed in on node A"
    verify = reverse("two_factor_verify")
    token = browser.csrf_from(f"{node_b}{verify}")  # the half-signed-in session, on node B
    status, _headers, _body = browser.request(f"{node_b}{verify}", {
        "csrfmiddlewaretoken": token, "code": current_code(officer)})
    assert status == 302, "second factor passed on node B"
    case_path = reverse("cases:case_detail", args=[case.pk])
    status, _headers, body = browser.request(f"{node_b}{case_path}")
    assert status == 200 and case.number.encode() in body, "node B honours node A's session"

    token = browser.csrf_from(f"{node_b}{case_path}")
    upload = _multipart({"csrfmiddlewaretoken": token, "attachment-description": "scan"},
                        {"attachment-file": ("scan.pdf", PDF)})
    status, _headers, body = browser.request(
        f"{node_b}{reverse('cases:case_attachment', args=[case.pk])}", upload)
    assert status == 302, body[:2000]
    attachment = CaseAttachment.objects.get(case=case)
    stored = object_store["client"].head_object(Bucket=BUCKET, Key=f"media/{attachment.file.name}")
    assert stored["ServerSideEncryption"] == "AES256", "stored encrypted in the object store"
    download = reverse("cases:case_attachment_download", args=[case.pk, attachment.pk])
    status, headers, body = browser.request(f"{node_a}{download}")
    assert status == 200 and body == PDF, "node A serves the file node B stored"
    assert "no-store" in headers["Cache-Control"]
    stranger = Browser()
    status, _headers, _body = stranger.request(f"{node_a}{download}")
    assert status == 302, "still behind the sign-in on every node"

    other = users["city"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        node = (node_a, node_b)[attempt % 2]
        status, _headers, _body = Browser().sign_in(node, other.username, "wrong-password-1")
        assert status != 302
    status, _headers, body = Browser().sign_in(node_b, other.username,
                                               settings.ZHUAO_DEMO_PASSWORD)
    assert status != 302, "the lockout counted on both nodes holds on node B"
    status, _headers, body = Browser().sign_in(node_a, other.username,
                                               settings.ZHUAO_DEMO_PASSWORD)
    assert status != 302, "and on node A"
