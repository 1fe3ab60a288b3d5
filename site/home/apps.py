from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et recherche"

    def ready(self) -> None:
        from caching import invalidation, sidebar
        from common import french_plurals
        from workshops.models import Audience, Competence, Framework, Theme

        french_plurals.connect()  # « 0 inscrit », not gettext's English « 0 inscrits »

        # Pages show themes, audiences and competences with their framework's name: their
        # changes are publications.
        invalidation.publication_connect(content_models=(Theme, Audience, Competence, Framework))
        sidebar.install(vary_on=_sidebar_roles)


def _sidebar_roles(user) -> tuple:
    """What decides a user's admin menu besides who they are: their groups and, for a
    counsellor, whether they manage their structure (read once per request anyway)."""
    from learners.roles import user_roles

    roles = user_roles(user)
    counsellor = roles.counsellor
    return (roles.groups, counsellor and (counsellor.pk, counsellor.is_structure_manager))
