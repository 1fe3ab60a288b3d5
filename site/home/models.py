from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's root: says in plain French what the site is for and where to go."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Une ou deux phrases simples qui disent à quoi sert le site."),
    )
    body = RichTextField(_("texte"), blank=True, features=["h2", "h3", "bold", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")
