"""Pages of the site layer (home app)."""

import datetime

from home.models import ContentPage

from .workshops import _PageFactory


class ContentPageFactory(_PageFactory):
    class Meta:
        model = ContentPage

    title = "Mentions légales"
    slug = "mentions-legales"
    intro = "Qui publie ce site et qui l'héberge."
    body = "<h2>Qui publie ce site ?</h2><p>Une structure de démonstration.</p>"
    last_updated = datetime.date(2026, 3, 1)
    show_in_footer = True
    footer_order = 10
