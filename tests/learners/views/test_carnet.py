"""The public carnet (/carnet/): opening with a code, what it shows, "J'ai lu", closing,
headers, the page cache, and the rate limits against guessing."""

import datetime
import email.message
import html as htmllib
import http.cookiejar
import time
import urllib.request

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learners.choices import SessionKind
from learners.codes import code_format
from learners.models import Carnet, GuideRead
from learners.services import (
    SheetRow,
    attendance_sheet_save,
    carnet_issue,
    carnet_revoke,
    observation_record,
)
from learners.services.carnet_limits import carnet_rate_limit_keys
from learners.views import carnet as carnet_views
from learners.views.carnet import CARNET_IDLE_SECONDS, COOKIE_NAME, COOKIE_SALT
from tests.factories.editorial import atelier_create, guide_create
from tests.factories.learners import LearnerFactory, SessionFactory, crcn_competences, level

pytestmark = pytest.mark.django_db

URL = "/carnet/"
WRONG = "Ce code n'ouvre aucun carnet."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rich(counsellor_a, structure_a, socle):
    """Yvette Durandeau (born 1937): an atelier, socle levels (one acquired, one in
    progress), a CRCN level, guides on the competence in progress (one already read)."""
    learner = LearnerFactory(
        structure=structure_a, first_name="Yvette", last_name="Durandeau", birth_year=1937
    )
    atelier = atelier_create(title="Créer son adresse e-mail", competences=socle[:2])
    session = SessionFactory(
        structure=structure_a,
        kind=SessionKind.WORKSHOP,
        atelier=atelier,
        competences=socle[:2],
        start=timezone.now() - datetime.timedelta(days=10),
    )
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[
            SheetRow(
                learner_id=learner.pk,
                levels={socle[0].pk: level("socle", 2).pk, socle[1].pk: level("socle", 1).pk},
            )
        ],
    )
    observation_record(
        user=counsellor_a, learner=learner, competence=crcn_competences()[0], level=level("crcn", 3)
    )
    read = guide_create(title="Fiche déjà lue")
    to_read = guide_create(title="Lire ses e-mails sur son téléphone")
    for guide in (read, to_read):
        guide.competences.set([socle[1]])
        guide.save()
    GuideRead.objects.create(learner=learner, guide=read)
    code = carnet_issue(user=counsellor_a, learner=learner)
    return {
        "learner": learner,
        "code": code,
        "read": read,
        "to_read": to_read,
        "socle": socle,
        "counsellor": counsellor_a,
    }


def _text(response) -> str:
    return htmllib.unescape(response.content.decode())


def _post_code(client, code, **extra):
    return client.post(URL, {"code": code}, **extra)


def _assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "same-origin"
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        assert '<meta name="robots" content="noindex, nofollow">' in _text(response)


def test_code_typed_with_spaces_and_lowercase_opens(client, rich):
    typed = "  " + " ".join(code_format(rich["code"]).lower().replace("-", " ")) + " "
    response = _post_code(client, typed)
    assert response.status_code == 303
    assert response["Location"] == URL
    assert client.cookies[COOKIE_NAME]["path"] == URL
    assert client.cookies[COOKIE_NAME]["httponly"]
    page = client.get(URL)
    assert page.status_code == 200
    assert "Le carnet de progression d'Yvette" in _text(page)
    assert Carnet.objects.get(learner=rich["learner"]).open_count == 1


def test_qr_link_opens_then_drops_the_code_from_the_url(client, rich):
    response = client.get(URL, {"code": rich["code"]}, follow=True)
    assert response.redirect_chain == [(URL, 303)]
    assert response.request["PATH_INFO"] == URL and not response.request.get("QUERY_STRING")
    html = _text(response)
    assert "Le carnet de progression d'Yvette" in html
    assert rich["code"] not in html and code_format(rich["code"]) not in html


