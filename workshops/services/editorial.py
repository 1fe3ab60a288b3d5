"""Editorial set-up: role groups, page and collection permissions, the review workflow.

Everything here is idempotent: `editorial_setup()` runs after every `migrate` (post_migrate,
see `workshops.apps`), from `manage.py setup_editorial`, and from the demo loader once the
index pages exist. Running it again changes nothing; it only adds what is missing (it never
removes a permission an administrator granted by hand).

Who can do what:
- Conseillers: admin access; add and edit atelier curricula and guides under the two index
  pages, never publish (they submit to the review workflow); choose and add images and
  documents (root collection); read the guide feedback report.
- Coordinateurs: the same plus publish, lock and unlock; manage the reference data
  (frameworks, domains, competences, levels, themes, audiences); add, change, choose and
  delete images and documents in every collection; approve or reject in the workflow.
- Éditeurs partenaires: admin access only; each structure's own group
  ("Éditeurs – <structure>", see `structure_collection_ensure`) gives its members the images
  and documents of that structure's collection and, once the structure has a partner
  section (`partner_sections_ensure`), add and change (never publish) in its section of
  the guide index (and of the atelier index if it runs ateliers): they write and submit
  there, coordinators review and publish; other structures' sections are out of reach.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from workshops import roles
from workshops.models import (
    AtelierIndexPage,
    AtelierSectionPage,
    GuideIndexPage,
    GuideSectionPage,
)

WORKFLOW_NAME = "Relecture par la coordination"
REVIEW_TASK_NAME = "Validation par la coordination"
STRUCTURE_GROUP_PREFIX = "Éditeurs – "

COUNSELLOR_PAGE_PERMISSIONS = ("add", "change")
COORDINATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
REFERENCE_MODELS = ("framework", "domain", "competence", "level", "theme", "audience")
MEDIA_ACTIONS = ("add", "change", "choose", "delete")
COUNSELLOR_MEDIA_ACTIONS = ("add", "choose")
PARTNER_PAGE_PERMISSIONS = ("add", "change")

# Apps whose permissions we grant: created on demand, because post_migrate reaches
# `workshops` before the Wagtail apps listed after it in INSTALLED_APPS.
_PERMISSION_APPS = ("wagtailadmin", "wagtailcore", "wagtailimages", "wagtaildocs", "workshops")
_REQUIRED_TABLES = (
    "auth_group",
    "wagtailcore_grouppagepermission",
    "wagtailcore_groupcollectionpermission",
    "wagtailcore_workflowpage",
    "wagtailcore_site",
    "wagtailimages_image",
    "wagtaildocs_document",
    "workshops_framework",
    "workshops_guidesectionpage",
    "workshops_ateliersectionpage",
)


def _ensure_permissions_exist(using: str) -> None:
    for label in _PERMISSION_APPS:
        app_config = global_apps.get_app_config(label)
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _media_permission(kind: str, action: str) -> Permission:
    app_label = {"image": "wagtailimages", "document": "wagtaildocs"}[kind]
    return _permission(app_label, f"{action}_{kind}")


def _page_permission(action: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=f"{action}_page"
    )


def _grant_page(group: Group, page: Page, actions: tuple[str, ...]) -> None:
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_page_permission(action)
        )


def _grant_collection(group: Group, collection: Collection, actions: tuple[str, ...]) -> None:
    for kind in ("image", "document"):
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_media_permission(kind, action)
            )


def _index_pages() -> list[Page]:
    pages: list[Page] = []
    pages.extend(GuideIndexPage.objects.all())
    pages.extend(AtelierIndexPage.objects.all())
    return pages


def _tables_ready(using: str) -> bool:
    existing = set(connections[using].introspection.table_names())
    return all(table in existing for table in _REQUIRED_TABLES)


def review_workflow_ensure() -> Workflow:
    """The one-step workflow where a coordinator approves or rejects with a comment."""
    coordinators = Group.objects.get(name=roles.COORDINATORS)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    task.groups.add(coordinators)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
    return workflow


def editorial_setup(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Creates or completes the role groups, their permissions and the review workflow.

    Page permissions and the workflow attach to the guide and atelier index pages when
    they exist: call this again after creating them (the demo loader does).
    """
    if not _tables_ready(using):  # e.g. while migrating backwards
        return
    _ensure_permissions_exist(using)
    with transaction.atomic(using=using):
        counsellors, _ = Group.objects.get_or_create(name=roles.COUNSELLORS)
        coordinators, _ = Group.objects.get_or_create(name=roles.COORDINATORS)
        partner_editors, _ = Group.objects.get_or_create(name=roles.PARTNER_EDITORS)

        access_admin = _permission("wagtailadmin", "access_admin")
        for group in (counsellors, coordinators, partner_editors):
            group.permissions.add(access_admin)

        counsellors.permissions.add(_permission("workshops", "view_guidefeedback"))
        coordinators.permissions.add(
            _permission("workshops", "view_guidefeedback"),
            *(
                _permission("workshops", f"{action}_{model}")
                for model in REFERENCE_MODELS
                for action in ("add", "change", "delete", "view")
            ),
        )

        root_collection = Collection.get_first_root_node()
        if root_collection is not None:
            _grant_collection(counsellors, root_collection, COUNSELLOR_MEDIA_ACTIONS)
            _grant_collection(coordinators, root_collection, MEDIA_ACTIONS)

        # Each site's home page and the content pages under it (the legal pages of the
        # footer): coordinators edit and publish them; counsellors stay within the indexes.
        for site in Site.objects.select_related("root_page"):
            _grant_page(coordinators, site.root_page, COORDINATOR_PAGE_PERMISSIONS)

        workflow = review_workflow_ensure()
        for index in _index_pages():
            _grant_page(counsellors, index, COUNSELLOR_PAGE_PERMISSIONS)
            _grant_page(coordinators, index, COORDINATOR_PAGE_PERMISSIONS)
            WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        _partner_sections_grant()


