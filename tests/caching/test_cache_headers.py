"""The headers for the shared caches in front of the site (caching/front.py): public pages
are `public` with s-maxage and an ETag answered 304 without rendering; anything personal
is `private, no-store`; the CSRF cookie is sent back only where a form needs it
(caching/cookies.py)."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caching import front, versions
from caching import pages as pagecache
from learners.models import Booking
from learners.services import carnet_issue
from learners.views import carnet as carnet_views
from tests.agenda.conftest import communes, network, public_session  # noqa: F401
from tests.factories.editorial import UserFactory
from tests.factories.learners import LearnerFactory, StructureFactory, counsellor_user
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory

pytestmark = pytest.mark.django_db

PUBLIC = re.compile(r"^public, max-age=0, s-maxage=2, stale-while-revalidate=2$")


@pytest.fixture(autouse=True)
def front_headers(settings):
    settings.FRONT_CACHE_MAX_AGE = 0
    settings.FRONT_CACHE_S_MAXAGE = 2
    settings.FRONT_CACHE_STALE_SECONDS = 2
    # Tags are renewed with time too (test_a_tag_lasts_a_limited_time): not during a test.
    settings.FRONT_CACHE_TAG_SECONDS = 10**9
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=[0, 300], ids=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = request.param
    return request.param


@pytest.fixture
def public_urls(network):  # noqa: F811
    guide = GuidePageFactory(step_count=2, illustrated=False)
    atelier = AtelierPageFactory()
    venue = network["venues"]["roche"]
    public_session(venue)
    return {
        "home": "/",
        "guide": guide.url,
        "guide_index": "/fiches/",
        "guide_list_filtered": "/fiches/?thematique=e-mail&page=1",
        "atelier": atelier.url,
        "atelier_index": "/ateliers/",
        "search": "/recherche/?q=adresse",
        "agenda": "/pres-de-chez-vous/?commune=85191",
        "venue": f"/pres-de-chez-vous/lieux/{venue.pk}/",
        "venue_feed": f"/pres-de-chez-vous/lieux/{venue.pk}/agenda.ics",
    }


def assert_public(response, url):
    assert response.status_code == 200, url
    assert PUBLIC.match(response["Cache-Control"]), (url, response["Cache-Control"])
    assert re.fullmatch(r'W/"[0-9.]+-[0-9a-f]{24}"', response["ETag"]), url
    vary = response.get("Vary", "").lower()
    assert "cookie" not in vary and "accept-language" not in vary, (url, vary)
    assert not response.cookies, url


def assert_private(response, what):
    value = response.get("Cache-Control", "")
    assert "private" in value and "no-store" in value, (what, value)
    assert "public" not in value and "s-maxage" not in value, (what, value)
    assert "ETag" not in response, what


def test_public_pages_are_public_with_a_validator(client, public_urls, page_cache):
    for name, url in public_urls.items():
        first = client.get(url)
        assert_public(first, name)
        again = client.get(url)
        assert_public(again, name)
        assert again["ETag"] == first["ETag"], name
        assert client.head(url)["ETag"] == first["ETag"], name


def test_a_current_etag_is_answered_304_without_rendering_nor_query(
    client, public_urls, page_cache
):
    for name, url in public_urls.items():
        tag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_IF_NONE_MATCH=f'"other", {tag}')
        assert response.status_code == 304, name
        assert len(queries) == 0, (name, [q["sql"] for q in queries])
        assert not response.content
        assert response["ETag"] == tag and PUBLIC.match(response["Cache-Control"])
        assert pagecache.HEADER not in response  # answered before the page cache


def test_a_publication_changes_every_tag_an_agenda_change_only_the_agenda_ones(client, public_urls):
    tags = {name: client.get(url)["ETag"] for name, url in public_urls.items()}
    versions.bump(versions.AGENDA)
    after_agenda = {name: client.get(url)["ETag"] for name, url in public_urls.items()}
    for name in ("agenda", "venue", "venue_feed"):
        assert after_agenda[name] != tags[name], name
        stale = client.get(public_urls[name], HTTP_IF_NONE_MATCH=tags[name])
        assert stale.status_code == 200, name
    for name in ("guide", "guide_index", "search"):
        assert after_agenda[name] == tags[name], name
    versions.bump(versions.PUBLICATION)
    for name, url in public_urls.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=after_agenda[name]).status_code == 200, name


def test_the_tag_covers_the_address_and_the_release(client, settings):
    guide = GuidePageFactory(illustrated=False)
    tag = client.get(guide.url)["ETag"]
    # Another page's tag, or the same page with another query, is not current here.
    assert client.get("/fiches/", HTTP_IF_NONE_MATCH=tag).status_code == 200
    assert client.get(guide.url + "?page=2", HTTP_IF_NONE_MATCH=tag).status_code == 200
    settings.FRONT_CACHE_RELEASE = "a-new-deploy"
    front.release.cache_clear()
    try:
        assert client.get(guide.url, HTTP_IF_NONE_MATCH=tag).status_code == 200
    finally:
        front.release.cache_clear()


def test_a_tag_lasts_a_limited_time(client, settings):
    # What changes with time alone (« aujourd'hui ») is in no scope: tags are renewed.
    settings.FRONT_CACHE_TAG_SECONDS = 1
    guide = GuidePageFactory(illustrated=False)
    tag = client.get(guide.url)["ETag"]
    time.sleep(1.1)
    assert client.get(guide.url, HTTP_IF_NONE_MATCH=tag).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        'W/"9-0123456789abcdef01234567"',
        'W/"0.9.9.9-zz"',
        "*",
        ", ".join(f'W/"0-{i:024x}"' for i in range(50)),
        'W/"' + "0." * 500 + '0-0123456789abcdef01234567"',
    ],
)
def test_odd_validators_get_the_page_never_an_error(client, header):
    guide = GuidePageFactory(illustrated=False)
    response = client.get(guide.url, HTTP_IF_NONE_MATCH=header)
    assert response.status_code == 200
    assert_public(response, header)


def test_the_setting_turns_public_headers_off(client, settings):
    settings.FRONT_CACHE_S_MAXAGE = 0
    guide = GuidePageFactory(illustrated=False)
    response = client.get(guide.url)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "") and "ETag" not in response


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid",
        "messages",
        carnet_views.COOKIE_NAME,
        carnet_views.AGENDA_COOKIE,
        carnet_views.PENDING_COOKIE,
    ],
)
def test_a_request_with_a_personal_cookie_is_never_public_nor_304(client, page_cache, cookie):
    guide = GuidePageFactory(illustrated=False)
    tag = Client().get(guide.url)["ETag"]
    client.cookies[cookie] = "x"
    response = client.get(guide.url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200
    assert_private(response, cookie)


def test_the_personal_cookies_are_those_the_site_sets(settings):
    assert {
        carnet_views.COOKIE_NAME,
        carnet_views.AGENDA_COOKIE,
        carnet_views.PENDING_COOKIE,
        "messages",
    } <= set(settings.PERSONAL_COOKIES)
    # The proxy's bypass rule names the same cookies (deploy/nginx/pasapas.conf).
    from deploy import check

    config = check.NGINX_CONF.read_text()
    rule = re.search(r"map \$http_cookie \$pasapas_personal_cookie \{(.*?)\}", config, re.S)
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        *settings.PERSONAL_COOKIES,
    ):
        assert f"|{name}|" in rule.group(1).replace("(?:", "|").replace(")=", "|")


def test_logged_in_users_get_private_pages(client, page_cache):
    guide = GuidePageFactory(illustrated=False)
    client.force_login(UserFactory())
    assert_private(client.get(guide.url), "guide, logged in")
    assert_private(client.get("/admin/"), "admin dashboard")


def test_admin_login_and_its_csrf_cookie(client, settings):
    settings.CSRF_COOKIE_SECURE = True  # as in production
    response = client.get("/admin/login/")
    assert_private(response, "admin login")
    morsel = response.cookies[settings.CSRF_COOKIE_NAME]
    assert morsel["path"] == "/admin/"
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Lax"


def _carnet_code():
    structure = StructureFactory()
    counsellor = counsellor_user(structure=structure)
    learner = LearnerFactory(structure=structure, first_name="Odette")
    return carnet_issue(user=counsellor, learner=learner)


def test_the_carnet_is_private_and_its_cookies_stay_on_their_paths(client, settings):
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_SECURE = True
    form = client.get("/carnet/")
    assert_private(form, "carnet form")
    assert form.cookies[settings.CSRF_COOKIE_NAME]["path"] == "/carnet/"
    code = _carnet_code()
    opened = client.post("/carnet/", {"code": code})
    assert opened.status_code == 303
    assert_private(opened, "carnet opened")
    assert opened.cookies[carnet_views.COOKIE_NAME]["path"] == "/carnet/"
    agenda_cookie = opened.cookies[carnet_views.AGENDA_COOKIE]
    assert agenda_cookie["path"] == "/pres-de-chez-vous/seances/"
    for morsel in (opened.cookies[carnet_views.COOKIE_NAME], agenda_cookie):
        assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Lax"
    assert_private(client.get("/carnet/"), "carnet page")
    assert_private(client.get("/carnet/", {"code": code}), "carnet QR link")


def test_the_sign_up_pages_are_private_and_scope_the_csrf_cookie(client, network):  # noqa: F811
    venue = network["venues"]["roche"]
    session = public_session(venue)
    page_url = reverse("agenda:session", kwargs={"session_id": session.pk})
    page = client.get(page_url)
    assert page.status_code == 200
    assert_private(page, "session page with its form")
    assert page.cookies["csrftoken"]["path"] == page_url
    sent = client.post(
        page_url,
        {"first_name": "Josiane", "phone": "06 12 34 56 78", "email": "", "site_web": ""},
    )
    assert sent.status_code in (302, 303)
    assert_private(sent, "sign-up sent")
    booking = Booking.objects.get(session=session)
    booking_url = reverse("agenda:booking", kwargs={"token": booking.token})
    confirmation = client.get(booking_url)
    assert confirmation.status_code == 200
    assert_private(confirmation, "sign-up confirmation")
    cancel = client.get(reverse("agenda:booking_cancel", kwargs={"token": booking.token}))
    assert_private(cancel, "cancel link")
    appointment_url = reverse("agenda:appointment_request", kwargs={"venue_id": venue.pk})
    appointment = Client().get(appointment_url)
    if appointment.status_code == 200:
        assert_private(appointment, "appointment form")
        assert appointment.cookies["csrftoken"]["path"] == appointment_url


def test_a_csrf_cookie_alone_does_not_make_a_guide_private(client, page_cache):
    guide = GuidePageFactory(illustrated=False)
    client.cookies["csrftoken"] = "x" * 32
    assert_public(client.get(guide.url), "guide with a csrftoken")
