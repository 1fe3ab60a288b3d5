"""Factories for the editorial tests (pages under their index, users in role groups).

Plain functions rather than factory_boy classes: Wagtail pages must be created through
`add_child` on their parent, and users need the groups created by `editorial_setup`.
"""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from workshops.models import (
    AtelierIndexPage,
    AtelierPage,
    Competence,
    GuideIndexPage,
    GuidePage,
)

_counter = itertools.count(1)


def home_page() -> Page:
    return Site.objects.get(is_default_site=True).root_page


def guide_index() -> GuideIndexPage:
    index = GuideIndexPage.objects.first()
    if index is None:
        index = GuideIndexPage(title="Fiches pratiques", slug="fiches")
        home_page().add_child(instance=index)
        index.save_revision().publish()
    return index


def atelier_index() -> AtelierIndexPage:
    index = AtelierIndexPage.objects.first()
    if index is None:
        index = AtelierIndexPage(title="Ateliers", slug="ateliers")
        home_page().add_child(instance=index)
        index.save_revision().publish()
    return index


def guide_steps(count: int) -> list:
    return [
        (
            "step",
            {
                "title": f"Étape numéro {n}",
                "text": RichText(f"<p>Faites l'action {n}.</p>"),
                "image": None,
                "alt_text": "",
                "tip": "",
                "warning": "",
            },
        )
        for n in range(1, count + 1)
    ]


def guide_create(*, title: str | None = None, steps: int = 3, publish: bool = True) -> GuidePage:
    n = next(_counter)
    guide = GuidePage(
        title=title or f"Fiche de test {n}",
        slug=f"fiche-de-test-{n}",
        summary="Une fiche pour les tests.",
        steps=guide_steps(steps),
        live=publish,
    )
    guide_index().add_child(instance=guide)
    revision = guide.save_revision()
    if publish:
        revision.publish()
        guide.refresh_from_db()
    return guide


def atelier_create(*, title: str | None = None, competences=(), publish: bool = True):
    n = next(_counter)
    atelier = AtelierPage(
        title=title or f"Atelier de test {n}",
        slug=f"atelier-de-test-{n}",
        summary="Un atelier pour les tests.",
        live=publish,
        session_plan=[
            (
                "step",
                {
                    "title": "Tour de table",
                    "duration_minutes": 10,
                    "description": RichText("<p>Chacun se présente.</p>"),
                },
            ),
            (
                "step",
                {
                    "title": "Pratique",
                    "duration_minutes": 60,
                    "description": RichText("<p>On essaie ensemble.</p>"),
                },
            ),
        ],
    )
    atelier.competences = list(competences) or list(Competence.objects.all()[:2])
    atelier_index().add_child(instance=atelier)
    revision = atelier.save_revision()
    if publish:
        revision.publish()
        atelier.refresh_from_db()
    return atelier


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Camille"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()
