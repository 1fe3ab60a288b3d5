from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = "Agenda public"

    def ready(self) -> None:
        # The atelier pages' « Prochaines dates » (workshops never imports this app).
        from agenda.sections import ATELIER_DATES
        from workshops.page_sections import page_section_register

        page_section_register(ATELIER_DATES)
