"""Cache versions per scope (caching/versions.py) and the per-process memo
(caching/memo.py): a bump of a scope refreshes what was kept under it, and only that."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from caching import memo, versions
from tests.factories.workshops import GuidePageFactory


def test_each_scope_has_its_own_version():
    publication, agenda = versions.current(versions.PUBLICATION), versions.current(versions.AGENDA)
    versions.bump(versions.AGENDA)
    assert versions.current(versions.PUBLICATION) == publication
    assert versions.current(versions.AGENDA) == agenda + 1
    versions.bump(versions.PUBLICATION)
    assert versions.current(versions.PUBLICATION) == publication + 1


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="Unknown cache scope 'sessions'"):
        versions.bump("sessions")
    with pytest.raises(ValueError, match="Unknown cache scope"):
        versions.receiver("sessions")


@pytest.mark.parametrize("scope", versions.SCOPES)
def test_a_memo_is_recomputed_after_a_bump_of_its_scope_only(scope):
    other = next(s for s in versions.SCOPES if s != scope)
    computed = []
    compute = lambda: computed.append(1) or len(computed)  # noqa: E731
    assert memo.memoize("key", compute, scopes=(scope,)) == 1
    versions.bump(other)
    assert memo.memoize("key", compute, scopes=(scope,)) == 1
    versions.bump(scope)
    assert memo.memoize("key", compute, scopes=(scope,)) == 2


def test_a_request_reads_each_version_once_and_records_the_scopes_it_used():
    request = RequestFactory().get("/")
    first = versions.current(versions.AGENDA, request=request)
    versions.bump(versions.AGENDA)
    # The request keeps the version it started with (consistent rendering).
    assert versions.current(versions.AGENDA, request=request) == first
    assert versions.used(request) == {versions.PUBLICATION, versions.AGENDA}
    assert versions.used(RequestFactory().get("/")) == {versions.PUBLICATION}


@pytest.mark.django_db
def test_the_receiver_bumps_now_and_again_on_commit(django_capture_on_commit_callbacks):
    receiver = versions.receiver(versions.AGENDA)
    before = versions.current(versions.AGENDA)
    with django_capture_on_commit_callbacks(execute=True):
        receiver(sender=None)
        assert versions.current(versions.AGENDA) == before + 1
    assert versions.current(versions.AGENDA) == before + 2


@pytest.mark.django_db
@pytest.mark.parametrize("scope", versions.SCOPES)
def test_a_published_fragment_is_fresh_after_a_bump_of_its_scopes(settings, scope):
    settings.RENDER_CACHE_SECONDS = 300
    page = GuidePageFactory(illustrated=False)
    template = Template(
        '{% load site_tags %}{% publishedfragment "t" scopes="'
        + ",".join(versions.SCOPES)
        + '" %}{{ value }}{% endpublishedfragment %}'
    )

    def render(value):
        return template.render(
            Context({"page": page, "request": RequestFactory().get("/"), "value": value})
        )

    assert render("one") == "one"
    assert render("two") == "one"
    versions.bump(scope)
    assert render("three") == "three"


def test_a_fragment_with_an_unknown_scope_fails_when_the_template_loads():
    with pytest.raises(TemplateSyntaxError, match="Unknown cache scopes"):
        Template(
            '{% load site_tags %}{% publishedfragment "t" scopes="x" %}{% endpublishedfragment %}'
        )


@pytest.mark.django_db
def test_an_agenda_bump_includes_its_details_unless_places_only():
    agenda, details = versions.current(versions.AGENDA), versions.current(versions.AGENDA_DETAILS)
    versions.bump(versions.AGENDA, places_only=True)
    assert versions.current(versions.AGENDA) == agenda + 1
    assert versions.current(versions.AGENDA_DETAILS) == details
    versions.bump(versions.AGENDA)
    assert versions.current(versions.AGENDA) == agenda + 2
    assert versions.current(versions.AGENDA_DETAILS) == details + 1
    publication = versions.current(versions.PUBLICATION)
    versions.bump(versions.AGENDA_DETAILS)
    assert versions.current(versions.AGENDA) == agenda + 2
    assert versions.current(versions.PUBLICATION) == publication
