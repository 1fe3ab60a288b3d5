"""Reader feedback on guides: public endpoint, validation, rate limits, no personal data."""

from html import unescape

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories.editorial import guide_create
from workshops.models import GuideFeedback
from workshops.services.feedback import (
    FeedbackRateLimited,
    feedback_client_key,
    guide_feedback_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, guide, **data):
    return client.post(reverse("guide_feedback", kwargs={"page_id": guide.pk}), data)


def test_helped_is_recorded_on_the_live_version_and_redirects_to_the_thanks(client):
    guide = guide_create(steps=3)
    response = post(client, guide, kind="helped", step="2", comment="  Très clair  ")
    assert response.status_code == 302
    assert response["Location"] == guide.url + "#avis-merci"
    feedback = GuideFeedback.objects.get()
    assert feedback.page_id == guide.pk
    assert feedback.version == guide.live_revision_id is not None
    assert feedback.kind == "helped"
    assert feedback.step is None  # a step only makes sense when stuck
    assert feedback.comment == "Très clair"
    # No cookie is set by giving feedback.
    assert not response.cookies


def test_stuck_at_a_step_is_recorded(client):
    guide = guide_create(steps=4)
    response = post(client, guide, kind="stuck", step="4")
    assert response.status_code == 302
    assert GuideFeedback.objects.get().step == 4


