"""Factories for the publishing app: index pages, guides with illustrated steps (real PNG
images drawn with Pillow), ateliers with handouts, and lookups of the reference data
(themes, audiences, competences loaded by workshops migration 0002).

Pages are created the Wagtail way: `add_child` under their parent (the index page, created
on first use under the site's home page), then a revision, published unless
`publish=False`. Publishing sends `page_published`, like the admin does.

    guide = GuidePageFactory(step_count=8, themes=[theme("e-mail")])
    draft = GuidePageFactory(publish=False)
    atelier = AtelierPageFactory(handout_count=2, related_guides=[guide])
"""

from __future__ import annotations

import datetime
import io

import factory
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from modelcluster.fields import ParentalManyToManyField
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from workshops.choices import Licence, WorkshopLevel
from workshops.models import (
    AtelierHandout,
    AtelierIndexPage,
    AtelierPage,
    Audience,
    Competence,
    GuideIndexPage,
    GuidePage,
    Theme,
)

# Reference data ------------------------------------------------------------------------


def theme(slug: str) -> Theme:
    """A theme of the national list by slug, e.g. "e-mail", "securite-numerique",
    "demarches-papiers" (a sub-theme of "aide-aux-demarches-administratives")."""
    return Theme.objects.get(slug=slug)


def audience(slug: str) -> Audience:
    """An audience by slug: "seniors", "adultes", "jeunes", "parents"..."""
    return Audience.objects.get(slug=slug)


def competence(code: str, framework: str | None = None) -> Competence:
    """A competence by code: "2.1" (CRCN) or "S2.1" (socle); the codes do not collide."""
    queryset = Competence.objects.filter(code=code)
    if framework:
        queryset = queryset.filter(framework__slug=framework)
    return queryset.get()


# Images and documents ------------------------------------------------------------------


