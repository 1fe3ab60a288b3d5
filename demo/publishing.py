"""Demo content of the publishing app: index pages, guides, atelier curricula, demo users.

`load()` is idempotent: everything is looked up by a stable key (page slug under its index,
image or document title, username) and only what is missing is created, so running
`manage.py load_demo` again changes nothing (no new page, revision, image or user).

Pages go through the same editorial path as real ones: a counsellor writes a revision, a
coordinator publishes it. Two pages stay drafts and one guide waits in the review workflow,
submitted by a counsellor. Guides and ateliers are read from their data files
(`demo.content`); images are drawn locally (`demo.screens`), no download.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site, Workflow

from demo import content
from demo.accounts import DEMO_COORDINATOR, DEMO_COUNSELLORS, DEMO_PARTNER_EDITOR, DEMO_PASSWORD
from demo.screens import render_handout_pdf, render_png
from workshops import roles
from workshops.models import (
    AtelierHandout,
    AtelierIndexPage,
    AtelierPage,
    Audience,
    Competence,
    GuideIndexPage,
    GuidePage,
    Theme,
)
from workshops.services.editorial import editorial_setup

logger = logging.getLogger(__name__)

GUIDE_INDEX = {
    "slug": "fiches-pratiques",
    "title": "Fiches pratiques",
    "intro": (
        "Des fiches illustrées, une étape à la fois, pour faire seul ce qui vous bloque : "
        "créer une adresse e-mail, déjouer une arnaque, faire une démarche en ligne. "
        "Lisez-les sur votre téléphone ou imprimez-les."
    ),
}
ATELIER_INDEX = {
    "slug": "ateliers",
    "title": "Ateliers",
    "intro": (
        "Les déroulés des ateliers collectifs animés par les conseillers et conseillères "
        "numériques : objectifs, durée, matériel et étapes de la séance. Libres de "
        "réutilisation : adaptez-les à votre public."
    ),
}

# Full names of the demo accounts (`demo.accounts`, shared with the tracking demo).
COORDINATOR_NAME = ("Nathalie", "Girard")
COUNSELLOR_NAMES = {
    "camille.martin": ("Camille", "Martin"),
    "julien.bernard": ("Julien", "Bernard"),
    "sophie.petit": ("Sophie", "Petit"),
    "karim.haddad": ("Karim", "Haddad"),
}
PARTNER_EDITOR_NAME = ("Élise", "Moreau")


def load() -> list[tuple[str, str, str]]:
    """Creates what is missing. Returns the demo logins as (role, username, password)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        logger.warning("No Wagtail site: the publishing demo content is not loaded.")
        return []
    home = site.root_page
    with transaction.atomic():
        guide_index = _index_ensure(home, GuideIndexPage, GUIDE_INDEX)
        atelier_index = _index_ensure(home, AtelierIndexPage, ATELIER_INDEX)
        # Groups, permissions and the review workflow, now that the index pages exist (the
        # run after migrate found none to grant on).
        editorial_setup()
        users = _users_ensure()
        for data in content.guides():
            _guide_ensure(guide_index, data, users)
        for data in content.ateliers():
            _atelier_ensure(atelier_index, data, users)
    return _logins()


# Set-up ------------------------------------------------------------------------------------


def _index_ensure(home: Page, model: type[Page], data: dict) -> Page:
    existing = model.objects.child_of(home).first() or model.objects.first()
    if existing is not None:
        return existing
    index = model(title=data["title"], slug=data["slug"], intro=data["intro"], live=False)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _users_ensure() -> dict[str, object]:
    wanted = [(DEMO_COORDINATOR, COORDINATOR_NAME, roles.COORDINATORS)]
    wanted += [
        (username, COUNSELLOR_NAMES.get(username, (username, "")), roles.COUNSELLORS)
        for username in DEMO_COUNSELLORS
    ]
    wanted.append((DEMO_PARTNER_EDITOR, PARTNER_EDITOR_NAME, roles.PARTNER_EDITORS))

    user_model = get_user_model()
    users = {}
    for username, (first_name, last_name), group_name in wanted:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.org",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
        users[username] = user
    users["coordinator"] = users[DEMO_COORDINATOR]
    return users


def _logins() -> list[tuple[str, str, str]]:
    logins = [("Coordinatrice (relit et publie)", DEMO_COORDINATOR, DEMO_PASSWORD)]
    logins += [
        ("Conseiller ou conseillère numérique (rédige, soumet)", username, DEMO_PASSWORD)
        for username in DEMO_COUNSELLORS
    ]
    logins.append(
        ("Éditrice partenaire (association Clic et Lien)", DEMO_PARTNER_EDITOR, DEMO_PASSWORD)
    )
    return logins


# Media -----------------------------------------------------------------------------------


def _root_collection() -> Collection:
    return Collection.get_first_root_node()


