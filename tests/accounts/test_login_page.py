"""The admin login page is French from top to bottom (Wagtail's form labelled its password
field from the field name, outside gettext)."""

import re

import pytest

pytestmark = pytest.mark.django_db

ENGLISH = ("Password", "Username", "Sign in", "Forgotten it?", "Forgotten password?", "Remember me")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:placeholder|aria-label|title|value)="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) + " " + attributes


def test_login_page_has_french_labels_and_no_english(client):
    html = client.get("/admin/login/").content.decode()
    labels = [
        re.sub(r"<[^>]+>|\s+|\*", " ", label).strip()
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)
    ]
    assert labels[:2] == ["Identifiant", "Mot de passe"], labels
    text = visible_text(html)
    for word in ENGLISH:
        assert word not in text, word


def test_failed_login_message_is_french(client, django_user_model):
    django_user_model.objects.create_user(username="claire", password="le-bon-mot-de-passe")
    response = client.post("/admin/login/", {"username": "claire", "password": "faux"})
    text = visible_text(response.content.decode())
    assert "Identifiant ou mot de passe incorrect" in text
    for word in ENGLISH:
        assert word not in text, word