def test_first_name_only(client, rich):
    _post_code(client, rich["code"])
    html = _text(client.get(URL))
    assert "Yvette" in html
    assert "Durandeau" not in html
    assert "1937" not in html
    assert rich["learner"].network_id not in html


def test_what_the_carnet_shows(client, rich):
    _post_code(client, rich["code"])
    html = _text(client.get(URL))
    socle = rich["socle"]
    # Ateliers attended, with their dates.
    assert "Créer son adresse e-mail" in html
    # Levels in words and as labelled bars, never colour only.
    assert "Niveau : Acquis (3 sur 4)" in html
    assert "Niveau : En cours (2 sur 4)" in html
    assert "Niveau 3 sur 8 (Indépendant)" in html
    assert f'<progress max="4" value="3" aria-labelledby="competence-{socle[0].pk}"' in html
    # "Ce que je sais faire": the acquired competence only.
    assert socle[0].can_do in html
    assert socle[1].can_do not in html
    # Next guides exclude the read one, which is listed apart.
    next_part, read_part = html.split('id="fiches-lues"')
    assert "Lire ses e-mails sur son téléphone" in next_part.split('id="fiches-a-lire"')[1]
    assert "Fiche déjà lue" not in next_part.split('id="fiches-a-lire"')[1]
    assert "Fiche déjà lue" in read_part
    assert "Imprimer mon carnet" in html and "Fermer mon carnet" in html


def test_revoked_and_wrong_codes_get_the_same_answer(client, rich):
    old = rich["code"]
    carnet_issue(user=rich["counsellor"], learner=rich["learner"])  # revokes `old`
    revoked = _post_code(client, old)
    unknown = _post_code(client, "ABCDE-FGHJK")
    assert revoked.status_code == unknown.status_code == 400
    assert WRONG in _text(revoked)

    def message(response):
        html = _text(response)
        return html[html.index('id="carnet-code-erreur"') : html.index("</div>", html.index(WRONG))]

    assert message(revoked) == message(unknown)
    assert COOKIE_NAME not in client.cookies or not client.cookies[COOKIE_NAME].value
    _assert_private(revoked)


def test_wrong_code_in_the_qr_link_is_not_kept_in_the_url(client, rich):
    response = client.get(URL, {"code": "ABCDE-FGHJK"})
    assert response.status_code == 303
    assert response["Location"] == URL + "?erreur=code"
    page = client.get(response["Location"])
    assert WRONG in _text(page)
    _assert_private(page)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "ABCD",
            "Le code compte 16 caractères (lettres et chiffres), 10 sur les cartes plus "
            "anciennes ; vous en avez saisi 4.",
        ),
        ("OBCDE-FGHJK", "n'utilisent jamais les chiffres 0 et 1 ni les lettres O, I, L et U"),
        ("  - ", "Saisissez le code inscrit sur votre carte."),
    ],
)
def test_malformed_codes_get_help_and_are_not_counted(client, settings, typed, expected):
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 1, "global_per_hour": 1}
    for _ in range(3):
        response = _post_code(client, typed)
        assert response.status_code == 400
        assert expected in _text(response)
    keys = carnet_rate_limit_keys(ip_address="127.0.0.1")
    assert cache.get(keys.client) is None and cache.get(keys.everyone) is None
    assert cache.get(keys.network) is None


