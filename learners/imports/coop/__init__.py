"""Import of a counsellor's own activity export from La Coop de la médiation numérique
(« Activités exportées de La Coop »): the worksheet's table is found under its header
blocks (`read`), each line becomes a line of the attendance import or an anonymous
participant (`translate`), and `plan` runs the attendance import's matching (sessions by
the Coop's « ID CRA », venues within the structure, people with the network's rule) before
counting the anonymous participants. Preview first, then all or nothing, like every import.
"""

from .plan import CoopOps, apply_coop, plan_coop
from .read import COLUMNS, coop_records_read

__all__ = ["COLUMNS", "CoopOps", "apply_coop", "coop_records_read", "plan_coop"]
