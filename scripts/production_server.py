"""The production server on loopback, for the load test (`make load`) and the production smoke test.

gunicorn with `cop_site.settings.production` and the project's gunicorn.conf.py on a free port of
127.0.0.1, in plain HTTP (production.py's HTTPS switches turned off, nothing else), and a small
HTTP client that signs in through the login form as a browser does. Traffic goes to 127.0.0.1 only.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    pass


def production_env(base_url=f"http://{HOST}", **overrides):
    """The production settings with the four variables a server needs (the database is the caller's
    DATABASE_URL), and what plain HTTP on loopback needs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cop_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "COP_BASE_URL": base_url,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        **overrides,
    }


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class running_server:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port, stopped on exit."""

    def __init__(self, env, log):
        self.env, self.log_path = env, log

    def __enter__(self):
        port = free_port()
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "cop_site.wsgi", "--config", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env={**self.env, "GUNICORN_BIND": f"{HOST}:{port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_until_ready(port)
        except BaseException:
            self.stop()
            raise
        return port

    def wait_until_ready(self, port, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn s'est arrêté au démarrage :\n{self.log_tail()}")
            try:
                if get(port, "/connexion/").status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise ServerError(f"gunicorn ne répond pas après {seconds} s :\n{self.log_tail()}")

    def log_tail(self, lines=30):
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful stop, workers included
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the session started for it
                self.process.wait()
        self.log.close()

    def __exit__(self, *exc_info):
        self.stop()


class Response:
    def __init__(self, response):
        self.status = response.status
        self.cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        self.headers = response.headers
        self.location = response.getheader("Location", "")
        self.content_type = response.getheader("Content-Type", "")
        self.raw = response.read()
        self.body = self.raw.decode("utf-8", errors="replace")


def get(port, path, cookie="", method="GET", body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        return Response(connection.getresponse())
    finally:
        connection.close()


def sign_in(port, username, password):
    """Signs in through the login form, as a browser does; returns the Cookie header to send."""
    form = get(port, "/connexion/")
    csrf_cookie = form.cookies["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1)
    answer = get(
        port,
        "/connexion/",
        cookie=f"csrftoken={csrf_cookie}",
        method="POST",
        body=urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise ServerError(f"La connexion de {username} a échoué (réponse {answer.status}).")
    return f"csrftoken={csrf_cookie}; sessionid={answer.cookies['sessionid'].value}"