def test_rate_limit_per_client(client, rich, settings):
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 3, "global_per_hour": 100}
    for _ in range(3):
        assert _post_code(client, "ABCDE-FGHJK").status_code == 400
    limited = _post_code(client, "ABCDE-FGHJK")
    assert limited.status_code == 429
    html = _text(limited)
    assert "Trop d'essais" in html
    # The wait announced is the one Retry-After gives, in whole minutes.
    retry_after = int(limited["Retry-After"])
    assert 0 < retry_after <= 3600
    minutes = -(-retry_after // 60)
    unit = "minute" if minutes == 1 else "minutes"
    assert f"patientez {minutes} {unit} avant de réessayer" in html
    _assert_private(limited)
    # Even the right code is not looked up while the client is limited…
    assert _post_code(client, rich["code"]).status_code == 429
    assert Carnet.objects.get(learner=rich["learner"]).open_count == 0
    # …nor through the QR link, which shows the 429 page without the code in its URL.
    response = client.get(URL, {"code": rich["code"]})
    assert response["Location"] == URL + "?erreur=limite"
    assert client.get(response["Location"]).status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert _post_code(other, rich["code"]).status_code == 303

    # The window ends (its counter expires): the client may try again.
    cache.delete(carnet_rate_limit_keys(ip_address="127.0.0.1").client)
    assert _post_code(client, rich["code"]).status_code == 303


def test_rate_limit_per_client_behind_the_local_proxy(client, rich, settings):
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 2, "global_per_hour": 100}
    first = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "spoofed, 203.0.113.7"}
    second = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    for _ in range(2):
        assert _post_code(client, "ABCDE-FGHJK", **first).status_code == 400
    assert _post_code(client, "ABCDE-FGHJK", **first).status_code == 429
    # The client cannot escape by changing the part of the header it controls.
    changed = {**first, "HTTP_X_FORWARDED_FOR": "another, 203.0.113.7"}
    assert _post_code(client, "ABCDE-FGHJK", **changed).status_code == 429
    assert _post_code(client, "ABCDE-FGHJK", **second).status_code == 400
    # A public address talking directly is itself the client, whatever it forwards.
    direct = {"REMOTE_ADDR": "93.184.216.34", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert _post_code(client, "ABCDE-FGHJK", **direct).status_code == 400


def test_a_flood_from_many_addresses_asks_the_first_name_and_never_locks_holders_out(
    rich, settings
):
    """400 wrong codes from 40 addresses spend the overall budget: the form then asks for
    the holder's first name too; the real holder gets in with code + first name (typed or
    from the QR link), from an address of the flood's own /24 too; code-only is no longer
    looked up; wrong code + first name still counts."""
    settings.CARNET_RATE_LIMITS = {"per_client_per_hour": 10, "global_per_hour": 200}
    statuses = set()
    for n in range(40):
        attacker = Client(REMOTE_ADDR=f"203.0.113.{n}")
        for _ in range(10):
            wrong = {"code": "ABCDE-FGHJK", "prenom": "Marie"}
            statuses.add(attacker.post(URL, wrong).status_code)
    assert statuses == {400}
    assert cache.get(carnet_rate_limit_keys(ip_address="10.9.9.9").everyone) == 400
    holder = Client(REMOTE_ADDR="203.0.113.200")
    form = holder.get(URL)
    assert 'name="prenom"' in _text(form) and "Mon prénom" in _text(form)
    # Code only: not looked up, not counted, the form asks for the first name.
    asked = _post_code(holder, rich["code"])
    assert asked.status_code == 400
    assert "Indiquez aussi votre prénom" in _text(asked)
    assert Carnet.objects.get(learner=rich["learner"]).open_count == 0
    # A wrong first name does not open it (and counts).
    keys = carnet_rate_limit_keys(ip_address="203.0.113.200")
    wrong = holder.post(URL, {"code": rich["code"], "prenom": "Marie"})
    assert wrong.status_code == 400 and WRONG in _text(wrong)
    assert cache.get(keys.client) == 1
    # The right one, folded (case, accents, spaces do not matter), opens it.
    opened = holder.post(URL, {"code": rich["code"], "prenom": " YVETTE "})
    assert opened.status_code == 303 and opened["Location"] == URL
    assert "Le carnet de progression d'Yvette" in _text(holder.get(URL))
    assert cache.get(keys.client) == 1  # the success gave its reservation back

    # The QR link: the code is kept in a signed cookie, never in the URL; the holder types
    # only the first name.
    qr = Client(REMOTE_ADDR="198.51.100.9")
    response = qr.get(URL, {"code": rich["code"]})
    assert response.status_code == 303 and response["Location"] == URL + "?prenom=1"
    page = qr.get(response["Location"])
    assert f'value="{rich["code"]}"' in _text(page) and 'name="prenom"' in _text(page)
    assert qr.post(URL, {"code": rich["code"], "prenom": "yvette"}).status_code == 303
    assert "Yvette" in _text(qr.get(URL))
    assert not qr.cookies["carnet_attente"].value  # forgotten once opened


def test_the_first_name_is_asked_for_one_busy_network_only(rich, settings):
    settings.CARNET_RATE_LIMITS = {"per_network_per_hour": 5, "global_per_hour": 1000}
    for n in range(5):
        _post_code(Client(REMOTE_ADDR=f"192.0.2.{n}"), "ABCDE-FGHJK")
    neighbour = Client(REMOTE_ADDR="192.0.2.77")
    assert _post_code(neighbour, rich["code"]).status_code == 400
    elsewhere = Client(REMOTE_ADDR="198.51.100.1")
    assert _post_code(elsewhere, rich["code"]).status_code == 303


def test_ipv6_clients_are_counted_per_64_and_per_48(rich, settings):
    settings.CARNET_RATE_LIMITS = {
        "per_client_per_hour": 2,
        "per_ipv6_site_per_hour": 5,
        "per_network_per_hour": 1000,
    }
    wrong = "ABCDE-FGHJK"
    # Changing the address inside one /64 does not escape the per-address limit.
    for n in range(2):
        assert _post_code(Client(REMOTE_ADDR=f"2001:db8:1:1::{n + 1}"), wrong).status_code == 400
    assert _post_code(Client(REMOTE_ADDR="2001:db8:1:1::99"), rich["code"]).status_code == 429
    # Rotating /64s inside one /48 stops at the /48 limit.
    for n in range(3):
        assert _post_code(Client(REMOTE_ADDR=f"2001:db8:1:{n + 2}::1"), wrong).status_code == 400
    assert _post_code(Client(REMOTE_ADDR="2001:db8:1:ff::1"), wrong).status_code == 429
    # Another /48 is not affected.
    assert _post_code(Client(REMOTE_ADDR="2001:db8:2::1"), rich["code"]).status_code == 303


def test_headers_on_every_response(client, rich):
    _assert_private(client.get(URL))
    _assert_private(_post_code(client, "ABCDE-FGHJK"))
    opened = _post_code(client, rich["code"])
    _assert_private(opened)
    _assert_private(client.get(URL))
    _assert_private(
        client.post(reverse("carnet_guide_read", args=[rich["to_read"].pk]), {"lue": "1"})
    )
    _assert_private(client.post(reverse("carnet_guide_read", args=[999999]), {"lue": "1"}))
    _assert_private(client.post(reverse("carnet_close")))


def test_the_page_cache_never_keeps_a_carnet(client, rich, settings):
    settings.PAGE_CACHE_SECONDS = 300
    _post_code(client, rich["code"])
    first = client.get(URL)
    second = client.get(URL)
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    # A visitor without the cookie gets the form, never someone's carnet.
    stranger = Client().get(URL)
    assert "X-Page-Cache" not in stranger
    assert "Yvette" not in _text(stranger)
    assert 'name="code"' in _text(stranger)
    assert not [key for key in cache._cache if "pagecache:" in key and ":version" not in key]


def test_i_have_read_this_guide(client, rich):
    _post_code(client, rich["code"])
    guide = rich["to_read"]
    response = client.post(reverse("carnet_guide_read", args=[guide.pk]), {"lue": "1"})
    assert response.status_code == 303
    assert response["Location"] == f"{URL}?lue={guide.pk}#fiches-lues"
    assert GuideRead.objects.filter(learner=rich["learner"], guide=guide).exists()
    html = _text(client.get(response["Location"]))
    assert "C'est noté : vous avez lu la fiche « Lire ses e-mails sur son téléphone »" in html
    next_part = html.split('id="fiches-a-lire"')[1].split('id="fiches-lues"')[0]
    assert guide.title not in next_part
    assert "Pas de nouvelle fiche" in next_part
    # And back to the guides to read.
    client.post(reverse("carnet_guide_read", args=[guide.pk]), {"lue": "0"})
    assert not GuideRead.objects.filter(learner=rich["learner"], guide=guide).exists()


def test_i_have_read_needs_an_open_carnet_and_a_csrf_token(rich):
    guide = rich["to_read"]
    url = reverse("carnet_guide_read", args=[guide.pk])
    anonymous = Client()
    response = anonymous.post(url, {"lue": "1"})
    assert response.status_code == 303
    assert response["Location"] == URL + "?erreur=expire"
    assert "sans activité" in _text(anonymous.get(response["Location"]))
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(URL)
    token = page.cookies["csrftoken"].value
    strict.post(URL, {"code": rich["code"], "csrfmiddlewaretoken": page.context["csrf_token"]})
    assert token
    assert strict.post(url, {"lue": "1"}).status_code == 403
    assert not GuideRead.objects.filter(guide=guide).exists()
    assert strict.get(URL).status_code == 200  # the carnet is open, the post was refused


def test_unknown_guide_is_a_french_404(client, rich):
    _post_code(client, rich["code"])
    draft = guide_create(title="Brouillon", publish=False)
    response = client.post(reverse("carnet_guide_read", args=[draft.pk]), {"lue": "1"})
    assert response.status_code == 404
    assert "Cette fiche n'est plus en ligne." in _text(response)


def test_close_my_carnet(client, rich):
    _post_code(client, rich["code"])
    assert client.get(reverse("carnet_close")).status_code == 405
    response = client.post(reverse("carnet_close"))
    assert response.status_code == 303 and response["Location"] == URL + "?ferme=1"
    html = _text(client.get(response["Location"]))
    assert "Votre carnet est fermé" in html and "Yvette" not in html
    assert 'name="code"' in html


def test_a_revoked_code_closes_an_open_carnet(client, rich):
    _post_code(client, rich["code"])
    carnet_revoke(user=rich["counsellor"], carnet=Carnet.objects.get(learner=rich["learner"]))
    html = _text(client.get(URL))
    assert "Yvette" not in html
    assert "Votre carnet s'est fermé" in html


def test_the_cookie_expires_after_idle_time(client, rich):
    carnet = Carnet.objects.get(learner=rich["learner"])

    signer = signing.get_cookie_signer(salt=COOKIE_NAME + COOKIE_SALT)
    fresh = signer.sign(str(carnet.pk))
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - CARNET_IDLE_SECONDS - 5)
    client.cookies[COOKIE_NAME] = signer.sign(str(carnet.pk))
    assert "Votre carnet s'est fermé" in _text(client.get(URL))
    client.cookies[COOKIE_NAME] = fresh
    assert "Le carnet de progression d'Yvette" in _text(client.get(URL))
    # A forged value opens nothing.
    client.cookies[COOKIE_NAME] = str(carnet.pk)
    assert "Yvette" not in _text(client.get(URL))


