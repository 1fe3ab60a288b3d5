from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


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


class ContentPage(Page):
    """A plain page of text under the home page: the legal pages every French public site
    publishes (mentions légales, déclaration d'accessibilité, politique de confidentialité)
    or any other page a coordinator needs. Those marked "show in footer" are linked from
    the footer of every page, in `footer_order` (home/templatetags/site_tags.py)."""

    intro = models.TextField(
        _("en bref"),
        blank=True,
        help_text=_("Une ou deux phrases simples : ce que la personne trouvera sur cette page."),
    )
    body = RichTextField(
        _("texte"),
        features=["h2", "h3", "bold", "italic", "link", "document-link", "ul", "ol"],
        help_text=_("Des titres courts, des phrases courtes, des listes plutôt que des tableaux."),
    )
    last_updated = models.DateField(
        _("mise à jour le"),
        null=True,
        blank=True,
        help_text=_(
            "Date affichée en bas de la page. Laissée vide, c'est la date de la dernière "
            "publication."
        ),
    )
    show_in_footer = models.BooleanField(
        _("lien dans le pied de page"),
        default=False,
        help_text=_("Affiche un lien vers cette page en bas de toutes les pages du site."),
    )
    footer_order = models.PositiveSmallIntegerField(
        _("position dans le pied de page"),
        default=0,
        help_text=_("Les liens sont rangés du plus petit nombre au plus grand."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("show_in_footer"), FieldPanel("footer_order")],
            heading=_("Pied de page"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("show_in_footer"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/content_page.html"

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    @property
    def updated_on(self):
        """The date shown as "mise à jour le": the one entered, else the last publication."""
        if self.last_updated:
            return self.last_updated
        published = self.last_published_at or self.latest_revision_created_at
        return timezone.localdate(published) if published else None
