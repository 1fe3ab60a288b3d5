"""The front cache, run for real: the example reverse proxy (deploy/nginx/pasapas.conf,
rendered by deploy/check.py) in front of the live app. Public pages are served from the
proxy's cache on the second fetch; personal pages (the carnet with its code or cookie, a
sign-up and its confirmation, the admin, a page fetched with a session) are never stored:
the cache folder is read after fetching them. A browser holding every cookie the public
site sets still gets cached guides. A publication and a sign-up show through the proxy
within the freshness window (s-maxage 2 s + stale-while-revalidate 3 s)."""

from __future__ import annotations

import http.cookiejar
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client
from django.urls import reverse

from learners.models import Booking
from learners.services import carnet_issue
from learners.views import carnet as carnet_views
from tests.agenda.conftest import communes, network, public_session  # noqa: F401
from tests.deploy.test_nginx import free_port, nginx  # noqa: F401
from tests.factories.editorial import UserFactory
from tests.factories.learners import LearnerFactory, StructureFactory, counsellor_user
from tests.factories.workshops import GuidePageFactory

live_app = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# What is stored or bypassed is tested with copies that stay fresh for the whole test: with
# the production s-maxage (2 s), cold renders on a loaded machine could age the first copy
# into STALE/UPDATING/REVALIDATED before its HIT is checked. Freshness has its own tests
# below, with the production settings.
LONG_S_MAXAGE = 600
VISIBLE_WITHIN = 5.0  # s-maxage + stale-while-revalidate + 1 s of nginx's whole-second clock
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A browser on the proxy's HTTPS port: a cookie jar that honours cookies' paths."""

    def __init__(self, setup, jar: http.cookiejar.CookieJar | None = None):
        self.base = f"https://127.0.0.1:{setup.https_port}"
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        context = ssl._create_unverified_context()  # noqa: S323 - self-signed test certificate
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect(),
        )

    def open(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # self.base is a fixed https://127.0.0.1 address.
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def post_form(self, path: str, values: dict):
        status, _, html = self.open(path)
        assert status == 200, (path, status)
        token = CSRF_FIELD.search(html).group(1)
        return self.open(path, {"csrfmiddlewaretoken": token, **values})

    def cookies(self) -> dict[str, str]:
        return {cookie.name: cookie.path for cookie in self.jar}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def cache_status(headers) -> str:
    return headers.get("X-Cache-Status", "")


def cached_bodies(setup) -> bytes:
    return b"\n".join(path.read_bytes() for path in setup.cache_dir.rglob("*") if path.is_file())


def carnet_code(first_name: str) -> str:
    structure = StructureFactory()
    learner = LearnerFactory(structure=structure, first_name=first_name)
    return carnet_issue(user=counsellor_user(structure=structure), learner=learner)


@pytest.fixture
def long_lived(settings):
    settings.FRONT_CACHE_S_MAXAGE = LONG_S_MAXAGE


def fetched_twice(browser: Browser, path: str) -> tuple[str, str]:
    first = browser.open(path)
    second = browser.open(path)
    assert first[0] == second[0] == 200, (path, first[0], second[0])
    return cache_status(first[1]), cache_status(second[1])


@live_app
def test_public_pages_are_served_from_the_proxy_on_the_second_fetch(nginx, network, long_lived):  # noqa: F811
    guide = GuidePageFactory(title="Fiche au cache partagé", illustrated=False)
    venue = network["venues"]["roche"]
    public_session(venue)
    browser = Browser(nginx)
    for path in (
        guide.url,
        "/fiches/",
        "/recherche/?q=cache",
        "/pres-de-chez-vous/?commune=85191",
        f"/pres-de-chez-vous/lieux/{venue.pk}/",
    ):
        assert fetched_twice(browser, path) == ("MISS", "HIT"), path
    # A browser's revalidation is answered 304 by the proxy itself.
    _, headers, _ = browser.open(guide.url)
    assert f"s-maxage={LONG_S_MAXAGE}," in headers["Cache-Control"]
    status, again, body = browser.open(guide.url, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == "" and cache_status(again) == "HIT"
    assert b"Fiche au cache partag" in cached_bodies(nginx)


@live_app
def test_personal_pages_are_never_stored(nginx, network, long_lived):  # noqa: F811
    guide = GuidePageFactory(title="Fiche publique", illustrated=False)
    venue = network["venues"]["roche"]
    session = public_session(venue)
    code = carnet_code("Odilonne")
    browser = Browser(nginx)

    # The carnet: its code form, opened, and read again with its cookie; its QR link.
    assert browser.post_form("/carnet/", {"code": code})[0] == 303
    for _ in range(2):
        status, headers, carnet_page = browser.open("/carnet/")
        assert status == 200 and "Odilonne" in carnet_page
        assert cache_status(headers) == "BYPASS"
    qr_reader = Browser(nginx)
    assert qr_reader.open(f"/carnet/?code={code}")[0] == 303
    assert "Odilonne" in qr_reader.open("/carnet/")[2]
    # A sign-up, its confirmation and its cancel link.
    session_url = reverse("agenda:session", kwargs={"session_id": session.pk})
    sent = browser.post_form(
        session_url,
        {"first_name": "Josépha", "phone": "06 12 34 56 78", "email": "", "site_web": ""},
    )
    assert sent[0] in (302, 303), sent[0]
    token = Booking.objects.get(session=session).token
    for path in (f"/pres-de-chez-vous/inscription/{token}/",) * 2 + (
        f"/pres-de-chez-vous/inscription/{token}/annuler/",
    ):
        status, headers, page = browser.open(path)
        assert status == 200 and cache_status(headers) == "BYPASS", path
    # The admin, and a guide fetched with a session (logged in).
    assert Browser(nginx).open("/admin/login/")[0] == 200
    editor = Client()
    editor.force_login(UserFactory(username="redactrice-confidentielle"))
    session_jar = Browser(nginx)
    session_cookie = editor.cookies["sessionid"].value
    for path in ("/admin/", guide.url, guide.url):
        status, headers, page = session_jar.open(
            path, headers={"Cookie": f"sessionid={session_cookie}"}
        )
        assert status in (200, 302) and cache_status(headers) == "BYPASS", path

    stored = cached_bodies(nginx)
    for secret in (
        b"Odilonne",
        b"Jos\xc3\xa9pha",
        code.encode(),
        token.encode(),
        b"redactrice-confidentielle",
        b"csrfmiddlewaretoken",
        session_cookie.encode(),
    ):
        assert secret not in stored, secret
    # What was fetched anonymously is there: the inspection can see a stored page.
    assert fetched_twice(Browser(nginx), guide.url) == ("MISS", "HIT")
    assert b"Fiche publique" in cached_bodies(nginx)


@live_app
def test_every_cookie_the_public_site_sets_leaves_guides_cached(nginx, network, long_lived):  # noqa: F811
    guide = GuidePageFactory(title="Fiche lue après le carnet", illustrated=False)
    venue = network["venues"]["roche"]
    session = public_session(venue)
    browser = Browser(nginx)
    # Everything a reader can do on the public site that sets a cookie.
    assert browser.post_form("/carnet/", {"code": carnet_code("Rosine")})[0] == 303
    assert browser.open(reverse("agenda:session", kwargs={"session_id": session.pk}))[0] == 200
    appointment = reverse("agenda:appointment_request", kwargs={"venue_id": venue.pk})
    browser.open(appointment)
    browser.open("/admin/login/")
    # The carnet's pending code (flood mode only) uses the carnet's path.
    browser.jar.set_cookie(
        http.cookiejar.Cookie(
            0,
            carnet_views.PENDING_COOKIE,
            "x",
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/carnet/",
            True,
            True,
            None,
            False,
            None,
            None,
            {},
        )
    )
    cookies = browser.cookies()
    assert {carnet_views.COOKIE_NAME, carnet_views.AGENDA_COOKIE, "csrftoken"} <= set(cookies)
    assert "/" not in cookies.values(), cookies

    assert fetched_twice(Browser(nginx), guide.url) == ("MISS", "HIT")
    for cookie in browser.jar:
        alone = http.cookiejar.CookieJar()
        alone.set_cookie(cookie)
        status, headers, _ = Browser(nginx, alone).open(guide.url)
        assert status == 200 and cache_status(headers) == "HIT", (cookie.name, cookie.path)
        # Where the cookie is sent, it does bypass the cache (the rule is not dead).
        status, headers, _ = Browser(nginx, alone).open(cookie.path)
        assert cache_status(headers) == "BYPASS", (cookie.name, cookie.path)
    # The whole jar at once, as the reader's browser holds it.
    assert cache_status(browser.open(guide.url)[1]) == "HIT"
    assert cache_status(browser.open("/fiches/")[1]) in ("MISS", "HIT")
    assert cache_status(browser.open("/fiches/")[1]) == "HIT"


def wait_until_shown(browser: Browser, path: str, text: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < VISIBLE_WITHIN + 3:
        status, _, page = browser.open(path)
        if status == 200 and text in page:
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"« {text} » not shown through the proxy on {path}")


@live_app
def test_a_publication_shows_through_the_proxy_within_seconds(nginx):  # noqa: F811
    guide = GuidePageFactory(title="Titre d'origine", illustrated=False)
    browser = Browser(nginx)
    assert fetched_twice(browser, guide.url) == ("MISS", "HIT")
    guide.title = "Titre corrigé"
    guide.save_revision().publish()
    assert wait_until_shown(browser, guide.url, "Titre corrigé") <= VISIBLE_WITHIN


@live_app
def test_a_quiet_page_is_never_served_older_than_the_window(nginx, settings):  # noqa: F811
    settings.FRONT_CACHE_TAG_SECONDS = 10**9  # no renewal of the tags during the test
    guide = GuidePageFactory(title="Première version", illustrated=False)
    browser = Browser(nginx)
    assert fetched_twice(browser, guide.url) == ("MISS", "HIT")
    time.sleep(VISIBLE_WITHIN + 0.5)
    # Unchanged: revalidated with the ETag (the app answers 304, nothing rendered).
    status, headers, page = browser.open(guide.url)
    assert status == 200 and cache_status(headers) == "REVALIDATED"
    guide.title = "Seconde version"
    guide.save_revision().publish()
    time.sleep(VISIBLE_WITHIN + 0.5)
    # The first reader after a quiet while gets the new version, not a stale copy.
    status, headers, page = browser.open(guide.url)
    assert "Seconde version" in page and cache_status(headers) == "EXPIRED"


@live_app
def test_a_sign_up_shows_through_the_proxy_within_seconds(nginx, network):  # noqa: F811
    venue = network["venues"]["roche"]
    session = public_session(venue, capacity=8)
    venue_page = f"/pres-de-chez-vous/lieux/{venue.pk}/"
    reader = Browser(nginx)
    assert fetched_twice(reader, venue_page) == ("MISS", "HIT")
    assert "8 places libres" in reader.open(venue_page)[2]
    sent = Browser(nginx).post_form(
        reverse("agenda:session", kwargs={"session_id": session.pk}),
        {"first_name": "Gisèle", "phone": "06 12 34 56 78", "email": "", "site_web": ""},
    )
    assert sent[0] in (302, 303)
    assert wait_until_shown(reader, venue_page, "7 places libres") <= VISIBLE_WITHIN
