from learners.services.digests import weekly_digests_send

from ._job_command import JobCommand


class Command(JobCommand):
    help = (
        "Envoie à chaque conseiller le récapitulatif de sa semaine (séances, places libres, "
        "personnes bloquées), une seule fois par semaine."
    )
    job_name = "weekly_digest"

    def run(self, today):
        return weekly_digests_send(today=today)
