"""Names of the role groups shared by the whole site (Wagtail/Django groups).

Defined in `workshops` because both apps need them and `workshops` never imports `learners`.
"""

COUNSELLORS = "Conseillers"
COORDINATORS = "Coordinateurs"
PARTNER_EDITORS = "Éditeurs partenaires"

ALL_ROLES = (COUNSELLORS, COORDINATORS, PARTNER_EDITORS)
