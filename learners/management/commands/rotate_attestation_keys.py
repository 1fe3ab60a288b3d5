from django.core.management.base import BaseCommand, CommandError

from learners.models import Structure
from learners.services.attestations import attestation_key_rotate


class Command(BaseCommand):
    help = (
        "Remplace la clé de signature des attestations d'une structure (--structure ID) ou "
        "de toutes celles qui en ont une (--toutes). Les anciennes clés ne signent plus "
        "mais vérifient toujours les attestations déjà délivrées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structure", type=int, help="Identifiant de la structure.")
        parser.add_argument("--toutes", action="store_true", help="Toutes les structures.")

    def handle(self, *args, **options):
        if options["toutes"]:
            structures = Structure.objects.filter(attestation_keys__isnull=False).distinct()
        elif options["structure"]:
            structures = Structure.objects.filter(pk=options["structure"])
            if not structures.exists():
                raise CommandError("Aucune structure ne porte cet identifiant.")
        else:
            raise CommandError("Indiquez --structure ID ou --toutes.")
        for structure in structures:
            key = attestation_key_rotate(structure=structure)
            self.stdout.write(f"{structure.name} : nouvelle clé {key.thumbprint[:12]}…")
        self.stdout.write(self.style.SUCCESS("Clés remplacées."))
