"""The documentation: the OpenAPI document in French, the docs page served locally."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_operations_auth_and_conventions_in_french(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "page[after]" in document["info"]["description"]
    assert "filter[modification][depuis]" in document["info"]["description"]
    assert "Retry-After" in document["info"]["description"]
    scheme = document["components"]["securitySchemes"]["ClientKey"]
    assert scheme["scheme"] == "bearer" and "<identifiant>:<secret>" in scheme["description"]
    for path, item in document["paths"].items():
        operation = item["get"]
        assert operation["summary"] and operation["description"], path
        names = {parameter["name"] for parameter in operation["parameters"]}
        # One document for a period, and the NDJSON stream: not lists in pages.
        if path not in {"/api/v1/statistiques", "/api/v1/activites/flux"}:
            assert {"page[size]", "page[after]", "filter[modification][depuis]"} <= names, path
        assert "400" in operation["responses"], path
    keyed = document["paths"]["/api/v1/structures"]["get"]
    assert keyed["security"] == [{"ClientKey": []}]
    assert {"401", "403", "429"} <= set(keyed["responses"])
    assert "security" not in document["paths"]["/api/v1/sessions"]["get"]


def test_the_docs_page_loads_nothing_from_other_hosts(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    # The site's policy, unchanged: scripts from this host only.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1]


def test_an_unknown_address_answers_a_json_api_404_in_french(client):
    response = client.get("/api/v1/activites-inconnues")
    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert error["title"] == "Adresse inconnue" and "/api/v1/docs" in error["detail"]