def _image_ensure(title: str, filename: str, screen, collection: Collection | None = None):
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    image = image_model(
        title=title,
        file=ImageFile(ContentFile(render_png(screen)), name=filename),
        collection=collection or _root_collection(),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _document_ensure(title: str, filename: str, content: bytes) -> object:
    document_model = get_document_model()
    document = document_model.objects.filter(title=title).first()
    if document is not None:
        return document
    document = document_model(
        title=title, file=ContentFile(content, name=filename), collection=_root_collection()
    )
    document._set_document_file_metadata()
    document.save()
    return document


# Pages -----------------------------------------------------------------------------------


def _competences(codes: list[list[str]]) -> list[Competence]:
    found = []
    for framework, code in codes:
        competence = Competence.objects.filter(framework__slug=framework, code=code).first()
        if competence is None:
            raise LookupError(f"Unknown competence {framework}:{code} in the demo data")
        found.append(competence)
    return found


def _by_slug(model, slugs: list[str]) -> list:
    found = list(model.objects.filter(slug__in=slugs))
    missing = set(slugs) - {item.slug for item in found}
    if missing:
        raise LookupError(f"Unknown {model.__name__} slugs in the demo data: {sorted(missing)}")
    return found


def _publish_or_submit(page: Page, status: str, users: dict) -> None:
    author = page.owner
    revision = page.save_revision(user=author, log_action=True)
    if status == "live":
        revision.publish(user=users["coordinator"])
    elif status == "review":
        workflow = _workflow(page)
        # Wagtail e-mails the reviewers on submission; a demo load sends no e-mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            workflow.start(page, author)


def _workflow(page: Page) -> Workflow:
    workflow = page.get_workflow()
    if workflow is None:
        workflow = Workflow.objects.filter(active=True).order_by("pk").first()
    if workflow is None:
        raise LookupError("No active Wagtail workflow to submit the demo guide to.")
    return workflow


def partner_guides_ensure(*, section: Page, editor) -> list[GuidePage]:
    """The guides the demo partner editor wrote in its structure's section, their
    pictures in the structure's collection (called by `demo.tracking`, which creates the
    structure)."""
    users = {editor.username: editor, "coordinator": None}
    collection = getattr(section.specific, "collection", None)
    return [
        _guide_ensure(section, data, users, collection=collection)
        for data in content.guides("partner_guides")
    ]


def _guide_ensure(
    index: Page, data: dict, users: dict, collection: Collection | None = None
) -> GuidePage:
    existing = GuidePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    steps = []
    for number, step in enumerate(data["steps"], start=1):
        image = _image_ensure(
            f"{data['title']} – étape {number}",
            f"{data['slug']}-etape-{number}.png",
            step["screen"],
            collection,
        )
        steps.append(
            {
                "type": "step",
                "value": {
                    "title": step["title"],
                    "text": step["text"],
                    "image": image.pk,
                    "alt_text": step["alt"],
                    "image_credit": step.get("credit", ""),
                    "image_licence": step.get("credit_licence", ""),
                    "tip": step["tip"],
                    "warning": step["warning"],
                },
            }
        )
    reviewed = data["last_reviewed"]
    page = GuidePage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        what_you_need=data["what_you_need"],
        steps=steps,
        difficulty=data["difficulty"],
        last_reviewed=datetime.date.fromisoformat(reviewed) if reviewed else None,
        licence=data["licence"],
        owner=users[data["author"]],
        live=False,
    )
    page.competences.set(_competences(data["competences"]))
    page.themes.set(_by_slug(Theme, data["themes"]))
    page.audiences.set(_by_slug(Audience, data["audiences"]))
    index.add_child(instance=page)
    _publish_or_submit(page, data["status"], users)
    return page


def _atelier_ensure(index: Page, data: dict, users: dict) -> AtelierPage:
    existing = AtelierPage.objects.child_of(index).filter(slug=data["slug"]).first()
    if existing is not None:
        return existing
    handout = data["handout"]
    handout_title = handout["title"]
    sections = [(section["heading"], section["lines"]) for section in handout["sections"]]
    document = _document_ensure(
        handout_title,
        f"{slugify(handout_title)}.pdf",
        render_handout_pdf(handout_title, handout["subtitle"], sections),
    )
    page = AtelierPage(
        title=data["title"],
        slug=data["slug"],
        summary=data["summary"],
        level=data["level"],
        duration_minutes=data["duration_minutes"],
        group_size_min=data["group_size"]["min"],
        group_size_max=data["group_size"]["max"],
        prerequisites=data["prerequisites"],
        objectives=data["objectives"],
        equipment=data["equipment"],
        session_plan=[
            {
                "type": "step",
                "value": {
                    "title": part["title"],
                    "duration_minutes": part["minutes"],
                    "description": part["text"],
                },
            }
            for part in data["plan"]
        ],
        facilitator_notes=data["notes"],
        licence=data["licence"],
        owner=users[data["author"]],
        live=False,
    )
    page.audiences.set(_by_slug(Audience, data["audiences"]))
    page.competences.set(_competences(data["competences"]))
    page.themes.set(_by_slug(Theme, data["themes"]))
    page.related_guides.set(
        GuidePage.objects.filter(slug__in=data["related_guides"]).order_by("pk")
    )
    page.handouts.add(
        AtelierHandout(
            document=document,
            label=handout_title,
            credit=handout.get("credit", ""),
            licence=handout.get("licence", ""),
        )
    )
    index.add_child(instance=page)
    _publish_or_submit(page, data["status"], users)
    return page
