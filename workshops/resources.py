"""django-import-export resources for competence frameworks: columns only.

One row per competence (with its domain) or per level, French column headers, natural keys
(framework slug + competence code, framework slug + level rank). Parsing, validation, domain
upserts and the transaction live in `workshops.services.frameworks`.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, IntegerWidget

from workshops.models import Competence, Domain, Framework, Level

FRAMEWORK = "Référentiel"
DOMAIN_CODE = "Code domaine"
DOMAIN_NAME = "Domaine"
COMPETENCE_CODE = "Code compétence"
COMPETENCE_NAME = "Compétence"
CAN_DO = "Je sais faire"
RANK = "Rang"
LEVEL_NAME = "Niveau"
LEVEL_GROUP = "Palier"

COMPETENCE_COLUMNS = (FRAMEWORK, DOMAIN_CODE, DOMAIN_NAME, COMPETENCE_CODE, COMPETENCE_NAME, CAN_DO)
LEVEL_COLUMNS = (FRAMEWORK, RANK, LEVEL_NAME, LEVEL_GROUP)


class DomainOfRowFrameworkWidget(ForeignKeyWidget):
    """A domain code is unique within its framework only: look it up there."""

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(framework__slug=row.get(FRAMEWORK))


class CompetenceResource(resources.ModelResource):
    framework = fields.Field(
        attribute="framework",
        column_name=FRAMEWORK,
        widget=ForeignKeyWidget(Framework, field="slug"),
    )
    domain = fields.Field(
        attribute="domain",
        column_name=DOMAIN_CODE,
        widget=DomainOfRowFrameworkWidget(Domain, field="code"),
    )
    # Export only: the service creates or renames domains before competences are imported.
    domain_name = fields.Field(attribute="domain__name", column_name=DOMAIN_NAME, readonly=True)
    code = fields.Field(attribute="code", column_name=COMPETENCE_CODE)
    name = fields.Field(attribute="name", column_name=COMPETENCE_NAME)
    can_do = fields.Field(attribute="can_do", column_name=CAN_DO)

    class Meta:
        model = Competence
        fields = ("framework", "domain", "domain_name", "code", "name", "can_do")
        export_order = fields
        import_id_fields = ("framework", "code")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return Competence.objects.select_related("framework", "domain").order_by(
            "domain__sort_order", "sort_order", "code"
        )

    def before_save_instance(self, instance, row, **kwargs):
        # New competences go after the existing ones of their domain.
        if instance.pk is None and not instance.sort_order:
            last = (
                Competence.objects.filter(domain=instance.domain)
                .order_by("-sort_order")
                .values_list("sort_order", flat=True)
                .first()
            )
            instance.sort_order = (
                last + 1 if last is not None else instance.domain.sort_order * 100 + 1
            )


class LevelResource(resources.ModelResource):
    framework = fields.Field(
        attribute="framework",
        column_name=FRAMEWORK,
        widget=ForeignKeyWidget(Framework, field="slug"),
    )
    rank = fields.Field(attribute="rank", column_name=RANK, widget=IntegerWidget())
    name = fields.Field(attribute="name", column_name=LEVEL_NAME)
    group = fields.Field(attribute="group", column_name=LEVEL_GROUP)

    class Meta:
        model = Level
        fields = ("framework", "rank", "name", "group")
        export_order = fields
        import_id_fields = ("framework", "rank")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return Level.objects.select_related("framework").order_by("rank")
