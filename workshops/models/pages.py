"""Wagtail pages: atelier curricula and step-by-step guides, each under its index."""

import math
import uuid
from collections.abc import Callable
from functools import partial

from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from common.wagtail_internals import page_set_parent
from workshops.blocks import GuideStepsBlock, SessionPlanBlock
from workshops.choices import Licence, WorkshopLevel
from workshops.models.page_form import ContentPageForm
from workshops.page_forms import CONFIRM_FIELD

# Slow readers: 130 words a minute, plus time to look at each picture.
WORDS_PER_MINUTE = 130
SECONDS_PER_IMAGE = 12

LICENCE_HELP = _(
    "La Licence Ouverte / Etalab 2.0 permet à tous de réutiliser et d'adapter ce contenu en "
    "citant sa source : c'est le choix conseillé."
)

# What each page adds to its template context is read above the models: the selectors and
# the index pages' filter forms import these models, so the models import neither (no
# import cycle, `.importlinter`). The app fills this at start-up (`WorkshopsConfig.ready`):
# "guide_index", "atelier_index" (filter form, listing, pagination) and "guide_detail",
# "atelier_detail" (the article's related reads).
PAGE_CONTEXTS: dict[str, Callable[..., object]] = {}


def _lazy_context(name: str, **kwargs) -> SimpleLazyObject:
    """Lazy: nothing is queried when the template serves the page from its render cache."""
    return SimpleLazyObject(partial(PAGE_CONTEXTS[name], **kwargs))


def _route_to_child(index: Page, child_models: tuple[type[Page], ...], request, path_components):
    """Wagtail's `Page.route`, but loads the child in one query as its specific type
    (tried in order: the index allows only these types; a guide, the common case, is
    tried first), instead of a query for the base page and another for the specific one."""
    if not path_components:
        return Page.route(index, request, path_components)
    for child_model in child_models:
        child = child_model.objects.child_of(index).filter(slug=path_components[0]).first()
        if child is not None:
            page_set_parent(child, index)
            return child.route(request, path_components[1:])
    raise Http404


class AtelierIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["workshops.AtelierPage", "workshops.AtelierSectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des ateliers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = _lazy_context("atelier_index", request=request, index=self)
        return context

    # Its `route` finds a child by its slug, as Wagtail's does (caching/routing.py).
    routes_by_url_path = True

    def route(self, request, path_components):
        return _route_to_child(self, (AtelierPage, AtelierSectionPage), request, path_components)


class GuideIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["workshops.GuidePage", "workshops.GuideSectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des fiches pratiques")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = _lazy_context("guide_index", request=request, index=self)
        return context

    # Its `route` finds a child by its slug, as Wagtail's does (caching/routing.py).
    routes_by_url_path = True

    def route(self, request, path_components):
        return _route_to_child(self, (GuidePage, GuideSectionPage), request, path_components)


class PartnerSection(Page):
    """A partner structure's own part of an index: its editors write there and nowhere
    else (Wagtail grants page permissions on a subtree, `workshops.services.editorial`).
    Its pages keep the index's review workflow and appear in the index's listing; the
    section itself lists only them, with the index's template."""

    intro = models.TextField(_("introduction"), blank=True)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("collection d'images et de documents"),
        help_text=_("Celle de la structure partenaire : ses éditeurs y rangent leurs images."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("collection")]
    routes_by_url_path = True

    class Meta:
        abstract = True


class GuideSectionPage(PartnerSection):
    parent_page_types = ["workshops.GuideIndexPage"]
    subpage_types = ["workshops.GuidePage"]
    template = "workshops/guide_index_page.html"

    class Meta:
        verbose_name = _("rubrique de fiches d'une structure partenaire")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = _lazy_context("guide_index", request=request, index=self)
        return context

    def route(self, request, path_components):
        return _route_to_child(self, (GuidePage,), request, path_components)


class AtelierSectionPage(PartnerSection):
    parent_page_types = ["workshops.AtelierIndexPage"]
    subpage_types = ["workshops.AtelierPage"]
    template = "workshops/atelier_index_page.html"

    class Meta:
        verbose_name = _("rubrique d'ateliers d'une structure partenaire")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = _lazy_context("atelier_index", request=request, index=self)
        return context

    def route(self, request, path_components):
        return _route_to_child(self, (AtelierPage,), request, path_components)


def one_empty_step() -> list[dict]:
    """A new guide's steps: one, empty, in the stored (JSON) form, with the id the editor's
    JavaScript needs and every field present (a missing one stops the block rendering)."""
    empty = {
        "title": "",
        "text": "",
        "image": None,
        "alt_text": "",
        "image_credit": "",
        "image_licence": "",
        "tip": "",
        "warning": "",
    }
    return [{"type": "step", "value": empty, "id": str(uuid.uuid4())}]


class GuidePage(Page):
    """A fiche pratique: read at home, one step at a time."""

    summary = models.TextField(
        _("en résumé"), max_length=400, help_text=_("Une ou deux phrases : à quoi sert la fiche.")
    )
    what_you_need = RichTextField(
        _("ce qu'il vous faut"), blank=True, features=["bold", "ul", "link"]
    )
    # A new guide starts with one empty step to fill in: with none, Wagtail's editor shows
    # « Le nombre minimum d'éléments est 1 » in red before anything is typed.
    steps = StreamField(GuideStepsBlock(), verbose_name=_("étapes"), default=one_empty_step)
    competences = ParentalManyToManyField(
        "workshops.Competence", blank=True, related_name="guides", verbose_name=_("compétences")
    )
    themes = ParentalManyToManyField(
        "workshops.Theme", blank=True, related_name="guides", verbose_name=_("thématiques")
    )
    audiences = ParentalManyToManyField(
        "workshops.Audience", blank=True, related_name="guides", verbose_name=_("publics")
    )
    difficulty = models.CharField(
        _("difficulté"),
        max_length=20,
        choices=WorkshopLevel.choices,
        default=WorkshopLevel.BEGINNER,
    )
    last_reviewed = models.DateField(_("dernière relecture"), null=True, blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=Licence.choices,
        default=Licence.ETALAB,
        help_text=LICENCE_HELP,
    )
    reading_time_minutes = models.PositiveSmallIntegerField(
        _("temps de lecture (minutes)"), default=1, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("what_you_need"),
        FieldPanel("steps"),
        MultiFieldPanel(
            [
                FieldPanel("competences"),
                FieldPanel("themes"),
                FieldPanel("audiences"),
                FieldPanel("difficulty"),
            ],
            heading=_("Classement"),
        ),
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("licence"), FieldPanel(CONFIRM_FIELD)],
            heading=_("Suivi"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("steps"),
        index.AutocompleteField("title"),
        index.FilterField("difficulty"),
    ]
    parent_page_types = ["workshops.GuideIndexPage", "workshops.GuideSectionPage"]
    subpage_types: list[str] = []
    base_form_class = ContentPageForm

    class Meta:
        verbose_name = _("fiche pratique")
        verbose_name_plural = _("fiches pratiques")

    def compute_reading_time(self) -> int:
        words = len(f"{self.title} {self.summary} {strip_tags(self.what_you_need)}".split())
        images = 0
        for block in self.steps:
            value = block.value
            for part in ("title", "tip", "warning"):
                words += len((value.get(part) or "").split())
            words += len(strip_tags(value["text"].source if value.get("text") else "").split())
            images += 1 if value.get("image") else 0
        seconds = words / WORDS_PER_MINUTE * 60 + images * SECONDS_PER_IMAGE
        return max(1, math.ceil(seconds / 60))

    def save(self, *args, **kwargs):
        self.reading_time_minutes = self.compute_reading_time()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["detail"] = _lazy_context("guide_detail", guide=self, request=request)
        return context


class AtelierPage(Page):
    """An atelier curriculum that counsellors reuse and adapt."""

    summary = models.TextField(_("en résumé"), max_length=400)
    audiences = ParentalManyToManyField(
        "workshops.Audience", blank=True, related_name="ateliers", verbose_name=_("publics")
    )
    level = models.CharField(
        _("niveau"), max_length=20, choices=WorkshopLevel.choices, default=WorkshopLevel.BEGINNER
    )
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    group_size_min = models.PositiveSmallIntegerField(_("participants minimum"), default=3)
    group_size_max = models.PositiveSmallIntegerField(_("participants maximum"), default=8)
    prerequisites = models.TextField(_("prérequis"), blank=True)
    objectives = RichTextField(_("objectifs"), blank=True, features=["ul", "bold"])
    competences = ParentalManyToManyField(
        "workshops.Competence",
        blank=True,
        related_name="ateliers",
        verbose_name=_("compétences travaillées"),
    )
    themes = ParentalManyToManyField(
        "workshops.Theme", blank=True, related_name="ateliers", verbose_name=_("thématiques")
    )
    equipment = models.TextField(_("matériel nécessaire"), blank=True)
    session_plan = StreamField(SessionPlanBlock(), blank=True, verbose_name=_("déroulé"))
    facilitator_notes = RichTextField(
        _("notes pour l'animateur"),
        blank=True,
        help_text=_("Visibles des conseillers uniquement, jamais sur le site public."),
    )
    related_guides = ParentalManyToManyField(
        "workshops.GuidePage", blank=True, related_name="ateliers", verbose_name=_("fiches liées")
    )
    licence = models.CharField(
        _("licence"),
        max_length=30,
        choices=Licence.choices,
        default=Licence.ETALAB,
        help_text=LICENCE_HELP,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("level"),
                FieldPanel("duration_minutes"),
                FieldPanel("group_size_min"),
                FieldPanel("group_size_max"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Pour qui, combien de temps"),
        ),
        FieldPanel("objectives"),
        FieldPanel("competences"),
        FieldPanel("themes"),
        FieldPanel("equipment"),
        FieldPanel("session_plan"),
        FieldPanel("facilitator_notes"),
        InlinePanel("handouts", label=_("supports à distribuer")),
        FieldPanel("related_guides"),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel(CONFIRM_FIELD)], heading=_("Licence")),
    ]
    # Facilitator notes are deliberately not indexed: search results are public.
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("session_plan"),
        index.AutocompleteField("title"),
        index.FilterField("level"),
    ]
    parent_page_types = ["workshops.AtelierIndexPage", "workshops.AtelierSectionPage"]
    subpage_types: list[str] = []
    base_form_class = ContentPageForm

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")

    @property
    def plan_total_minutes(self) -> int:
        return sum(block.value["duration_minutes"] for block in self.session_plan)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["detail"] = _lazy_context("atelier_detail", atelier=self)
        return context


class AtelierHandout(Orderable):
    page = ParentalKey(AtelierPage, on_delete=models.CASCADE, related_name="handouts")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    credit = models.CharField(
        _("auteur ou source"),
        max_length=200,
        blank=True,
        help_text=_("Si le support vient d'ailleurs : qui l'a fait, ou d'où il vient."),
    )
    licence = models.CharField(
        _("licence du support"),
        max_length=30,
        choices=Licence.choices,
        blank=True,
        help_text=_("À remplir seulement si elle diffère de celle de l'atelier."),
    )

    panels = [
        FieldPanel("document"),
        FieldPanel("label"),
        FieldPanel("credit"),
        FieldPanel("licence"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("support")
        verbose_name_plural = _("supports")
