"""Venues carry every field of the national standard « Lieux de médiation numérique » v1.0.2.

`services` becomes the standard's list (the free-text lines move to `other_services`, and
those that name a national service are mapped onto it); `publics` and `accessibility` are
mapped onto `audiences` and `specific_support` where a value matches; `email` becomes the
list `emails`; phones are rewritten in the standard's international form where they
parse; the typology starts from the structure's kind. What matches nothing stays readable
in the free-text fields (`learners.national.lieux_legacy`).
"""

import django.core.validators
from django.db import migrations, models

import learners.models.fields
from learners.contacts import phone_e164_or_empty
from learners.national import lieux_legacy

_SCHEMA_PHONE = django.core.validators.RegexValidator(
    "^(\\+33|\\+590|\\+594|\\+262|\\+596|\\+269|\\+687|\\+689|\\+508|\\+681)(\\d){6,9}$"
)


def _phone(raw):
    e164 = phone_e164_or_empty(raw)
    try:
        _SCHEMA_PHONE(e164)
    except django.core.validators.ValidationError:
        return raw
    return e164


def to_standard(apps, schema_editor):
    Venue = apps.get_model("learners", "Venue")
    for venue in Venue.objects.select_related("structure").iterator(chunk_size=500):
        venue.services, venue.other_services = lieux_legacy.map_services(venue.other_services)
        venue.audiences, venue.publics = lieux_legacy.map_publics(venue.publics)
        venue.specific_support = lieux_legacy.map_specific_support(venue.accessibility)
        venue.emails = [venue.email.strip().lower()] if venue.email.strip() else []
        if venue.phone:
            venue.phone = _phone(venue.phone)
        kind = lieux_legacy.STRUCTURE_KIND_TYPOLOGY.get(venue.structure.kind)
        venue.typology = [kind] if kind else []
        venue.save(
            update_fields=[
                "services",
                "other_services",
                "audiences",
                "publics",
                "specific_support",
                "emails",
                "phone",
                "typology",
            ]
        )


def from_standard(apps, schema_editor):
    Venue = apps.get_model("learners", "Venue")
    for venue in Venue.objects.iterator(chunk_size=500):
        venue.other_services = "\n".join(
            [*venue.services, *filter(None, venue.other_services.splitlines())]
        )
        venue.publics = ", ".join(filter(None, [*venue.audiences, venue.publics]))[:300]
        venue.email = venue.emails[0] if venue.emails else ""
        venue.save(update_fields=["other_services", "publics", "email"])


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0012_session_change_claims"),
    ]

    operations = [
        # The free-text services keep their text under their new name.
        migrations.RenameField(model_name="venue", old_name="services", new_name="other_services"),
        migrations.AlterField(
            model_name="venue",
            name="other_services",
            field=models.TextField(
                blank=True,
                help_text="Ceux que la liste nationale ne nomme pas, un par ligne.",
                verbose_name="autres services",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="services",
            field=learners.models.fields.VocabularyListField(
                verbose_name="services", vocabulary="SERVICES"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="acceslibre_url",
            field=models.URLField(
                blank=True,
                help_text="L'adresse de la fiche du lieu sur acceslibre.beta.gouv.fr.",
                max_length=500,
                verbose_name="fiche Acceslibre",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="access_modes",
            field=learners.models.fields.VocabularyListField(
                verbose_name="modalités d'accès", vocabulary="ACCESS_MODES"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="address_complement",
            field=models.CharField(
                blank=True,
                help_text="Bâtiment, étage, nom du lieu voisin…",
                max_length=300,
                verbose_name="complément d'adresse",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="audiences",
            field=learners.models.fields.VocabularyListField(
                verbose_name="publics spécifiquement adressés", vocabulary="AUDIENCES"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="booking_url",
            field=models.URLField(
                blank=True,
                help_text="L'adresse d'un service de rendez-vous en ligne, s'il y en a un.",
                max_length=500,
                verbose_name="prise de rendez-vous en ligne",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="description",
            field=models.TextField(blank=True, verbose_name="présentation détaillée"),
        ),
        migrations.AddField(
            model_name="venue",
            name="emails",
            field=learners.models.fields.EmailListField(
                help_text="Une adresse par ligne ; la première reçoit les réponses aux messages.",
                verbose_name="courriels",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="fees",
            field=learners.models.fields.VocabularyListField(
                verbose_name="frais à charge", vocabulary="FEES"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="mobility",
            field=learners.models.fields.VocabularyListField(
                help_text="« Itinérant » pour un bus ou des permanences tournantes.",
                verbose_name="itinérance",
                vocabulary="MOBILITY",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="national_programmes",
            field=learners.models.fields.VocabularyListField(
                verbose_name="dispositifs et programmes nationaux",
                vocabulary="NATIONAL_PROGRAMMES",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="other_training_labels",
            field=models.CharField(
                blank=True, max_length=500, verbose_name="autres formations et labels"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="parent_organisation",
            field=models.CharField(
                blank=True,
                help_text="Le réseau ou l'organisme dont le lieu dépend, par exemple la commune.",
                max_length=200,
                verbose_name="structure parente",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="pivot",
            field=models.CharField(
                blank=True,
                help_text="Laissé vide, le SIRET de la structure est publié.",
                max_length=14,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[a-zA-Z0-9]{9,14}$",
                        "Un SIRET (14 chiffres) ou un RNA (W suivi de 9 chiffres), sans espace.",
                    )
                ],
                verbose_name="SIRET ou RNA du lieu",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="specific_support",
            field=learners.models.fields.VocabularyListField(
                verbose_name="prise en charge spécifique", vocabulary="SPECIFIC_SUPPORT"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="summary",
            field=models.CharField(
                blank=True,
                help_text="280 caractères au plus : ce que le lieu propose, en une ou deux phrases.",
                max_length=280,
                verbose_name="présentation courte",
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="support_modes",
            field=learners.models.fields.VocabularyListField(
                verbose_name="modalités d'accompagnement", vocabulary="SUPPORT_MODES"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="training_labels",
            field=learners.models.fields.VocabularyListField(
                verbose_name="formations et labels", vocabulary="TRAINING_LABELS"
            ),
        ),
        migrations.AddField(
            model_name="venue",
            name="typology",
            field=learners.models.fields.VocabularyListField(
                verbose_name="typologie", vocabulary="TYPOLOGY"
            ),
        ),
        migrations.RunPython(to_standard, from_standard),
        migrations.RemoveField(model_name="venue", name="email"),
        migrations.AlterField(
            model_name="venue",
            name="access_details",
            field=models.TextField(
                blank=True, help_text="Bus, parking, entrée, étage.", verbose_name="comment venir"
            ),
        ),
        migrations.AlterField(
            model_name="venue",
            name="accessibility",
            field=models.TextField(
                blank=True,
                help_text="Accès en fauteuil, boucle magnétique, aide pour lire…",
                verbose_name="accessibilité",
            ),
        ),
        migrations.AlterField(
            model_name="venue",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=30,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(\\+33|\\+590|\\+594|\\+262|\\+596|\\+269|\\+687|\\+689|\\+508|\\+681)(\\d){6,9}$",
                        "Un numéro français au format international, par exemple +33123456789.",
                    )
                ],
                verbose_name="téléphone",
            ),
        ),
        migrations.AlterField(
            model_name="venue",
            name="publics",
            field=models.CharField(
                blank=True,
                help_text="Ceux que la liste nationale ne nomme pas.",
                max_length=300,
                verbose_name="autres publics",
            ),
        ),
    ]
