"""The credential document: an Open Badges 3.0 `OpenBadgeCredential` (W3C VC 2.0).

Choice: one `Achievement` per attestation (the schema allows one per credential), whose
`alignment` lists each competence with its framework code, and whose `resultDescription`
gives each competence's scale; `credentialSubject.result` says the level reached. So one
credential carries every competence the person chose, and a verifier reads each one
against its framework.

Personal data: the subject is a random `urn:uuid` (no e-mail, no account), with the first
name and the initial of the surname as an `IdentityObject` of type "name" only when the
person chose so. No surname, no birth date, no contact.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
CREDENTIAL_NAME = "Attestation de compétences numériques"


@dataclass(frozen=True)
class CompetenceLine:
    code: str
    name: str
    framework: str
    framework_url: str
    levels: tuple[str, ...]  # the framework's scale, lowest first
    level_reached: str


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str  # the verification URL
    subject_id: str  # urn:uuid:…
    issuer_id: str
    issuer_name: str
    site_url: str
    valid_from: datetime.datetime
    holder_name: str  # "Odette M." or "" (none, as the person chose)
    competences: tuple[CompetenceLine, ...]


def iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _criteria_narrative(lines: tuple[CompetenceLine, ...]) -> str:
    reached = "; ".join(f"{line.code} {line.name} : {line.level_reached}" for line in lines)
    return (
        "Niveau observé par un conseiller ou une conseillère numérique de la structure, "
        f"au cours de l'accompagnement. {reached}."
    )


def _result_description(index: int, line: CompetenceLine, base: str) -> dict:
    return {
        "id": f"{base}#competence-{index}",
        "type": ["ResultDescription"],
        "name": f"{line.code} {line.name}",
        "resultType": "RubricCriterionLevel",
        "alignment": [_alignment(line)],
        "rubricCriterionLevel": [
            {
                "id": f"{base}#competence-{index}-niveau-{rank}",
                "type": ["RubricCriterionLevel"],
                "name": level,
                "level": str(rank),
            }
            for rank, level in enumerate(line.levels)
        ],
    }


def _alignment(line: CompetenceLine) -> dict:
    return {
        "type": ["Alignment"],
        "targetName": line.name,
        "targetCode": line.code,
        "targetFramework": line.framework,
        "targetType": "ceasn:Competency",
        "targetUrl": line.framework_url,
    }


def _result(index: int, line: CompetenceLine, base: str) -> dict:
    rank = line.levels.index(line.level_reached)
    return {
        "type": ["Result"],
        "resultDescription": f"{base}#competence-{index}",
        "achievedLevel": f"{base}#competence-{index}-niveau-{rank}",
    }


def credential_document(facts: CredentialFacts) -> dict:
    base = facts.credential_id
    lines = facts.competences
    subject: dict = {
        "id": facts.subject_id,
        "type": ["AchievementSubject"],
        "achievement": {
            "id": f"{base}#realisation",
            "type": ["Achievement"],
            "achievementType": "Competency",
            "name": CREDENTIAL_NAME,
            "description": "Compétences numériques observées pendant l'accompagnement : "
            + ", ".join(f"{line.code} {line.name}" for line in lines)
            + ".",
            "criteria": {"narrative": _criteria_narrative(lines)},
            "inLanguage": "fr",
            "alignment": [_alignment(line) for line in lines],
            "resultDescription": [
                _result_description(i, line, base) for i, line in enumerate(lines, start=1)
            ],
        },
        # A competence worked in a whole cycle but never observed has no level to state.
        "result": [
            _result(i, line, base)
            for i, line in enumerate(lines, start=1)
            if line.level_reached in line.levels
        ],
    }
    if facts.holder_name:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": facts.holder_name,
            }
        ]
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": CREDENTIAL_NAME,
        "issuer": {
            "id": facts.issuer_id,
            "type": ["Profile"],
            "name": facts.issuer_name,
            "url": facts.site_url,
        },
        "validFrom": iso_utc(facts.valid_from),
        "credentialSubject": subject,
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }


@dataclass(frozen=True)
class ShownCompetence:
    code: str
    name: str
    framework: str
    level: str


@dataclass(frozen=True)
class CredentialSummary:
    """What a page shows of a credential: read from the signed document itself, so the
    page says exactly what the signature covers."""

    issuer_name: str
    issuer_id: str
    valid_from: datetime.datetime | None
    holder_name: str
    competences: tuple[ShownCompetence, ...]


def _levels_by_result(achievement: dict, subject: dict) -> dict[str, str]:
    names = {
        level.get("id"): level.get("name", "")
        for description in achievement.get("resultDescription") or []
        for level in description.get("rubricCriterionLevel") or []
    }
    return {
        result.get("resultDescription"): names.get(result.get("achievedLevel"), "")
        for result in subject.get("result") or []
    }


def credential_summary(credential: dict) -> CredentialSummary:
    issuer = credential.get("issuer") or {}
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    levels = _levels_by_result(achievement, subject)
    shown = []
    for index, alignment in enumerate(achievement.get("alignment") or [], start=1):
        shown.append(
            ShownCompetence(
                code=str(alignment.get("targetCode", "")),
                name=str(alignment.get("targetName", "")),
                framework=str(alignment.get("targetFramework", "")),
                level=levels.get(f"{credential.get('id')}#competence-{index}", ""),
            )
        )
    names = [
        i.get("identityHash", "")
        for i in subject.get("identifier") or []
        if i.get("identityType") == "name" and not i.get("hashed")
    ]
    try:
        valid_from = datetime.datetime.fromisoformat(
            str(credential.get("validFrom", "")).replace("Z", "+00:00")
        )
    except ValueError:
        valid_from = None
    return CredentialSummary(
        issuer_name=str(issuer.get("name", "")) if isinstance(issuer, dict) else "",
        issuer_id=str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer),
        valid_from=valid_from,
        holder_name=names[0] if names else "",
        competences=tuple(shown),
    )