def test_code_form(client):
    response = client.get(URL)
    html = _text(response)
    assert response.status_code == 200
    for attribute in (
        'autocomplete="off"',
        'autocapitalize="characters"',
        'inputmode="text"',
        'spellcheck="false"',
        '<label for="carnet-code">',
    ):
        assert attribute in html
    assert 'aria-current="page">Mon carnet</a>' in html


def test_carnet_page_queries_do_not_grow(client, rich, counsellor_a, structure_a, socle):
    _post_code(client, rich["code"])
    client.get(URL)  # warm: the Wagtail site lookup is cached per process
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    # More of everything: ateliers, competences, observations, guides, read guides.
    learner = rich["learner"]
    for n in range(4):
        atelier = atelier_create(title=f"Atelier {n}", competences=socle[2:6])
        session = SessionFactory(
            structure=structure_a, kind=SessionKind.WORKSHOP, atelier=atelier, competences=socle
        )
        attendance_sheet_save(
            user=counsellor_a,
            session=session,
            rows=[
                SheetRow(
                    learner_id=learner.pk, levels={c.pk: level("socle", n % 3).pk for c in socle}
                )
            ],
        )
    for n in range(6):
        guide = guide_create(title=f"Fiche {n}")
        guide.competences.set(socle[2:6])
        guide.save()
        if n % 2:
            GuideRead.objects.create(learner=learner, guide=guide)
    client.get(URL)  # warm again: new pages refresh the cached menu
    with CaptureQueriesContext(connection) as large:
        html = _text(client.get(URL))
    assert "Atelier 3" in html
    assert len(large.captured_queries) <= len(small.captured_queries)
    # 13: one for the attestations (issue 16; their competences, one more, only when any).
    assert len(small.captured_queries) <= 13


