"""Publishing models: the competence framework, themes and audiences (reference data),
and the Wagtail pages for atelier curricula and guides."""

from .feedback import GuideFeedback
from .frameworks import Competence, Domain, Framework, Level
from .pages import (
    AtelierHandout,
    AtelierIndexPage,
    AtelierPage,
    AtelierSectionPage,
    GuideIndexPage,
    GuidePage,
    GuideSectionPage,
)
from .taxonomy import Audience, Theme

__all__ = [
    "Audience",
    "AtelierHandout",
    "AtelierIndexPage",
    "AtelierPage",
    "AtelierSectionPage",
    "Competence",
    "Domain",
    "Framework",
    "GuideFeedback",
    "GuideIndexPage",
    "GuidePage",
    "GuideSectionPage",
    "Level",
    "Theme",
]
