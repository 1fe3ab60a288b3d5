"""StreamField blocks: guide steps and atelier session-plan steps."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from workshops.choices import Licence

SHORT_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class GuideStepBlock(blocks.StructBlock):
    """One step of a guide: one action, one screenshot, one explanation."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=120)
    text = blocks.RichTextBlock(label=_("texte court"), features=SHORT_TEXT_FEATURES)
    image = ImageChooserBlock(label=_("capture d'écran ou illustration"), required=False)
    alt_text = blocks.CharBlock(
        label=_("texte alternatif de l'image"),
        required=False,
        max_length=300,
        help_text=_(
            "Décrivez ce que montre l'image pour une personne qui ne la voit pas. "
            "Obligatoire dès qu'il y a une image."
        ),
    )
    image_credit = blocks.CharBlock(
        label=_("auteur ou source de l'image"),
        required=False,
        max_length=200,
        help_text=_("Par exemple « Photo : Marie Durand » ou « Capture d'écran de ameli.fr »."),
    )
    image_licence = blocks.ChoiceBlock(
        label=_("licence de l'image"),
        choices=Licence.choices,
        required=False,
        help_text=_("À remplir seulement si elle diffère de celle de la fiche."),
    )
    tip = blocks.TextBlock(label=_("astuce"), required=False)
    warning = blocks.TextBlock(label=_("attention"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [ValidationError(_("Le texte alternatif est obligatoire avec une image."))]
                    )
                }
            )
        return value

    class Meta:
        icon = "list-ol"
        template = "workshops/blocks/guide_step.html"
        label = _("Étape")
        description = _("Une action, avec sa capture d'écran et son texte alternatif")
        preview_value = {
            "title": "Ouvrez votre messagerie",
            "text": "<p>Touchez l'icône de l'enveloppe sur l'écran d'accueil.</p>",
            "alt_text": "",
            "tip": "L'icône est souvent rouge et blanche.",
        }


class GuideStepsBlock(blocks.StreamBlock):
    step = GuideStepBlock()

    class Meta:
        min_num = 1
        block_counts = {"step": {"min_num": 1}}


class PlanStepBlock(blocks.StructBlock):
    """A timed step of an atelier's session plan."""

    title = blocks.CharBlock(label=_("titre"), max_length=120)
    duration_minutes = blocks.IntegerBlock(label=_("durée (minutes)"), min_value=1, max_value=480)
    description = blocks.RichTextBlock(label=_("déroulé"), features=SHORT_TEXT_FEATURES)

    class Meta:
        icon = "time"
        template = "workshops/blocks/plan_step.html"
        label = _("Temps de la séance")
        description = _("Une étape minutée du déroulé")
        preview_value = {
            "title": "Tour de table",
            "duration_minutes": 10,
            "description": "<p>Chacun dit ce qu'il attend de l'atelier.</p>",
        }


class SessionPlanBlock(blocks.StreamBlock):
    step = PlanStepBlock()