def test_the_person_sees_who_follows_them_and_withdraws_a_consent(
    client, rich, structure_a, structure_b, counsellor_b
):
    from learners.models import LearnerStructure, SharingConsent
    from learners.scoping import has_consent
    from learners.services.linking import learner_link_with_carnet_code

    learner = rich["learner"]
    LearnerStructure.objects.get_or_create(learner=learner, structure=structure_a)
    learner_link_with_carnet_code(user=counsellor_b, code=rich["code"])
    consent = SharingConsent.objects.get(learner=learner, structure=structure_b)
    url = reverse("carnet_consent_withdraw", args=[consent.pk])
    # Without an open carnet: nothing happens.
    assert Client().post(url).status_code == 303
    assert has_consent(counsellor_b, learner)
    _post_code(client, rich["code"])
    html = _text(client.get(URL))
    part = html.split('id="qui-m-accompagne"')[1]
    assert structure_a.name in part and structure_b.name in part
    assert "voit tout mon parcours" in part and "Retirer mon accord" in part
    # Another person's carnet cannot withdraw it.
    other = LearnerFactory(structure=structure_a)
    other_code = carnet_issue(user=rich["counsellor"], learner=other)
    stranger = Client()
    _post_code(stranger, other_code)
    stranger.post(url)
    assert has_consent(counsellor_b, learner)
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == f"{URL}?accord=retire#qui-m-accompagne"
    assert not has_consent(counsellor_b, learner)
    assert "ne voit plus que ce qu'elle a elle-même noté" in _text(client.get(response["Location"]))


