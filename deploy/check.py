"""Checks the example production configuration with the tools that read it.

    python deploy/check.py            # nginx -t, then systemd-analyze verify

- **nginx**: deploy/nginx/pasapas.conf is copied with test values in place of the
  deployment's (a self-signed certificate made with openssl, temporary media and log
  folders, loopback ports), wrapped in a minimal nginx.conf that includes it the way
  Debian's sites-enabled does (inside `http`, after mime.types), and tested with
  `nginx -t`. Every placeholder must be found in the file: a renamed path fails loudly
  instead of checking a half-substituted copy. tests/deploy/test_nginx.py starts the same
  rendering in front of a live app.
- **systemd**: the units in deploy/systemd/ are copied with this checkout's paths and
  user, and verified with `systemd-analyze verify` (which then checks that the programs
  exist); any remark about them fails the check, since systemd only warns about an unknown
  key or a bad value. Skipped, with the reason printed, when the tool is missing.

Exit status: 0 when every available check passes, 1 otherwise (nginx missing is a failure:
CI installs it first).
"""

from __future__ import annotations

import getpass
import grp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
NGINX_CONF = DEPLOY / "nginx" / "pasapas.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))

SERVER_NAME = "pasapas.example.org"
CERT_DIR = "/etc/ssl/pasapas/"
MEDIA_ROOT = "/srv/pasapas/media/"
LOG_DIR = "/var/log/nginx/"
UPSTREAM = "server 127.0.0.1:8000;"
ACME_ROOT = "/var/www/letsencrypt"
ERROR_PAGES = "/srv/pasapas/app/deploy/nginx/errors"
CACHE_DIR = "/var/cache/nginx/pasapas"


@dataclass
class NginxSetup:
    prefix: Path  # nginx's prefix (-p): logs, pid, temp folders
    config: Path  # the wrapper nginx.conf
    access_log: Path
    media_root: Path
    cache_dir: Path  # the proxy cache's folder (proxy_cache_path)
    http_port: int
    https_port: int


def _replace(text: str, old: str, new: str, *, regex: bool = False) -> str:
    found = re.search(old, text) if regex else old in text
    if not found:
        raise ValueError(f"{NGINX_CONF.name}: « {old} » not found; update deploy/check.py")
    return re.sub(old, new, text) if regex else text.replace(old, new)


def self_signed_certificate(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(folder / "privkey.pem"),
            "-out",
            str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )


def render_nginx(
    prefix: Path,
    *,
    http_port: int = 18080,
    https_port: int = 18443,
    upstream: str = "127.0.0.1:8000",
    media_root: Path | None = None,
    server_name: str = "localhost",
    tls: bool = True,
    workers: int = 1,
) -> NginxSetup:
    """Writes a runnable copy of the example under `prefix` and returns where things are.
    `tls=False` (the benchmark, bench/front_cache.py): the main server listens on
    `https_port` in plain HTTP, everything else as written."""
    prefix.mkdir(parents=True, exist_ok=True)
    for folder in ("logs", "tmp", "certs", "acme", "cache"):
        (prefix / folder).mkdir(exist_ok=True)
    media = media_root or prefix / "media"
    media.mkdir(parents=True, exist_ok=True)
    self_signed_certificate(prefix / "certs")

    text = NGINX_CONF.read_text()
    text = _replace(text, CERT_DIR, f"{prefix / 'certs'}/")
    text = _replace(text, MEDIA_ROOT, f"{media}/")
    text = _replace(text, LOG_DIR, f"{prefix / 'logs'}/")
    text = _replace(text, ACME_ROOT, str(prefix / "acme"))
    text = _replace(text, ERROR_PAGES, str(DEPLOY / "nginx" / "errors"))
    text = _replace(text, CACHE_DIR, str(prefix / "cache"))
    text = _replace(text, UPSTREAM, f"server {upstream};")
    text = _replace(text, f"server_name {SERVER_NAME};", f"server_name {server_name};")
    text = _replace(text, r"(?m)^\s*listen \[::\]:\d+.*\n", "", regex=True)
    text = _replace(text, r"listen 80;", f"listen 127.0.0.1:{http_port};", regex=True)
    if tls:
        text = _replace(text, r"listen 443 ", f"listen 127.0.0.1:{https_port} ", regex=True)
    else:
        text = _replace(text, r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port};")
    site = prefix / "pasapas.conf"
    site.write_text(text)

    temp = prefix / "tmp"
    # Run as root (CI), workers would switch to `nobody`, who cannot read the test's
    # private temporary folders: keep them as the current user.
    user = ""
    if os.geteuid() == 0:
        user = f"user {getpass.getuser()} {grp.getgrgid(os.getegid()).gr_name};\n"
    wrapper = prefix / "nginx.conf"
    wrapper.write_text(
        f"{user}worker_processes {workers};\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'logs' / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"    access_log {prefix / 'logs' / 'default.access.log'};\n"
        f"    client_body_temp_path {temp / 'body'};\n"
        f"    proxy_temp_path {temp / 'proxy'};\n"
        f"    fastcgi_temp_path {temp / 'fastcgi'};\n"
        f"    uwsgi_temp_path {temp / 'uwsgi'};\n"
        f"    scgi_temp_path {temp / 'scgi'};\n"
        f"    include {site};\n"
        "}\n"
    )
    return NginxSetup(
        prefix=prefix,
        config=wrapper,
        access_log=prefix / "logs" / "pasapas.access.log",
        media_root=media,
        cache_dir=prefix / "cache",
        http_port=http_port,
        https_port=https_port,
    )


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )


def nginx_test(setup: NginxSetup) -> subprocess.CompletedProcess:
    return subprocess.run(
        [nginx_binary() or "nginx", "-t", "-p", str(setup.prefix), "-c", str(setup.config)],
        capture_output=True,
        text=True,
    )


def render_units(folder: Path) -> list[Path]:
    """The units with this checkout's paths and the current user, for `verify` (it checks
    that the programs exist and the user and group resolve)."""
    folder.mkdir(parents=True, exist_ok=True)
    venv = Path(sys.prefix)
    user = getpass.getuser()
    group = grp.getgrgid(os.getegid()).gr_name
    rendered = []
    for unit in UNITS:
        text = unit.read_text()
        text = text.replace("/srv/pasapas/app/.venv", str(venv))
        text = text.replace("/srv/pasapas/app", str(ROOT))
        text = text.replace("/srv/pasapas/media", str(folder))
        text = text.replace("/etc/pasapas/pasapas.env", str(DEPLOY / "pasapas.env.example"))
        text = re.sub(r"(?m)^User=.*$", f"User={user}", text)
        text = re.sub(r"(?m)^Group=.*$", f"Group={group}", text)
        target = folder / unit.name
        target.write_text(text)
        rendered.append(target)
    return rendered


def systemd_verify(units: list[Path]) -> subprocess.CompletedProcess | None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return None
    return subprocess.run(
        [tool, "verify", "--man=no", *map(str, units)], capture_output=True, text=True
    )


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="pasapas-deploy-check-") as tmp:
        tmp_path = Path(tmp)
        if nginx_binary() is None:
            print("nginx : ÉCHEC, nginx n'est pas installé (apt-get install nginx-light)")
            failed = True
        else:
            result = nginx_test(render_nginx(tmp_path / "nginx"))
            output = (result.stdout + result.stderr).strip()
            print(f"nginx -t ({NGINX_CONF.relative_to(ROOT)}) :\n{output}")
            failed |= result.returncode != 0
        verified = systemd_verify(render_units(tmp_path / "systemd"))
        if verified is None:
            print("systemd-analyze verify : ignoré, systemd-analyze n'est pas installé")
        else:
            output = (verified.stdout + verified.stderr).strip() or "aucune remarque"
            names = ", ".join(unit.name for unit in UNITS)
            print(f"systemd-analyze verify ({names}) : code {verified.returncode}\n{output}")
            # An unknown key or a bad value is only a warning for systemd: fail on it too.
            remarks = [line for line in output.splitlines() if any(u.name in line for u in UNITS)]
            failed |= verified.returncode != 0 or bool(remarks)
    print("Configuration d'exemple : " + ("ÉCHEC" if failed else "valide"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
