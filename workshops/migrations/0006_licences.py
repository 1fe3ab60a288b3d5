"""Licences (issue 16): CC BY 4.0 among the choices, each picture of a guide step and each
atelier handout with its own author and licence, « tous droits réservés » confirmed in the
editor (a form rule, no column). Existing pages keep their licence; one with none or an
unknown one gets the default, the Licence Ouverte / Etalab 2.0.

Also, on SQLite only: the search index stores words stemmed from now on
(`common.search_backend`); the entries written before are stemmed in place, which gives
what `update_index` would, without loading every page. A no-op on PostgreSQL and on a new
database (no entries yet: pages created by migrations are not indexed).
"""

from django.db import migrations, models
from django.db.models import Avg, F
from django.db.models.functions import Length

import wagtail.fields

DEFAULT_LICENCE = "etalab-2.0"
LICENCES = ("etalab-2.0", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-sa-4.0", "tous-droits")


def pages_default_licence(apps, schema_editor):
    for name in ("GuidePage", "AtelierPage"):
        model = apps.get_model("workshops", name)
        model.objects.exclude(licence__in=LICENCES).update(licence=DEFAULT_LICENCE)


def sqlite_index_stem(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from common.french_stemming import french_text

    entries = apps.get_model("wagtailsearch", "IndexEntry").objects.all()
    for entry in entries.only("pk", "title", "body").iterator():
        entries.filter(pk=entry.pk).update(
            title=french_text(entry.title), body=french_text(entry.body)
        )
    # Titles are shorter once stemmed: Wagtail's length normalisation of titles, afresh.
    with_title = entries.annotate(length=Length("title")).filter(length__gt=0)
    average = with_title.aggregate(Avg("length"))["length__avg"]
    if average:
        with_title.update(title_norm=average / F("length"))



class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0005_partner_sections'),
        ('wagtailsearch', '0010_add_text_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='atelierhandout',
            name='credit',
            field=models.CharField(blank=True, help_text="Si le support vient d'ailleurs : qui l'a fait, ou d'où il vient.", max_length=200, verbose_name='auteur ou source'),
        ),
        migrations.AddField(
            model_name='atelierhandout',
            name='licence',
            field=models.CharField(blank=True, choices=[('etalab-2.0', 'Licence Ouverte / Etalab 2.0'), ('cc-by-4.0', 'CC BY 4.0'), ('cc-by-sa-4.0', 'CC BY-SA 4.0'), ('cc-by-nc-sa-4.0', 'CC BY-NC-SA 4.0'), ('tous-droits', 'Tous droits réservés')], help_text="À remplir seulement si elle diffère de celle de l'atelier.", max_length=30, verbose_name='licence du support'),
        ),
        migrations.AlterField(
            model_name='atelierpage',
            name='licence',
            field=models.CharField(choices=[('etalab-2.0', 'Licence Ouverte / Etalab 2.0'), ('cc-by-4.0', 'CC BY 4.0'), ('cc-by-sa-4.0', 'CC BY-SA 4.0'), ('cc-by-nc-sa-4.0', 'CC BY-NC-SA 4.0'), ('tous-droits', 'Tous droits réservés')], default='etalab-2.0', help_text="La Licence Ouverte / Etalab 2.0 permet à tous de réutiliser et d'adapter ce contenu en citant sa source : c'est le choix conseillé.", max_length=30, verbose_name='licence'),
        ),
        migrations.AlterField(
            model_name='guidepage',
            name='licence',
            field=models.CharField(choices=[('etalab-2.0', 'Licence Ouverte / Etalab 2.0'), ('cc-by-4.0', 'CC BY 4.0'), ('cc-by-sa-4.0', 'CC BY-SA 4.0'), ('cc-by-nc-sa-4.0', 'CC BY-NC-SA 4.0'), ('tous-droits', 'Tous droits réservés')], default='etalab-2.0', help_text="La Licence Ouverte / Etalab 2.0 permet à tous de réutiliser et d'adapter ce contenu en citant sa source : c'est le choix conseillé.", max_length=30, verbose_name='licence'),
        ),
        migrations.AlterField(
            model_name='guidepage',
            name='steps',
            field=wagtail.fields.StreamField([('step', 8)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': "titre de l'étape", 'max_length': 120}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'label': 'texte court'}), 2: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': "capture d'écran ou illustration", 'required': False}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': "Décrivez ce que montre l'image pour une personne qui ne la voit pas. Obligatoire dès qu'il y a une image.", 'label': "texte alternatif de l'image", 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': "Par exemple « Photo : Marie Durand » ou « Capture d'écran de ameli.fr ».", 'label': "auteur ou source de l'image", 'max_length': 200, 'required': False}), 5: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('etalab-2.0', 'Licence Ouverte / Etalab 2.0'), ('cc-by-4.0', 'CC BY 4.0'), ('cc-by-sa-4.0', 'CC BY-SA 4.0'), ('cc-by-nc-sa-4.0', 'CC BY-NC-SA 4.0'), ('tous-droits', 'Tous droits réservés')], 'help_text': 'À remplir seulement si elle diffère de celle de la fiche.', 'label': "licence de l'image", 'required': False}), 6: ('wagtail.blocks.TextBlock', (), {'label': 'astuce', 'required': False}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'attention', 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('title', 0), ('text', 1), ('image', 2), ('alt_text', 3), ('image_credit', 4), ('image_licence', 5), ('tip', 6), ('warning', 7)]], {})}, verbose_name='étapes'),
        ),
        migrations.RunPython(pages_default_licence, migrations.RunPython.noop),
        migrations.RunPython(sqlite_index_stem, migrations.RunPython.noop),
    ]