class _Answer:
    """What http.cookiejar reads from an answer: its Set-Cookie headers, as sent."""

    def __init__(self, response):
        self.headers = email.message.Message()
        for morsel in response.cookies.values():
            self.headers["Set-Cookie"] = morsel.output(header="").strip()

    def info(self):
        return self.headers


def _browser_cookie(name: str, path: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, "1:signed", None, False, "testserver.local", False, False, path, True,
        False, None, False, None, None, {},
    )  # fmt: skip


def test_closing_forgets_the_agenda_cookie_at_its_old_path_too(client, rich):
    # Before the agenda cookie was narrowed to the sign-up pages it was set for the whole
    # agenda: a browser may hold it at either path, and closing forgets both.
    jar = http.cookiejar.CookieJar()
    for path in (carnet_views.AGENDA_PATH, "/pres-de-chez-vous/", "/carnet/"):
        name = carnet_views.COOKIE_NAME if path == "/carnet/" else carnet_views.AGENDA_COOKIE
        jar.set_cookie(_browser_cookie(name, path))
    _post_code(client, rich["code"])
    response = client.post(reverse("carnet_close"))
    assert response.status_code == 303
    url = "http://testserver.local" + reverse("carnet_close")
    jar.extract_cookies(_Answer(response), urllib.request.Request(url, method="POST"))
    assert [(cookie.name, cookie.path) for cookie in jar] == []