def test_no_csrf_token_is_needed(client):
    guide = guide_create()
    client.handler.enforce_csrf_checks = True
    assert post(client, guide, kind="helped").status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "stuck", "step": "9"}, "Cette fiche a 3 étapes"),
        ({"kind": "stuck", "step": ""}, "Indiquez l'étape où vous bloquez"),
        ({"kind": "stuck", "step": "abc"}, "Choisissez un numéro d'étape"),
        ({"kind": "stuck", "step": "0"}, "Choisissez un numéro d'étape"),
        ({"kind": "peut-être"}, "Choisissez « Cette fiche m'a aidé »"),
        ({}, "Choisissez « Cette fiche m'a aidé »"),
        ({"kind": "helped", "comment": "x" * 501}, "Votre commentaire est trop long (501"),
    ],
)
def test_bad_input_gets_a_french_message_and_nothing_is_stored(client, data, message):
    guide = guide_create(steps=3)
    response = post(client, guide, **data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert "n'a pas été envoyé" in html
    assert not GuideFeedback.objects.exists()


def test_unknown_or_unpublished_guide_is_a_french_404(client):
    draft = guide_create(publish=False)
    response = client.post(reverse("guide_feedback", kwargs={"page_id": 999999}), {})
    assert response.status_code == 404
    assert "introuvable" in response.content.decode()
    assert post(client, draft, kind="helped").status_code == 404


def test_get_redirects_to_the_form(client):
    guide = guide_create()
    response = client.get(reverse("guide_feedback", kwargs={"page_id": guide.pk}))
    assert response.status_code == 302
    assert response["Location"].endswith("#avis")


def test_rate_limit_per_client_then_429_in_french(client, settings):
    settings.GUIDE_FEEDBACK_RATE_LIMITS = {"per_client_per_day": 3, "per_guide_per_hour": 100}
    guide = guide_create()
    for _ in range(3):
        assert post(client, guide, kind="helped").status_code == 302
    response = post(client, guide, kind="helped")
    assert response.status_code == 429
    html = unescape(response.content.decode())
    assert "Trop d'avis envoyés" in html
    assert "demain" in html
    assert GuideFeedback.objects.count() == 3
    # Another client (another address) is not blocked.
    other = post(client.__class__(REMOTE_ADDR="10.0.0.2"), guide, kind="helped")
    assert other.status_code == 302


def test_rate_limit_per_guide_counts_every_client(settings):
    settings.GUIDE_FEEDBACK_RATE_LIMITS = {"per_client_per_day": 100, "per_guide_per_hour": 2}
    guide, other_guide = guide_create(), guide_create()
    guide_feedback_record(page=guide, kind="helped", ip_address="10.0.0.1")
    guide_feedback_record(page=guide, kind="helped", ip_address="10.0.0.2")
    with pytest.raises(FeedbackRateLimited, match="réessayer dans une heure"):
        guide_feedback_record(page=guide, kind="helped", ip_address="10.0.0.3")
    guide_feedback_record(page=other_guide, kind="helped", ip_address="10.0.0.3")
    assert GuideFeedback.objects.filter(page=guide).count() == 2


def test_invalid_input_does_not_count_against_the_limit(client, settings):
    settings.GUIDE_FEEDBACK_RATE_LIMITS = {"per_client_per_day": 1, "per_guide_per_hour": 100}
    guide = guide_create(steps=2)
    assert post(client, guide, kind="stuck", step="7").status_code == 400
    assert post(client, guide, kind="stuck", step="2").status_code == 302


def test_client_key_is_a_daily_hash_not_the_address():
    key = feedback_client_key(ip_address="192.0.2.10", day="2025-01-01")
    assert "192.0.2.10" not in key
    assert key == feedback_client_key(ip_address="192.0.2.10", day="2025-01-01")
    assert key != feedback_client_key(ip_address="192.0.2.10", day="2025-01-02")
    field_names = {f.name for f in GuideFeedback._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "client", "user", "email"}


def test_include_renders_an_accessible_form_without_csrf_token():
    guide = guide_create(steps=3)
    html = render_to_string("workshops/includes/guide_feedback.html", {"page": guide})
    assert "csrfmiddlewaretoken" not in html
    assert "<fieldset" in html and "<legend>" in html
    assert html.count('type="radio"') == 2
    assert html.count("<option value=") == 4  # "Choisir l'étape" + 3 steps
    assert "Étape 3 : Étape numéro 3" in html
    assert 'maxlength="500"' in html
    assert "information personnelle" in html
    assert reverse("guide_feedback", kwargs={"page_id": guide.pk}) in html


def test_behind_the_local_proxy_each_reader_has_their_own_limit(client, settings):
    settings.GUIDE_FEEDBACK_RATE_LIMITS = {"per_client_per_day": 1, "per_guide_per_hour": 100}
    guide = guide_create()
    url = reverse("guide_feedback", kwargs={"page_id": guide.pk})
    # The proxy on 127.0.0.1 appends the real address to X-Forwarded-For.
    first = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "spoofed, 203.0.113.7"}
    second = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert client.post(url, {"kind": "helped"}, **first).status_code == 302
    assert client.post(url, {"kind": "helped"}, **second).status_code == 302
    assert client.post(url, {"kind": "helped"}, **first).status_code == 429
    # A public address's own X-Forwarded-For is not trusted.
    public = {"REMOTE_ADDR": "93.184.216.34", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.post(url, {"kind": "helped"}, **public).status_code == 302
    public["HTTP_X_FORWARDED_FOR"] = "203.0.113.10"
    assert client.post(url, {"kind": "helped"}, **public).status_code == 429


def test_the_error_page_keeps_the_readers_answers_and_points_at_each_error(client):
    guide = guide_create(steps=3)
    long = post(client, guide, kind="stuck", step="2", comment="Trop " + "x" * 500)
    html = long.content.decode()
    assert 'value="stuck" checked' in html and 'value="helped" required>' in html
    assert '<option value="2" selected>' in html and '<option value="1">' in html
    assert 'id="avis-commentaire-erreur"' in html and 'aria-invalid="true">Trop xx' in html
    assert 'aria-describedby="avis-etape-erreur"' not in html
    wrong_step = post(client, guide, kind="stuck", step="9").content.decode()
    assert 'id="avis-etape-erreur"' in wrong_step
    assert 'aria-describedby="avis-etape-erreur" aria-invalid="true"' in wrong_step
    assert "selected" not in wrong_step and "avis-commentaire-erreur" not in wrong_step
    no_kind = post(client, guide).content.decode()
    assert '<fieldset aria-describedby="avis-kind-erreur">' in no_kind
    assert "checked" not in no_kind


def test_the_guide_page_shows_the_blank_form():
    guide = guide_create(steps=3)
    html = render_to_string("workshops/includes/guide_feedback.html", {"page": guide})
    for absent in ("checked", "selected", "aria-invalid", "field-error", "feedback-errors"):
        assert absent not in html, absent
    assert "<fieldset>" in html and "></textarea>" in html
