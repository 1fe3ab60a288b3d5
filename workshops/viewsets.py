"""Wagtail admin viewsets: reference data (frameworks, domains, competences, levels,
themes, audiences) and the guide feedback report. `wagtail_hooks.py` only registers them.

Menus show only to users holding a permission on the model (coordinators); counsellors
and partner editors never see them.
"""

from django.db.models import Count
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from workshops.models import (
    AtelierPage,
    Audience,
    Competence,
    Domain,
    Framework,
    GuidePage,
    Level,
    Theme,
)
from workshops.views import admin as admin_views
from workshops.views import review

# --- Frameworks ----------------------------------------------------------------------

FRAMEWORKS = "frameworks"  # the framework viewset's name and URL namespace


def _framework_buttons(url_namespace: str, framework: Framework, user) -> list:
    buttons = []
    for kind, fmt, label in admin_views.export_link_labels():
        if user.has_perms(admin_views.EXPORT_PERMISSIONS[kind]):
            url = reverse(
                f"{url_namespace}:export", kwargs={"pk": framework.pk, "kind": kind, "fmt": fmt}
            )
            buttons.append(
                Button(_("Exporter : %(what)s") % {"what": label}, url=url, icon_name="download")
            )
    if admin_views.user_can_import_frameworks(user):
        buttons.append(
            Button(
                _("Importer un fichier"),
                url=reverse(f"{url_namespace}:import", args=[framework.pk]),
                icon_name="upload",
                priority=5,
            )
        )
    return buttons


class FrameworkIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Framework.objects.annotate(
            competence_count=Count("competences", distinct=True),
            level_count=Count("levels", distinct=True),
        )

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *_framework_buttons(FRAMEWORKS, instance, self.request.user),
        ]


class FrameworkEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if admin_views.user_can_import_frameworks(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Importer"),
                    url=reverse(f"{FRAMEWORKS}:import", args=[self.object.pk]),
                    icon_name="upload",
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            *_framework_buttons(FRAMEWORKS, self.object, self.request.user),
        ]


class FrameworkViewSet(ModelViewSet):
    model = Framework
    name = FRAMEWORKS
    icon = "list-ul"
    menu_label = gettext_lazy("Référentiels de compétences")
    form_fields = ["name", "slug", "description", "source"]
    list_display = [
        "name",
        "slug",
        Column("competence_count", label=gettext_lazy("Compétences")),
        Column("level_count", label=gettext_lazy("Niveaux")),
    ]
    search_fields = ["name", "slug"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = FrameworkIndexView
    edit_view_class = FrameworkEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/exporter/<str:kind>/<str:fmt>/",
                admin_views.framework_export_view,
                name="export",
            ),
            path(
                "<int:pk>/importer/",
                admin_views.FrameworkImportView.as_view(url_namespace=self.url_namespace),
                name="import",
            ),
        ]


class DomainIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Domain.objects.select_related("framework")


class DomainViewSet(ModelViewSet):
    model = Domain
    name = "domains"
    icon = "folder-open-1"
    menu_label = gettext_lazy("Domaines")
    form_fields = ["framework", "code", "name", "sort_order"]
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = DomainIndexView


class CompetenceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Competence.objects.select_related("framework", "domain")


class CompetenceViewSet(ModelViewSet):
    model = Competence
    name = "competences"
    icon = "tick-inverse"
    menu_label = gettext_lazy("Compétences")
    form_fields = ["framework", "domain", "code", "name", "description", "can_do", "sort_order"]
    list_display = ["code", "name", "domain", "framework"]
    list_filter = ["framework", "domain"]
    list_export = ["framework", "code", "name", "domain", "can_do"]
    search_fields = ["code", "name", "can_do"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = CompetenceIndexView
    list_per_page = 50


class LevelIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Level.objects.select_related("framework")


class LevelViewSet(ModelViewSet):
    model = Level
    name = "levels"
    icon = "order"
    menu_label = gettext_lazy("Niveaux")
    form_fields = ["framework", "rank", "name", "group", "description"]
    list_display = ["rank", "name", "group", "framework"]
    list_filter = ["framework"]
    search_fields = ["name", "group"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = LevelIndexView


class ReferenceDataViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Référentiels")
    menu_icon = "list-ul"
    menu_order = 300
    items = (FrameworkViewSet, DomainViewSet, CompetenceViewSet, LevelViewSet)


# --- Themes and audiences ------------------------------------------------------------


class ThemeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Theme.objects.select_related("parent")


class ThemeViewSet(ModelViewSet):
    model = Theme
    name = "themes"
    icon = "tag"
    menu_label = gettext_lazy("Thématiques")
    menu_order = 310
    add_to_admin_menu = True
    form_fields = ["name", "slug", "parent", "is_national", "sort_order"]
    list_display = ["name", "parent", "is_national", "sort_order"]
    list_filter = ["is_national", "parent"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = ThemeIndexView


class AudienceViewSet(ModelViewSet):
    model = Audience
    name = "audiences"
    icon = "group"
    menu_label = gettext_lazy("Publics")
    menu_order = 320
    add_to_admin_menu = True
    form_fields = ["name", "slug", "sort_order"]
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    search_backend_name = None
    copy_view_enabled = False


# --- Guide feedback report -----------------------------------------------------------


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_can_read_feedback(request.user)


class GuideFeedbackReportViewSet(ViewSet):
    """Reports › "Avis des lecteurs": counts per guide, then per version and step."""

    name = "guide_feedback_report"
    icon = "comment"
    menu_label = gettext_lazy("Avis des lecteurs")
    menu_hook = "register_reports_menu_item"
    menu_item_class = FeedbackMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.GuideFeedbackReportView.as_view(), name="index"),
            path(
                "resultats/",
                admin_views.GuideFeedbackReportView.as_view(results_only=True),
                name="results",
            ),
            path("<int:pk>/", admin_views.GuideFeedbackDetailView.as_view(), name="detail"),
        ]


def guide_feedback_header_buttons(page, user, view_name, next_url=None):
    """ "Avis des lecteurs" in the guide's header menu, for readers of the report."""
    if isinstance(page.specific_deferred, GuidePage) and admin_views.user_can_read_feedback(user):
        yield Button(
            _("Avis des lecteurs"),
            url=reverse("guide_feedback_report:detail", args=[page.pk]),
            icon_name="comment",
            priority=80,
        )


# --- Guides and ateliers: the review's confirmation messages --------------------------


class ReviewedPageViewSet(PageViewSet):
    """Wagtail's page views, with a confirmation after a reviewer's decision
    (`workshops.views.review`)."""

    edit_view_class = review.ReviewEditView
    workflow_action_view_class = review.ReviewWorkflowActionView


class GuidePageViewSet(ReviewedPageViewSet):
    model = GuidePage


class AtelierPageViewSet(ReviewedPageViewSet):
    model = AtelierPage
