"""Site-level demo content: the home page's text and the demo administrator."""

from django.contrib.auth import get_user_model

from demo import legal
from demo.accounts import DEMO_PASSWORD
from home.models import HomePage

HOME_INTRO = (
    "Des fiches pratiques illustrées pour faire pas à pas ce qui vous bloque sur un "
    "ordinateur ou un téléphone, et des ateliers gratuits près de chez vous avec un "
    "conseiller ou une conseillère numérique."
)
HOME_BODY = (
    "<h2>Comment ça marche ?</h2>"
    "<ol><li>Cherchez ce que vous voulez faire : « impôts », « mot de passe oublié », "
    "« visio ».</li><li>Suivez la fiche une étape à la fois, avec l'image de ce que vous "
    "devez voir à l'écran.</li><li>Bloqué ? Venez à une permanence : on vous aide, "
    "gratuitement.</li></ol>"
)


def load() -> list[tuple[str, str, str]]:
    """Idempotent. Returns the demo logins as (role, username, password)."""
    home = HomePage.objects.first()
    if home is not None and not home.intro:
        home.intro = HOME_INTRO
        home.body = HOME_BODY
        home.save_revision().publish()
    legal.load()

    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin",
        defaults={"first_name": "Admin", "email": "admin@example.org", "is_staff": True},
    )
    if created:
        admin.is_superuser = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return [("Administrateur (tous les droits)", "admin", DEMO_PASSWORD)]
