"""Partner sections: a structure's own part of the guide and atelier indexes (its editors
write there, `workshops.services.editorial`); a new guide starts with one empty step; the
root collection gets a French name (Wagtail calls it « Root », shown in the image chooser)."""

import django.db.models.deletion
import wagtail.fields
import workshops.models.pages
from django.conf import settings
from django.db import migrations, models


ROOT_NAME = "Root"
ROOT_FRENCH_NAME = "Collection commune"


def root_collection_rename(apps, schema_editor):
    collection_model = apps.get_model("wagtailcore", "Collection")
    collection_model.objects.filter(depth=1, name=ROOT_NAME).update(name=ROOT_FRENCH_NAME)


def root_collection_unrename(apps, schema_editor):
    collection_model = apps.get_model("wagtailcore", "Collection")
    collection_model.objects.filter(depth=1, name=ROOT_FRENCH_NAME).update(name=ROOT_NAME)


class Migration(migrations.Migration):

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        ('workshops', '0004_coop_theme_labels'),
    ]

    operations = [
        migrations.AlterField(
            model_name='guidepage',
            name='steps',
            field=wagtail.fields.StreamField([('step', 6)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': "titre de l'étape", 'max_length': 120}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'label': 'texte court'}), 2: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': "capture d'écran ou illustration", 'required': False}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': "Décrivez ce que montre l'image pour une personne qui ne la voit pas. Obligatoire dès qu'il y a une image.", 'label': "texte alternatif de l'image", 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.TextBlock', (), {'label': 'astuce', 'required': False}), 5: ('wagtail.blocks.TextBlock', (), {'label': 'attention', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('title', 0), ('text', 1), ('image', 2), ('alt_text', 3), ('tip', 4), ('warning', 5)]], {})}, default=workshops.models.pages.one_empty_step, verbose_name='étapes'),
        ),
        migrations.CreateModel(
            name='AtelierSectionPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', models.TextField(blank=True, verbose_name='introduction')),
                ('collection', models.ForeignKey(blank=True, help_text='Celle de la structure partenaire : ses éditeurs y rangent leurs images.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.collection', verbose_name="collection d'images et de documents")),
            ],
            options={
                'verbose_name': "rubrique d'ateliers d'une structure partenaire",
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='GuideSectionPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', models.TextField(blank=True, verbose_name='introduction')),
                ('collection', models.ForeignKey(blank=True, help_text='Celle de la structure partenaire : ses éditeurs y rangent leurs images.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.collection', verbose_name="collection d'images et de documents")),
            ],
            options={
                'verbose_name': "rubrique de fiches d'une structure partenaire",
            },
            bases=('wagtailcore.page',),
        ),
        migrations.RunPython(root_collection_rename, root_collection_unrename),
    ]