def structure_collection_ensure(*, name: str) -> tuple[Collection, Group]:
    """The image/document collection of a partner structure and the group of its editors.

    Idempotent: called whenever a structure is created or saved. Members of the returned
    group ("Éditeurs – <name>") can add, change, choose and delete images and documents in
    this collection only; coordinators already have the same rights on every collection.
    """
    name = name.strip()
    if not name:
        raise ValueError("A structure collection needs a name.")
    with transaction.atomic():
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=name).first()
        if collection is None:
            collection = Collection(name=name[:255])
            collection.full_clean(exclude=["path", "depth", "numchild"])
            root.add_child(instance=collection)
        group, _ = Group.objects.get_or_create(name=f"{STRUCTURE_GROUP_PREFIX}{name}"[:150])
        group.permissions.add(_permission("wagtailadmin", "access_admin"))
        _grant_collection(group, collection, MEDIA_ACTIONS)
    return collection, group


def _structure_group(collection: Collection) -> Group:
    group, _ = Group.objects.get_or_create(name=f"{STRUCTURE_GROUP_PREFIX}{collection.name}"[:150])
    return group


def _partner_sections_grant() -> None:
    """Gives every partner section's structure group its page permissions (they may have
    been removed by hand, or the section moved to another collection)."""
    for model in (GuideSectionPage, AtelierSectionPage):
        for section in model.objects.filter(collection__isnull=False).select_related("collection"):
            _grant_page(_structure_group(section.collection), section, PARTNER_PAGE_PERMISSIONS)


def _section_ensure(
    index: Page, model: type[GuideSectionPage | AtelierSectionPage], collection: Collection
) -> Page:
    section = model.objects.child_of(index).filter(collection=collection).first()
    if section is not None:
        return section
    slug = slugify(collection.name)[:200] or "structure"
    if index.get_children().filter(slug=slug).exists():  # a guide took it first
        slug = f"{slug}-{collection.pk}"
    section = model(title=collection.name, slug=slug, collection=collection, live=False)
    index.add_child(instance=section)
    # Live at once: its pages reach the public only through the coordinators' review.
    section.save_revision().publish()
    return section


def partner_sections_ensure(*, name: str, ateliers: bool = False) -> list[Page]:
    """The partner structure `name`'s section of the guide index (and of the atelier
    index when `ateliers`), where the members of its group write and submit pages.

    Idempotent: a section is found by the structure's collection, so a coordinator may
    rename or move it. Sections inherit the index's review workflow. Nothing is created
    while an index is missing (`editorial_setup` or the demo creates the indexes).
    """
    collection, group = structure_collection_ensure(name=name)
    wanted: list[tuple[type[Page], type[GuideSectionPage | AtelierSectionPage]]] = [
        (GuideIndexPage, GuideSectionPage)
    ]
    if ateliers:
        wanted.append((AtelierIndexPage, AtelierSectionPage))
    sections = []
    with transaction.atomic():
        for index_model, section_model in wanted:
            index = index_model.objects.order_by("path").first()
            if index is None:
                continue
            section = _section_ensure(index, section_model, collection)
            _grant_page(group, section, PARTNER_PAGE_PERMISSIONS)
            sections.append(section)
    return sections


def editorial_setup_after_migrate(
    sender: object, using: str = DEFAULT_DB_ALIAS, **kwargs: object
) -> None:
    """post_migrate receiver (connected in `WorkshopsConfig.ready`)."""
    editorial_setup(using=using)


def structure_editor_add(
    *, user: User, name: str, ateliers: bool = False
) -> tuple[Collection, Group]:
    """Makes `user` an editor of the partner structure `name`: member of the
    "Éditeurs partenaires" role group and of the structure's own group (its collection
    and its partner sections, created if missing)."""
    collection, group = structure_collection_ensure(name=name)
    partner_sections_ensure(name=name, ateliers=ateliers)
    partner_editors, _ = Group.objects.get_or_create(name=roles.PARTNER_EDITORS)
    user.groups.add(partner_editors, group)
    return collection, group