def png_bytes(
    width: int = 800,
    height: int = 500,
    color: tuple[int, int, int] = (0, 70, 111),
    label: str = "",
) -> bytes:
    """A real PNG: a coloured screen with a white frame and an optional label."""
    picture = PILImage.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(picture)
    margin = max(4, min(width, height) // 12)
    draw.rectangle(
        [margin, margin, width - margin, height - margin],
        outline=(255, 255, 255),
        width=max(2, margin // 4),
    )
    if label:
        draw.text((margin * 2, margin * 2), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


_COLOURS = [(0, 70, 111), (24, 117, 60), (179, 64, 0), (80, 40, 120), (30, 30, 30)]


class ImageFactory(factory.django.DjangoModelFactory):
    """A Wagtail image whose file is a real PNG (default 800×500)."""

    class Meta:
        model = get_image_model()

    class Params:
        width = 800
        height = 500
        color = factory.Iterator(_COLOURS)

    title = factory.Sequence(lambda n: f"Capture d'écran {n}")

    @factory.lazy_attribute
    def file(self):
        data = png_bytes(self.width, self.height, self.color, label=self.title)
        return ImageFile(io.BytesIO(data), name="capture.png")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document with a small real file (plain text by default)."""

    class Meta:
        model = get_document_model()

    class Params:
        extension = "txt"
        size = 2048

    title = factory.Sequence(lambda n: f"Support {n}")

    @factory.lazy_attribute
    def file(self):
        body = ("Pas à pas – support d'atelier.\n" * 200).encode()[: self.size]
        return ContentFile(body, name=f"support.{self.extension}")


# Pages ---------------------------------------------------------------------------------


def home_page() -> Page:
    return Site.objects.get(is_default_site=True).root_page


class _PageFactory(factory.django.DjangoModelFactory):
    """Creates pages with `parent.add_child`, then publishes a revision (`publish=True`)
    or saves a draft revision (`publish=False`). Many-to-many values (lists) are set on
    the unsaved page, which django-modelcluster allows."""

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls) -> Page:
        return home_page()

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        m2m_fields = [
            f.name for f in model_class._meta.get_fields() if isinstance(f, ParentalManyToManyField)
        ]
        m2m = {name: kwargs.pop(name) for name in m2m_fields if name in kwargs}
        page = model_class(*args, **kwargs)
        for name, values in m2m.items():
            setattr(page, name, list(values))
        page.live = publish
        (parent or cls.default_parent()).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class GuideIndexPageFactory(_PageFactory):
    class Meta:
        model = GuideIndexPage

    title = "Fiches pratiques"
    slug = "fiches"
    intro = "Des fiches illustrées pour faire pas à pas, chez vous, à votre rythme."


class AtelierIndexPageFactory(_PageFactory):
    class Meta:
        model = AtelierIndexPage

    title = "Ateliers"
    slug = "ateliers"
    intro = "Des ateliers gratuits, en petit groupe, avec un conseiller numérique."


def guide_index_page() -> GuideIndexPage:
    """The guide index (there is at most one), created on first use."""
    return GuideIndexPage.objects.first() or GuideIndexPageFactory()


def atelier_index_page() -> AtelierIndexPage:
    """The atelier index (there is at most one), created on first use."""
    return AtelierIndexPage.objects.first() or AtelierIndexPageFactory()


def guide_steps(
    count: int = 3,
    *,
    illustrated: bool = True,
    image_size: tuple[int, int] = (800, 500),
    tips: bool = True,
) -> list[tuple[str, dict]]:
    """`count` guide steps for a GuidePage's `steps`, each with its own real image (and alt
    text) when `illustrated`; odd steps have a tip, every third a warning when `tips`."""
    steps = []
    for n in range(1, count + 1):
        image = (
            ImageFactory(width=image_size[0], height=image_size[1], title=f"Étape {n}")
            if illustrated
            else None
        )
        steps.append(
            (
                "step",
                {
                    "title": f"Touchez le bouton numéro {n}",
                    "text": RichText(
                        f"<p>Sur l'écran, cherchez le bouton bleu numéro {n} et touchez-le "
                        "une seule fois avec le doigt.</p>"
                    ),
                    "image": image,
                    "alt_text": f"L'écran de l'étape {n}, le bouton bleu entouré." if image else "",
                    "tip": "Prenez votre temps : rien ne se passe si vous attendez."
                    if tips and n % 2
                    else "",
                    "warning": "Ne donnez jamais votre mot de passe par téléphone."
                    if tips and n % 3 == 0
                    else "",
                },
            )
        )
    return steps


class GuidePageFactory(_PageFactory):
    """A guide under the guide index. `step_count` illustrated steps (`illustrated=False`
    for steps without image); `steps=[...]` to give them explicitly."""

    class Meta:
        model = GuidePage

    class Params:
        step_count = 3
        illustrated = True

    title = factory.Sequence(lambda n: f"Envoyer un e-mail, méthode {n}")
    slug = factory.Sequence(lambda n: f"fiche-{n}")
    summary = "Écrire et envoyer un e-mail depuis votre téléphone, en quelques étapes."
    what_you_need = "<ul><li>Un téléphone ou un ordinateur</li><li>Votre adresse e-mail</li></ul>"
    difficulty = WorkshopLevel.BEGINNER
    licence = Licence.ETALAB
    last_reviewed = factory.LazyFunction(lambda: datetime.date(2026, 1, 15))
    steps = factory.LazyAttribute(lambda o: guide_steps(o.step_count, illustrated=o.illustrated))

    @classmethod
    def default_parent(cls) -> Page:
        return guide_index_page()


def session_plan(durations: tuple[int, ...] = (10, 50, 30)) -> list[tuple[str, dict]]:
    titles = ["Tour de table", "Démonstration puis pratique", "Questions et bilan", "Pause"]
    return [
        (
            "step",
            {
                "title": titles[i % len(titles)],
                "duration_minutes": minutes,
                "description": RichText("<p>Chacun essaie sur son appareil, à son rythme.</p>"),
            },
        )
        for i, minutes in enumerate(durations)
    ]


FACILITATOR_NOTES = "<p>NOTE-ANIMATEUR : prévoir deux téléphones de prêt chargés.</p>"


class AtelierPageFactory(_PageFactory):
    """An atelier under the atelier index, with a three-step session plan and
    `handout_count` documents (0 by default). Its facilitator notes contain the marker
    `FACILITATOR_NOTES` so tests can check they never leak."""

    class Meta:
        model = AtelierPage

    class Params:
        handout_count = 0

    title = factory.Sequence(lambda n: f"Atelier e-mail, groupe {n}")
    slug = factory.Sequence(lambda n: f"atelier-{n}")
    summary = "Créer son adresse e-mail et envoyer son premier message, en petit groupe."
    level = WorkshopLevel.BEGINNER
    duration_minutes = 90
    group_size_min = 3
    group_size_max = 8
    prerequisites = "Savoir allumer un téléphone."
    objectives = "<ul><li>Créer une adresse e-mail</li><li>Envoyer un message</li></ul>"
    equipment = "Un téléphone ou une tablette par personne, le Wi-Fi de la salle."
    session_plan = factory.LazyFunction(session_plan)
    facilitator_notes = FACILITATOR_NOTES
    licence = Licence.CC_BY_SA

    @factory.lazy_attribute
    def handouts(self):
        return [
            AtelierHandout(document=DocumentFactory(), label=f"Aide-mémoire {n}")
            for n in range(1, self.handout_count + 1)
        ]

    @classmethod
    def default_parent(cls) -> Page:
        return atelier_index_page()
