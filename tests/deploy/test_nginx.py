"""The example reverse proxy (deploy/nginx/pasapas.conf), run for real: nginx in front of
the live app on loopback ports, rendered by deploy/check.py exactly as the CI check does.
Query strings (carnet codes, people searched for) never reach its access log; uploads are
never served as pages. Skipped, with the reason, where nginx or openssl is missing."""

from __future__ import annotations

import http.client
import shutil
import socket
import ssl
import subprocess
import time
from urllib.parse import urlsplit

import pytest

from deploy import check

live_app = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path):
    binary = check.nginx_binary()
    if binary is None:
        pytest.skip("nginx n'est pas installé (apt-get install nginx-light) : test ignoré")
    if shutil.which("openssl") is None:
        pytest.skip("openssl n'est pas installé : test ignoré")
    port = urlsplit(live_server.url).port
    setup = check.render_nginx(
        tmp_path / "nginx",
        http_port=free_port(),
        https_port=free_port(),
        upstream=f"127.0.0.1:{port}",
        media_root=tmp_path / "media",
    )
    tested = check.nginx_test(setup)
    assert tested.returncode == 0, tested.stderr
    process = subprocess.Popen(
        [binary, "-p", str(setup.prefix), "-c", str(setup.config), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", setup.https_port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stdout.read().decode())
                time.sleep(0.05)
        yield setup
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(setup, path: str, *, tls: bool = True, headers: dict | None = None):
    if tls:
        context = ssl._create_unverified_context()  # noqa: S323 - self-signed test certificate
        connection = http.client.HTTPSConnection("127.0.0.1", setup.https_port, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", setup.http_port)
    connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@live_app
def test_access_log_keeps_paths_but_never_query_strings(nginx):
    response, body = get(nginx, "/carnet/?code=SECRET123")
    # Answered by the app through the proxy, not by nginx.
    assert response.status in (200, 303, 429), response.status
    assert "carnet" in body.decode().lower() or response.status == 303
    get(nginx, "/admin/learners/person/?q=Monique+Giraud")
    get(nginx, "/recherche/?q=impots", headers={"Referer": "https://localhost/carnet/?code=REF456"})
    redirected, _ = get(nginx, "/carnet/?code=PLAIN789", tls=False)
    assert redirected.status == 301
    assert redirected.getheader("Location") == "https://localhost/carnet/?code=PLAIN789"

    log = nginx.access_log.read_text()
    assert '"GET /carnet/ HTTP/1.1"' in log
    assert '"GET /admin/learners/person/ HTTP/1.1"' in log
    assert '"https://localhost/carnet/"' in log  # the referrer, without its query
    for secret in ("SECRET123", "Monique", "Giraud", "impots", "REF456", "PLAIN789", "?"):
        assert secret not in log, f"{secret!r} dans le journal d'accès :\n{log}"


@live_app
def test_uploads_are_never_served_as_pages(nginx):
    media = nginx.media_root
    (media / "original_images").mkdir()
    (media / "original_images" / "x.html").write_text("<script>alert(1)</script>")
    (media / "original_images" / "x.svg").write_text("<svg onload='alert(1)'/>")
    (media / "original_images" / "ecran.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (media / "documents").mkdir()
    (media / "documents" / "restreint.pdf").write_bytes(b"%PDF-1.4")

    for name in ("x.html", "x.svg"):
        response, body = get(nginx, f"/media/original_images/{name}")
        assert response.status == 200
        assert response.getheader("Content-Type") == "application/octet-stream", name
        assert response.getheader("Content-Disposition") == "attachment", name
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert "sandbox" in response.getheader("Content-Security-Policy")

    image, _ = get(nginx, "/media/original_images/ecran.png")
    assert image.status == 200 and image.getheader("Content-Type") == "image/png"
    assert image.getheader("Content-Disposition") is None
    # Documents go through the app's view, which applies the collections' restrictions.
    assert get(nginx, "/media/documents/restreint.pdf")[0].status == 404


def test_app_down_gives_a_french_page_not_nginx_english_one(tmp_path):
    # No database here: the upstream is a closed port.
    if check.nginx_binary() is None or shutil.which("openssl") is None:
        pytest.skip("nginx ou openssl n'est pas installé : test ignoré")
    setup = check.render_nginx(
        tmp_path / "nginx",
        http_port=free_port(),
        https_port=free_port(),
        upstream=f"127.0.0.1:{free_port()}",
    )
    process = subprocess.Popen(
        [check.nginx_binary(), "-p", str(setup.prefix), "-c", str(setup.config)]
        + ["-g", "daemon off;"]
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", setup.https_port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        response, body = get(setup, "/fiches/")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert response.status == 502
    html = body.decode()
    assert "Le site est momentanément indisponible" in html and '<html lang="fr">' in html
    assert "Bad Gateway" not in html and "nginx" not in html
