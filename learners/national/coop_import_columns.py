"""The columns of La Coop de la médiation numérique's activity worksheet as our import
reads them (both of its layouts: a counsellor's own export, with « Bénéficiaire », and a
coordination export, without names), keyed for `learners.imports.coop`."""

from __future__ import annotations

FIELDS = {
    "date": "Date",
    "recorded": "Enregistré le",
    "type": "Type",
    "participants": "Participants",
    "beneficiary": "Bénéficiaire",
    "place_type": "Canaux d’accompagnement",
    "venue": "Nom du lieu",
    "venue_commune": "Commune",
    "venue_postal_code": "Code postal",
    "venue_insee": "Code Insee",
    "duration": "Durée (min)",
    "title": "Nom de l’atelier",
    "equipment": "Matériel numérique utilisé",
    "themes": "Thématique(s) d’accompagnement",
    "tags": "Tags",
    "level": "Niveau d’autonomie (ou de l’atelier)",
    "referred": "Bénéficiaire réorienté",
    "redirection": "Structure de redirection",
    "person_commune": "Commune du bénéficiaire",
    "person_insee": "Code Insee du bénéficiaire",
    "gender": "Genre du bénéficiaire",
    "age_band": "Tranche d’âge du bénéficiaire",
    "status": "Statut du bénéficiaire",
    "id": "ID CRA",
}
# Read but not imported: the Coop's bookkeeping and what we have no field for.
IGNORED = (
    "Dernière modification le",
    "Prénom du médiateur",
    "Nom du médiateur",
    "Rôle",
    "ID - Conum",
    "Adresse",
    "Nom de la démarche administrative",
    "Code postal du bénéficiaire",
    "Notes supplémentaires",
    "Source de la donnée",
)
SYNONYMS = {"themes": ("Thématiques",), "id": ("ID",)}
REQUIRED = (("date",), ("type",))
# Where each attendance-import field comes from, to name the Coop's column in messages.
ATTENDANCE_HEADERS = {
    "session_external_id": FIELDS["id"],
    "date": FIELDS["date"],
    "kind": FIELDS["type"],
    "title": FIELDS["title"],
    "duration_minutes": FIELDS["duration"],
    "place_type": FIELDS["place_type"],
    "venue": FIELDS["venue"],
    "venue_insee": FIELDS["venue_insee"],
    "themes": FIELDS["themes"],
    "level": FIELDS["level"],
    "first_name": FIELDS["beneficiary"],
    "last_name": FIELDS["beneficiary"],
    "commune": FIELDS["person_insee"],
    "commune_name": FIELDS["person_commune"],
    "gender": FIELDS["gender"],
    "social_status": FIELDS["status"],
    "equipment": FIELDS["equipment"],
    "autonomy": FIELDS["level"],
    "referred_to": FIELDS["redirection"],
}
