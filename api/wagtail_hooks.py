"""Registration only: the API keys screen lives in `api.admin_views`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learners.roles import is_coordinator


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register("register_admin_urls")
def register_api_keys_urls():
    from api.admin_views import urlpatterns

    return urlpatterns


@hooks.register("register_settings_menu_item")
def register_api_keys_menu_item():
    return CoordinatorMenuItem(
        _("Clés d'API"), reverse("api_keys"), name="api-keys", icon_name="key", order=900
    )
