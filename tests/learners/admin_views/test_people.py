"""The "Personnes" admin screens: list and search, create after the match hints (open,
attach, or create anyway), edit with the consent rules; every role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AuditAction
from learners.models import Learner, LearnerStructure
from tests.factories.learners import CommuneFactory, LearnerFactory
from tests.learners.admin_views.people_helpers import (
    assert_login_redirect,
    assert_refused,
    audit_rows,
    login,
)

pytestmark = pytest.mark.django_db

LIST = "learners_people"
CREATE = "learners_person_create"


@pytest.fixture
def people(structure_a, structure_b):
    roche = CommuneFactory(name="La Roche-sur-Yon", postal_codes="85000")
    return {
        "helene": LearnerFactory(
            structure=structure_a,
            first_name="Hélène",
            last_name="Durand",
            birth_year=1948,
            commune=roche,
        ),
        "karim": LearnerFactory(
            structure=structure_a, first_name="Karim", last_name="Benali", birth_year=1990
        ),
        "josiane": LearnerFactory(
            structure=structure_b, first_name="Josiane", last_name="Morel", birth_year=1951
        ),
    }


# --- List ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("coordinator", {"Durand", "Benali", "Morel"}, set()),
        ("counsellor_a", {"Durand", "Benali"}, {"Morel", "Josiane"}),
        ("counsellor_b", {"Morel"}, {"Durand", "Hélène", "Benali", "Karim"}),
    ],
)
def test_list_is_scoped(client, request, people, role, visible, hidden):
    login(client, request, role)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    content = response.content.decode()
    for name in visible:
        assert name in content
    for name in hidden:
        assert name not in content


def test_list_is_refused_to_partner_editors_and_anonymous(client, request, people):
    assert_login_redirect(client.get(reverse(LIST)))
    login(client, request, "partner_editor")
    response = client.get(reverse(LIST) + "?q=helene", follow=True)
    assert_refused(response.redirect_chain and client.get(reverse(LIST)))
    assert "Durand" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("helene", {"Durand"}, {"Benali"}),
        ("HELENE durand", {"Durand"}, {"Benali"}),
        ("durand helene", {"Durand"}, {"Benali"}),
        ("dur", {"Durand"}, {"Benali"}),
        ("1990", {"Benali"}, {"Durand"}),
        ("karim 1948", set(), {"Benali", "Durand"}),
    ],
)
def test_search_ignores_accents_and_case_and_reads_birth_years(
    client, request, people, query, expected, absent
):
    login(client, request, "counsellor_a")
    content = client.get(reverse(LIST), {"q": query}).content.decode()
    for name in expected:
        assert name in content
    for name in absent:
        assert name not in content


def test_search_never_leaks_another_structure(client, request, people):
    login(client, request, "counsellor_b")
    content = client.get(reverse(LIST), {"q": "helene"}).content.decode()
    assert "Durand" not in content
    assert "Personne ne correspond" in content
    content = client.get(reverse(LIST), {"q": people["helene"].network_id}).content.decode()
    assert "Durand" not in content


def test_search_by_network_id(client, request, people):
    login(client, request, "coordinator")
    content = client.get(reverse(LIST), {"q": people["josiane"].network_id}).content.decode()
    assert "Morel" in content and "Durand" not in content


def test_list_writes_one_read_row_per_person_shown(client, request, people):
    user = login(client, request, "counsellor_a")
    client.get(reverse(LIST), {"q": "helene"})
    rows = audit_rows(user=user, action=AuditAction.READ)
    assert [row.learner_id for row in rows] == [people["helene"].pk]
    assert rows[0].detail == "liste des personnes"


def test_list_query_count_does_not_grow(
    client, request, structure_a, django_assert_max_num_queries
):
    login(client, request, "counsellor_a")
    for _n in range(3):
        LearnerFactory(structure=structure_a, commune=CommuneFactory())
    with django_assert_max_num_queries(16) as small:
        client.get(reverse(LIST))
    for _n in range(30):
        LearnerFactory(structure=structure_a, commune=CommuneFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(LIST))
    assert response.context["page"].paginator.count == 33
    assert len(response.context["people"]) == 25


def test_list_paginates(client, request, structure_a):
    login(client, request, "counsellor_a")
    for index in range(27):
        LearnerFactory(structure=structure_a, first_name=f"Prenom{index:02d}")
    content = client.get(reverse(LIST), {"p": 2}).content.decode()
    assert "Page 2 sur 2" in content
    assert "Prenom26" in content and "Prenom00" not in content
    # A page number out of range or nonsense shows a page, never a 500.
    assert client.get(reverse(LIST), {"p": "x"}).status_code == 200
    assert client.get(reverse(LIST), {"p": 99}).status_code == 200


def test_menu_item_shows_for_tracking_roles_only(client, request):
    login(client, request, "counsellor_a")
    assert reverse(LIST) in client.get(reverse("wagtailadmin_home")).content.decode()
    login(client, request, "partner_editor")
    assert reverse(LIST) not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Create ------------------------------------------------------------------------------


def person_data(**overrides):
    data = {
        "first_name": "Paulette",
        "last_name": "Girard",
        "birth_year": "1942",
        "commune_q": "",
        "commune": "",
        "gender": "feminin",
        "social_status": "retraite",
        "legal_basis": "interet_public",
        "information_given_at": timezone.localdate().isoformat(),
        "phone": "",
        "email": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_without_match_creates_in_own_structure(client, request, people, structure_a):
    user = login(client, request, "counsellor_a")
    response = client.post(reverse(CREATE), person_data())
    learner = Learner.objects.get(first_name="Paulette")
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_person_detail", args=[learner.pk])
    assert learner.structure == structure_a
    assert learner.birth_year == 1942 and learner.social_status == "retraite"
    assert audit_rows(user=user, action=AuditAction.CREATE, learner=learner)


def test_create_with_a_typed_commune(client, request, people):
    login(client, request, "counsellor_a")
    CommuneFactory(name="Landeronde", postal_codes="85150")
    client.post(reverse(CREATE), person_data(commune_q="landeronde"))
    assert Learner.objects.get(first_name="Paulette").commune.name == "Landeronde"


def test_create_refuses_contact_details_without_consent(client, request, people):
    login(client, request, "counsellor_a")
    response = client.post(reverse(CREATE), person_data(phone="0601020304"))
    assert response.status_code == 200
    assert "qu&#x27;avec l&#x27;accord de la personne" in response.content.decode()
    assert not Learner.objects.filter(first_name="Paulette").exists()
    response = client.post(reverse(CREATE), person_data(phone="0601020304", contact_consent="on"))
    learner = Learner.objects.get(first_name="Paulette")
    assert learner.phone == "0601020304" and learner.contact_consent_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_year", "abc", "nombre entier"),
        ("birth_year", "1850", "Indiquez une année entre"),
        ("first_name", "  --  ", "Indiquez un prénom"),
        ("information_given_at", "31/02/2024", "date valide"),
        ("commune_q", "Zzyzx-sur-Rien", "Aucune commune ne correspond"),
        ("email", "pas-un-courriel", "adresse de courriel valide"),
    ],
)
def test_create_bad_input_gets_a_french_message(client, request, people, field, value, message):
    login(client, request, "counsellor_a")
    response = client.post(reverse(CREATE), person_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Learner.objects.filter(first_name="Paulette").exists()


def test_coordinator_chooses_the_structure(client, request, people, structure_b):
    login(client, request, "coordinator")
    response = client.post(reverse(CREATE), person_data())
    assert response.status_code == 200
    assert not Learner.objects.filter(first_name="Paulette").exists()
    client.post(reverse(CREATE), person_data(structure=structure_b.pk))
    assert Learner.objects.get(first_name="Paulette").structure == structure_b


def test_match_hints_show_only_safe_fields(client, request, people, structure_b):
    other = people["josiane"]
    other.contact_consent = True
    other.contact_consent_at = timezone.now()
    other.phone = "0611223344"
    other.email = "josiane@example.org"
    other.notes = "Vient avec sa voisine"
    other.commune = CommuneFactory(name="Venansault", postal_codes="85190")
    other.save()
    other_record = other
    login(client, request, "counsellor_a")
    # A first name alone: no hint at all about other structures.
    response = client.post(reverse(CREATE), person_data(first_name="josiane"))
    assert response.status_code == 302
    assert "Une personne née" not in client.get(reverse(LIST)).content.decode()
    Learner.objects.filter(first_name="josiane").delete()
    response = client.post(
        reverse(CREATE), person_data(first_name="josiane", last_name="morel", birth_year="1952")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["candidates"] == []
    [other] = response.context["others"]
    assert other.learner_id is None and other.first_name == ""
    assert "Une personne née en 1951 est déjà suivie par une autre structure du réseau." in (
        content
    )
    for secret in (
        "Josiane M.",  # the initial
        "Morel",  # the full last name (the counsellor typed it in lower case)
        "Venansault",
        "0611223344",
        "josiane@example.org",
        "Vient avec sa voisine",
        other_network_id := other_record.network_id,
        structure_b.name,
        f'value="{other_record.pk}"',
    ):
        assert secret not in content, secret
    assert other_network_id
    assert not Learner.objects.filter(first_name="josiane").exists()


def test_the_carnet_code_links_the_record_with_consent(
    client, request, people, structure_a, coordinator
):
    from learners.models import SharingConsent
    from learners.services import carnet_issue

    josiane = people["josiane"]
    code = carnet_issue(user=coordinator, learner=josiane)
    user = login(client, request, "counsellor_a")
    data = person_data(first_name="Josiane", last_name="Morel", birth_year="1951")
    client.post(reverse(CREATE), data)
    # A wrong code: refused, nothing linked (the same message as any other wrong code).
    response = client.post(reverse(CREATE), {**data, "link_code": "1", "carnet_code": "ABCD"})
    assert response.status_code == 200
    assert "ne correspond pas" in response.content.decode()
    assert not LearnerStructure.objects.filter(learner=josiane, structure=structure_a).exists()
    response = client.post(reverse(CREATE), {**data, "link_code": "1", "carnet_code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_person_detail", args=[josiane.pk])
    assert LearnerStructure.objects.filter(learner=josiane, structure=structure_a).exists()
    consent = SharingConsent.objects.get(learner=josiane, structure=structure_a)
    assert consent.method == "carnet" and consent.given_by == user and consent.is_active
    assert Learner.objects.filter(first_name="Josiane").count() == 1
    row = audit_rows(user=user, learner=josiane, action=AuditAction.UPDATE)[-1]
    assert "accord de partage (code du carnet)" in row.detail


def test_asking_for_the_link_creates_own_record_and_a_request(client, request, people, structure_a):
    from learners.models import LinkRequest

    josiane = people["josiane"]
    login(client, request, "counsellor_a")
    data = person_data(first_name="Josiane", last_name="Morel", birth_year="1951")
    client.post(reverse(CREATE), data)
    response = client.post(reverse(CREATE), {**data, "create_and_request": "1"})
    assert response.status_code == 302
    own = Learner.objects.get(first_name="Josiane", structure=structure_a)
    assert response["Location"] == reverse("learners_person_detail", args=[own.pk])
    request_row = LinkRequest.objects.get()
    assert (request_row.learner, request_row.own_record) == (josiane, own)
    assert request_row.structure == structure_a and request_row.closed_at is None
    # Still nothing of the other record.
    assert not LearnerStructure.objects.filter(learner=josiane, structure=structure_a).exists()
    assert client.get(reverse("learners_person_detail", args=[josiane.pk])).status_code == 404


def test_a_forged_candidate_index_is_harmless(client, request, people, structure_a):
    login(client, request, "counsellor_a")
    data = person_data(first_name="Josiane", last_name="Morel", birth_year="1951")
    response = client.post(reverse(CREATE), {**data, "match": "7"})
    assert response.status_code == 200
    assert "a expiré" in response.content.decode()
    assert LearnerStructure.objects.filter(structure=structure_a).count() == 2


def test_create_anyway(client, request, people):
    login(client, request, "counsellor_a")
    data = person_data(first_name="Josiane", last_name="Morel", birth_year="1951")
    client.post(reverse(CREATE), data)
    response = client.post(reverse(CREATE), {**data, "create_anyway": "1"})
    assert response.status_code == 302
    assert Learner.objects.filter(normalized_name="josianemorel").count() == 2


def test_a_readable_candidate_opens_the_existing_record(client, request, people):
    login(client, request, "counsellor_a")
    data = person_data(first_name="helene", last_name="DURAND", birth_year="1948")
    response = client.post(reverse(CREATE), data)
    assert response.context["candidates"][0].learner_id == people["helene"].pk
    response = client.post(reverse(CREATE), {**data, "match": "0"})
    assert response["Location"] == reverse("learners_person_detail", args=[people["helene"].pk])
    assert Learner.objects.filter(normalized_name="helenedurand").count() == 1


def test_create_is_refused_to_partner_editors(client, request, people):
    login(client, request, "partner_editor")
    assert_refused(client.get(reverse(CREATE)))
    assert_refused(client.post(reverse(CREATE), person_data()))
    assert not Learner.objects.filter(first_name="Paulette").exists()


def test_commune_search_button_reloads_without_creating(client, request, people):
    login(client, request, "counsellor_a")
    CommuneFactory(name="Landeronde", postal_codes="85150")
    response = client.post(reverse(CREATE), person_data(commune_q="lande", search_commune="1"))
    assert response.status_code == 200
    assert "Landeronde (85150)" in response.content.decode()
    assert not Learner.objects.filter(first_name="Paulette").exists()


# --- Edit --------------------------------------------------------------------------------


def edit_url(learner):
    return reverse("learners_person_edit", args=[learner.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", 200), ("counsellor_a", 200), ("counsellor_b", 404), ("partner_editor", 0)],
)
def test_edit_access(client, request, people, role, status):
    login(client, request, role)
    response = client.get(edit_url(people["helene"]))
    if status:
        assert response.status_code == status
    else:
        assert_refused(response)
    if status != 200:
        assert "Durand" not in response.content.decode()


def test_edit_anonymous_is_sent_to_login(client, people):
    assert_login_redirect(client.get(edit_url(people["helene"])))


def test_edit_saves_and_logs_changed_fields(client, request, people):
    helene = people["helene"]
    user = login(client, request, "counsellor_a")
    form = client.get(edit_url(helene)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        commune=helene.commune.insee_code,
        information_given_at=helene.information_given_at.isoformat(),
        social_status="retraite",
        contact_consent="on",
        email="helene@example.org",
    )
    response = client.post(edit_url(helene), data)
    assert response.status_code == 302
    helene.refresh_from_db()
    assert helene.social_status == "retraite" and helene.email == "helene@example.org"
    row = audit_rows(user=user, learner=helene, action=AuditAction.UPDATE)[-1]
    assert "email" in row.detail and "social_status" in row.detail
    assert "helene@example.org" not in row.detail
    # Withdrawing consent erases the contact details.
    data.pop("contact_consent")
    data["email"] = ""
    client.post(edit_url(helene), data)
    helene.refresh_from_db()
    assert helene.email == "" and not helene.contact_consent


def test_edit_refuses_email_without_consent(client, request, people):
    helene = people["helene"]
    login(client, request, "counsellor_a")
    data = {**PersonFormData.of(helene), "email": "h@example.org"}
    response = client.post(edit_url(helene), data)
    assert response.status_code == 200
    assert "accord de la personne" in response.content.decode()
    helene.refresh_from_db()
    assert helene.email == ""


def test_edit_of_another_structure_is_404_on_post_too(client, request, people):
    helene = people["helene"]
    login(client, request, "counsellor_b")
    response = client.post(edit_url(helene), {**PersonFormData.of(helene), "last_name": "X"})
    assert response.status_code == 404
    helene.refresh_from_db()
    assert helene.last_name == "Durand"


class PersonFormData:
    @staticmethod
    def of(learner):
        return {
            "first_name": learner.first_name,
            "last_name": learner.last_name,
            "birth_year": learner.birth_year or "",
            "commune_q": learner.commune.name if learner.commune_id else "",
            "commune": learner.commune_id or "",
            "gender": learner.gender,
            "social_status": learner.social_status,
            "legal_basis": learner.legal_basis,
            "information_given_at": learner.information_given_at.isoformat()
            if learner.information_given_at
            else "",
            "phone": learner.phone,
            "email": learner.email,
            "notes": learner.notes,
        }
