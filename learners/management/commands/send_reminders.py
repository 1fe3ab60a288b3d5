from learners.services.reminders import reminders_send

from ._job_command import JobCommand


class Command(JobCommand):
    help = (
        "Envoie le rappel des séances du lendemain aux personnes inscrites qui ont accepté "
        "d'être prévenues par courriel (une seule fois, même si la commande est relancée)."
    )
    job_name = "reminders"

    def run(self, today):
        return reminders_send(today=today)
