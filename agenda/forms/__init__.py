"""Forms of the public agenda: the search (`search`) and the sign-up and appointment
request (`signup`)."""

from .search import AgendaSearchForm
from .signup import AppointmentForm, SignupForm

__all__ = ["AgendaSearchForm", "AppointmentForm", "SignupForm"]
