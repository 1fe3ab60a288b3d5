"""django-import-export resources of the tracking app: columns only.

Each resource maps French column headers to model attributes; the export services
(`learners.services.exports`) call `export(queryset, force_native_type=True)` so numbers
stay numbers and dates stay dates, and the import services (`learners.imports`) read the
same headers (plus a few French synonyms), so export → edit in a spreadsheet → re-import
works. Choice fields are exported with their French label; the importer accepts the label
or the code. Scoping, parsing, validation and writing are never done here.

Natural keys (used by the importer, not by `import_data`): "Identifiant réseau" (a person's
network id), "Identifiant externe"/"Identifiant personne" (a person's id in the structure's
own spreadsheet), "Identifiant séance", "Identifiant lieu", "Code INSEE".
"""

from __future__ import annotations

import functools

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from import_export import fields, resources
from import_export.widgets import DateWidget, IntegerWidget

from learners.models import Attendance, Learner, Observation, Session, Venue
from learners.national import lieux

# People
NETWORK_ID = "Identifiant réseau"
EXTERNAL_ID = "Identifiant externe"
PERSON_ID = "Identifiant personne"
FIRST_NAME = "Prénom"
LAST_NAME = "Nom"
BIRTH_YEAR = "Année de naissance"
INSEE = "Code INSEE"
COMMUNE = "Commune"
GENDER = "Genre"
SOCIAL_STATUS = "Statut"
PHONE = "Téléphone"
EMAIL = "Courriel"
CONSENT = "Accord pour être contactée"
LEGAL_BASIS = "Base légale"
INFORMED_ON = "Informée le"
NOTES = "Remarques"
STRUCTURE = "Structure"
LAST_ATTENDED = "Dernière présence"

# Sessions
SESSION_ID = "Identifiant séance"
DATE = "Date"
TIME = "Heure"
KIND = "Type de séance"
TITLE = "Intitulé"
DURATION = "Durée (minutes)"
PLACE_TYPE = "Type de lieu"
VENUE_ID = "Identifiant lieu"
VENUE = "Lieu"
VENUE_INSEE = "Code INSEE du lieu"
THEMES = "Thématiques"
LEVEL = "Niveau"
CAPACITY = "Places"
COUNSELLORS = "Conseillers"
SEATS_TAKEN = "Inscrits"
PRESENT_COUNT = "Présents"

# Attendance
STATUS = "Présence"
EQUIPMENT = "Matériel"
AUTONOMY = "Autonomie"
REFERRAL = "Orientation"

# Venues
NAME = "Nom"
ADDRESS = "Adresse"
POSTAL_CODE = "Code postal"
LATITUDE = "Latitude"
LONGITUDE = "Longitude"
OPENING_HOURS = "Horaires"
SERVICES = "Services"
PUBLICS = "Publics"
ACCESSIBILITY = "Accessibilité"
WEBSITE = "Site web"
ACTIVE = "En activité"

# Observations
PERSON = "Personne"
FRAMEWORK = "Référentiel"
COMPETENCE_CODE = "Code compétence"
COMPETENCE = "Compétence"
RANK = "Rang"
SOURCE = "Source"
SESSION_DATE = "Date de la séance"
SESSION_TITLE = "Séance"

THEME_SEPARATOR = "; "


