"""The guide's « À propos » in one query (workshops/guide_about.py) is what the ORM's four
queries gave: the same rows, in the same order, with what the page shows loaded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from caching import memo
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    audience,
    competence,
    theme,
)
from workshops.guide_about import guide_about
from workshops.models import AtelierPage, GuidePage
from workshops.selectors import live_public

pytestmark = pytest.mark.django_db


def orm_about(guide):
    """The four ORM queries the page used before (the reference)."""
    return {
        "competences": list(guide.competences.select_related("framework")),
        "themes": list(guide.themes.select_related("parent")),
        "audiences": list(guide.audiences.all()),
        "ateliers": list(
            live_public(AtelierPage.objects.all()).filter(related_guides=guide).order_by("title")
        ),
    }


def shown(about: dict) -> dict:
    """What the page prints of each row (tests/workshops: guide_page.html's « À propos »)."""
    return {
        "competences": [(c.pk, c.code, c.name, c.can_do, str(c)) for c in about["competences"]],
        "themes": [(t.pk, t.slug, str(t)) for t in about["themes"]],
        "audiences": [(a.pk, a.slug, str(a)) for a in about["audiences"]],
        "ateliers": [(type(a), a.pk, a.title, a.url) for a in about["ateliers"]],
    }


def test_the_one_query_gives_what_the_orm_gave():
    guide = GuidePageFactory(
        illustrated=False,
        # Two frameworks (ordered by the framework's name), a sub-theme (named with its
        # parent), several audiences (ordered by their order, then name).
        competences=[competence("2.1"), competence("S2.2"), competence("S2.1")],
        themes=[theme("securite-numerique"), theme("demarches-papiers"), theme("e-mail")],
        audiences=[audience("seniors"), audience("jeunes"), audience("adultes")],
    )
    other = GuidePageFactory(illustrated=False, competences=[competence("1.1")])
    AtelierPageFactory(title="Zoé et les e-mails", related_guides=[guide])
    AtelierPageFactory(title="Atelier du lundi", related_guides=[guide, other])
    AtelierPageFactory(title="Brouillon", related_guides=[guide], publish=False)
    restricted = AtelierPageFactory(title="Réservé", related_guides=[guide])
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    memo.forget()
    expected = shown(orm_about(guide))
    assert [a[2] for a in expected["ateliers"]] == ["Atelier du lundi", "Zoé et les e-mails"]
    assert len(expected["themes"]) == 3 and len(expected["competences"]) == 3
    with CaptureQueriesContext(connection) as queries:
        about = guide_about(guide=guide)
    assert len(queries) == 1
    assert shown(vars(about)) == expected
    assert shown(vars(guide_about(guide=other)))["competences"] == [
        (c.pk, c.code, c.name, c.can_do, str(c)) for c in other.competences.all()
    ]


def test_a_guide_without_anything_about_it():
    guide = GuidePageFactory(illustrated=False)
    about = guide_about(guide=guide)
    assert (about.competences, about.themes, about.audiences, about.ateliers) == ([], [], [], [])


def test_fields_the_page_does_not_show_are_deferred_not_wrong():
    guide = GuidePageFactory(illustrated=False, competences=[competence("S2.1")])
    atelier = AtelierPageFactory(related_guides=[guide])
    about = guide_about(guide=guide)
    # Read later from the database (one query each), never a default value.
    assert about.competences[0].framework == competence("S2.1").framework
    assert about.ateliers[0].summary == atelier.summary


def test_a_preview_shows_the_drafts_relations_not_the_live_ones():
    guide = GuidePageFactory(illustrated=False, competences=[competence("S2.1")])
    draft = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
    draft.competences = [competence("1.1")]  # held in memory, as in a preview
    draft.themes = [theme("e-mail")]
    about = guide_about(guide=draft)
    assert [c.code for c in about.competences] == ["1.1"]
    assert [str(t) for t in about.themes] == [str(theme("e-mail"))]
    live = GuidePage.objects.get(pk=guide.pk)
    assert [c.code for c in guide_about(guide=live).competences] == ["S2.1"]
