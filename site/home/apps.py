from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et recherche"

    def ready(self) -> None:
        from home import admin_sidebar, pagecache

        pagecache.connect()
        admin_sidebar.install()