@functools.cache
def _choice_labels(model, field: str, language: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _label(instance, field: str) -> str:
    """The French label of a choice field's value. `get_FOO_display()` hashes every lazy
    label of the field on each call (a translation each): a third of a large export's
    time. The labels are read once per process and language instead."""
    value = getattr(instance, field)
    if not value:
        return ""
    return _choice_labels(type(instance), field, get_language()).get(value, str(value))


class ExportModelResource(resources.ModelResource):
    """A model resource whose export reads the queryset in one pass, prefetching per chunk
    (Django's `iterator(chunk_size=…)`). django-import-export paginates a queryset that
    has prefetches, one OFFSET query per 100 rows: quadratic on a large export (minutes
    for the 300,000 attendance records of a large structure)."""

    EXPORT_CHUNK_SIZE = 2000

    def iter_queryset(self, queryset):
        if isinstance(queryset, QuerySet):
            yield from queryset.iterator(chunk_size=self.EXPORT_CHUNK_SIZE)
        else:
            yield from queryset


def _local_date(value):
    return timezone.localdate(value) if value else None


def _local_time(value):
    return timezone.localtime(value).time().replace(second=0, microsecond=0) if value else None


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _theme_names(session: Session) -> str:
    return THEME_SEPARATOR.join(theme.name for theme in session.themes.all())


class LearnerResource(ExportModelResource):
    network_id = fields.Field(attribute="network_id", column_name=NETWORK_ID)
    external_id = fields.Field(attribute="external_id", column_name=EXTERNAL_ID)
    first_name = fields.Field(attribute="first_name", column_name=FIRST_NAME)
    last_name = fields.Field(attribute="last_name", column_name=LAST_NAME)
    birth_year = fields.Field(
        attribute="birth_year", column_name=BIRTH_YEAR, widget=IntegerWidget()
    )
    commune = fields.Field(attribute="commune_id", column_name=INSEE)
    commune_name = fields.Field(attribute="commune__name", column_name=COMMUNE)
    gender = fields.Field(attribute="gender", column_name=GENDER)
    social_status = fields.Field(attribute="social_status", column_name=SOCIAL_STATUS)
    phone = fields.Field(attribute="phone", column_name=PHONE)
    email = fields.Field(attribute="email", column_name=EMAIL)
    contact_consent = fields.Field(attribute="contact_consent", column_name=CONSENT)
    legal_basis = fields.Field(attribute="legal_basis", column_name=LEGAL_BASIS)
    information_given_at = fields.Field(
        attribute="information_given_at", column_name=INFORMED_ON, widget=DateWidget()
    )
    notes = fields.Field(attribute="notes", column_name=NOTES)
    structure = fields.Field(attribute="structure__name", column_name=STRUCTURE)
    last_attended_on = fields.Field(
        attribute="last_attended_on", column_name=LAST_ATTENDED, widget=DateWidget(), readonly=True
    )

    class Meta:
        model = Learner
        fields = (
            "network_id",
            "external_id",
            "first_name",
            "last_name",
            "birth_year",
            "commune",
            "commune_name",
            "gender",
            "social_status",
            "phone",
            "email",
            "contact_consent",
            "legal_basis",
            "information_given_at",
            "notes",
            "structure",
            "last_attended_on",
        )
        export_order = fields

    def dehydrate_gender(self, learner):
        return _label(learner, "gender")

    def dehydrate_social_status(self, learner):
        return _label(learner, "social_status")

    def dehydrate_legal_basis(self, learner):
        return _label(learner, "legal_basis")

    def dehydrate_contact_consent(self, learner):
        if not getattr(learner, "held", True):
            return ""
        return _yes_no(learner.contact_consent)

    # Held by the structure that recorded them, or given with the person's consent
    # (`people_for_export` annotates `held`): empty for another structure.
    def _held(self, learner, field: str):
        return getattr(learner, field) if getattr(learner, "held", True) else ""

    def dehydrate_phone(self, learner):
        return self._held(learner, "phone")

    def dehydrate_email(self, learner):
        return self._held(learner, "email")

    def dehydrate_notes(self, learner):
        return self._held(learner, "notes")

    def dehydrate_external_id(self, learner):
        return self._held(learner, "external_id")

    def dehydrate_last_attended_on(self, learner):
        # The user's own view of it when `people_for_export` annotated one.
        return getattr(learner, "seen_on", learner.last_attended_on)

    def dehydrate_structure(self, learner):
        return learner.structure.name if getattr(learner, "held", True) else ""


class SessionResource(ExportModelResource):
    """One row per session. The same session columns open the attendance file."""

    external_id = fields.Field(attribute="external_id", column_name=SESSION_ID)
    date = fields.Field(attribute="start", column_name=DATE)
    time = fields.Field(attribute="start", column_name=TIME)
    kind = fields.Field(attribute="kind", column_name=KIND)
    title = fields.Field(attribute="title", column_name=TITLE)
    duration_minutes = fields.Field(
        attribute="duration_minutes", column_name=DURATION, widget=IntegerWidget()
    )
    place_type = fields.Field(attribute="place_type", column_name=PLACE_TYPE)
    venue_id = fields.Field(attribute="venue__external_id", column_name=VENUE_ID)
    venue = fields.Field(attribute="venue__name", column_name=VENUE)
    venue_insee = fields.Field(attribute="venue__commune_id", column_name=VENUE_INSEE)
    themes = fields.Field(attribute="themes", column_name=THEMES)
    level = fields.Field(attribute="level", column_name=LEVEL)
    capacity = fields.Field(attribute="capacity", column_name=CAPACITY, widget=IntegerWidget())
    structure = fields.Field(attribute="structure__name", column_name=STRUCTURE)
    counsellors = fields.Field(attribute="counsellors", column_name=COUNSELLORS, readonly=True)
    seats_taken = fields.Field(
        attribute="seats_taken", column_name=SEATS_TAKEN, widget=IntegerWidget(), readonly=True
    )
    present_count = fields.Field(
        attribute="present_count", column_name=PRESENT_COUNT, widget=IntegerWidget(), readonly=True
    )

    class Meta:
        model = Session
        fields = (
            "external_id",
            "date",
            "time",
            "kind",
            "title",
            "duration_minutes",
            "place_type",
            "venue_id",
            "venue",
            "venue_insee",
            "themes",
            "level",
            "capacity",
            "structure",
            "counsellors",
            "seats_taken",
            "present_count",
        )
        export_order = fields

    def dehydrate_date(self, session):
        return _local_date(session.start)

    def dehydrate_time(self, session):
        return _local_time(session.start)

    def dehydrate_kind(self, session):
        return _label(session, "kind")

    def dehydrate_place_type(self, session):
        return _label(session, "place_type")

    def dehydrate_level(self, session):
        return _label(session, "level")

    def dehydrate_themes(self, session):
        return _theme_names(session)

    def dehydrate_counsellors(self, session):
        return ", ".join(str(c) for c in session.counsellors.all())


class AttendanceResource(ExportModelResource):
    """One row per person at a session: the import format of "sessions with attendance".

    A person is known by "Identifiant réseau" or "Identifiant personne"; "Prénom", "Nom",
    "Année de naissance" and "Code INSEE" let the importer create or match the people
    not known yet.
    """

    session_external_id = fields.Field(attribute="session__external_id", column_name=SESSION_ID)
    date = fields.Field(attribute="session__start", column_name=DATE)
    time = fields.Field(attribute="session__start", column_name=TIME)
    kind = fields.Field(attribute="session__kind", column_name=KIND)
    title = fields.Field(attribute="session__title", column_name=TITLE)
    duration_minutes = fields.Field(
        attribute="session__duration_minutes", column_name=DURATION, widget=IntegerWidget()
    )
    place_type = fields.Field(attribute="session__place_type", column_name=PLACE_TYPE)
    venue_id = fields.Field(attribute="session__venue__external_id", column_name=VENUE_ID)
    venue = fields.Field(attribute="session__venue__name", column_name=VENUE)
    venue_insee = fields.Field(attribute="session__venue__commune_id", column_name=VENUE_INSEE)
    themes = fields.Field(attribute="session__themes", column_name=THEMES)
    level = fields.Field(attribute="session__level", column_name=LEVEL)
    structure = fields.Field(attribute="session__structure__name", column_name=STRUCTURE)
    network_id = fields.Field(attribute="learner__network_id", column_name=NETWORK_ID)
    person_external_id = fields.Field(attribute="learner__external_id", column_name=PERSON_ID)
    first_name = fields.Field(attribute="learner__first_name", column_name=FIRST_NAME)
    last_name = fields.Field(attribute="learner__last_name", column_name=LAST_NAME)
    birth_year = fields.Field(
        attribute="learner__birth_year", column_name=BIRTH_YEAR, widget=IntegerWidget()
    )
    commune = fields.Field(attribute="learner__commune_id", column_name=INSEE)
    status = fields.Field(attribute="status", column_name=STATUS)
    equipment = fields.Field(attribute="equipment", column_name=EQUIPMENT)
    autonomy = fields.Field(attribute="autonomy", column_name=AUTONOMY)
    referred_to = fields.Field(attribute="referred_to", column_name=REFERRAL)

    class Meta:
        model = Attendance
        fields = (
            "session_external_id",
            "date",
            "time",
            "kind",
            "title",
            "duration_minutes",
            "place_type",
            "venue_id",
            "venue",
            "venue_insee",
            "themes",
            "level",
            "structure",
            "network_id",
            "person_external_id",
            "first_name",
            "last_name",
            "birth_year",
            "commune",
            "status",
            "equipment",
            "autonomy",
            "referred_to",
        )
        export_order = fields

    def dehydrate_date(self, attendance):
        return _local_date(attendance.session.start)

    def dehydrate_time(self, attendance):
        return _local_time(attendance.session.start)

    def dehydrate_kind(self, attendance):
        return _label(attendance.session, "kind")

    def dehydrate_place_type(self, attendance):
        return _label(attendance.session, "place_type")

    def dehydrate_level(self, attendance):
        return _label(attendance.session, "level")

    def dehydrate_themes(self, attendance):
        return _theme_names(attendance.session)

    def dehydrate_status(self, attendance):
        return _label(attendance, "status")

    def dehydrate_equipment(self, attendance):
        return _label(attendance, "equipment")

    def dehydrate_autonomy(self, attendance):
        return _label(attendance, "autonomy")


class _StandardVenueResource(ExportModelResource):
    """The venues as the national standard « Lieux de médiation numérique » lays them out:
    its 32 columns, named and ordered as in its schema, each row from
    `learners.national.lieux.venue_standard_row` (computed once per venue), so the admin
    export is a standard file and the venue import reads standard files. The venues must
    come with their structure and commune (`select_related`)."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = lieux.venue_standard_row(instance)
        return [row[field.column_name] for field in self.get_export_fields(selected_fields)]

    class Meta:
        model = Venue
        fields = lieux.COLUMNS
        export_order = lieux.COLUMNS


VenueResource = type(
    "VenueResource",
    (_StandardVenueResource,),
    {
        "__module__": __name__,
        "__doc__": _StandardVenueResource.__doc__,
        **{column: fields.Field(column_name=column) for column in lieux.COLUMNS},
    },
)


class ObservationResource(ExportModelResource):
    """Export only: observations are recorded on attendance sheets, never imported."""

    network_id = fields.Field(attribute="learner__network_id", column_name=NETWORK_ID)
    person = fields.Field(attribute="learner__display_name", column_name=PERSON)
    observed_on = fields.Field(attribute="observed_on", column_name=DATE, widget=DateWidget())
    framework = fields.Field(attribute="competence__framework__name", column_name=FRAMEWORK)
    competence_code = fields.Field(attribute="competence__code", column_name=COMPETENCE_CODE)
    competence = fields.Field(attribute="competence__name", column_name=COMPETENCE)
    rank = fields.Field(attribute="level__rank", column_name=RANK, widget=IntegerWidget())
    level = fields.Field(attribute="level__name", column_name=LEVEL)
    source = fields.Field(attribute="source", column_name=SOURCE)
    session_date = fields.Field(attribute="session__start", column_name=SESSION_DATE)
    session_title = fields.Field(attribute="session__display_title", column_name=SESSION_TITLE)

    class Meta:
        model = Observation
        fields = (
            "network_id",
            "person",
            "observed_on",
            "framework",
            "competence_code",
            "competence",
            "rank",
            "level",
            "source",
            "session_date",
            "session_title",
        )
        export_order = fields

    def dehydrate_source(self, observation):
        return _label(observation, "source")

    def dehydrate_session_date(self, observation):
        return _local_date(observation.session.start) if observation.session_id else None

    def dehydrate_session_title(self, observation):
        return observation.session.display_title if observation.session_id else ""


class ActivityResource(resources.Resource):
    """The national activity record (La Coop de la médiation numérique), one row per
    collective session or per individual accompaniment. Rows are dicts built by
    `learners.services.exports.activity_rows`, which documents each column; the count
    columns (age bands, genders, statuses) are added per instance from the vocabularies."""

    def __init__(self, *, count_columns: list[tuple[str, str]] = (), **kwargs):
        super().__init__(**kwargs)
        for key, label in count_columns:
            self.fields[key] = fields.Field(
                attribute=key, column_name=label, widget=IntegerWidget()
            )
        self._count_keys = [key for key, _label in count_columns]

    kind = fields.Field(attribute="kind", column_name="Type d'accompagnement")
    date = fields.Field(attribute="date", column_name=DATE, widget=DateWidget())
    duration = fields.Field(attribute="duration", column_name=DURATION, widget=IntegerWidget())
    place_type = fields.Field(attribute="place_type", column_name=PLACE_TYPE)
    venue = fields.Field(attribute="venue", column_name=VENUE)
    venue_insee = fields.Field(attribute="venue_insee", column_name=VENUE_INSEE)
    equipment = fields.Field(attribute="equipment", column_name=EQUIPMENT)
    autonomy = fields.Field(attribute="autonomy", column_name=AUTONOMY)
    themes = fields.Field(attribute="themes", column_name=THEMES)
    admin_themes = fields.Field(
        attribute="admin_themes", column_name="Sous-thématiques administratives"
    )
    level = fields.Field(attribute="level", column_name="Niveau de l'atelier")
    title = fields.Field(attribute="title", column_name="Titre de l'atelier")
    participants = fields.Field(
        attribute="participants", column_name="Nombre de participants", widget=IntegerWidget()
    )
    referral = fields.Field(attribute="referral", column_name="Orientation vers une structure")
    structure = fields.Field(attribute="structure", column_name=STRUCTURE)
    session_ref = fields.Field(
        attribute="session_ref", column_name="N° de séance", widget=IntegerWidget()
    )

    class Meta:
        export_order = (
            "kind",
            "date",
            "duration",
            "place_type",
            "venue",
            "venue_insee",
            "equipment",
            "autonomy",
            "themes",
            "admin_themes",
            "level",
            "title",
            "participants",
        )

    def get_export_order(self):
        base = list(self._meta.export_order)
        return (*base, *self._count_keys, "referral", "structure", "session_ref")
