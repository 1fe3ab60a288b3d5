"""Background jobs of the public agenda (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from agenda.clock import agenda_clock_tick


@shared_task(name="agenda.clock_tick", ignore_result=True)
def agenda_clock_tick_task() -> bool:
    """Every minute: refresh the cached lists when a session has started (agenda/clock.py)."""
    return agenda_clock_tick()
