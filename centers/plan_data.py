"""Load the plan's support institutions from fixtures/centers/ (used by `manage.py load_plan`).

Runs after programs and companies, whose programs, 업종 and 시·도 it links to. Every row is an
idempotent upsert keyed on its natural key: a second run finds every row equal and writes nothing.
A program, 업종 or 시·도 named in a fixture that does not exist stops the load with a clear message,
rather than loading an institution half-linked.
"""

import json
from collections import Counter

from django.conf import settings
from django.db import models

from centers.models import (
    CommitteeDirection,
    PlanTarget,
    ServiceType,
    SpecializedComplex,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
)
from companies.models import Industry, IndustryGroup, Province
from programs.models import Achievement, Program

FIXTURES = settings.BASE_DIR / "fixtures" / "centers"


class PlanDataError(LookupError):
    """A fixture names something (사업, 업종, 시·도) that the database does not have."""


def read_fixture(name: str) -> dict:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)


def upsert(model: type[models.Model], lookup: dict, values: dict, m2m: dict | None = None) -> str:
    """Create or update one row, its many-to-many sets included; writes only what differs."""
    obj = model.objects.filter(**lookup).first()
    action = "unchanged"
    if obj is None:
        obj = model(**lookup, **values)
        action = "created"
    else:
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        for field in changed:
            setattr(obj, field, values[field])
        if changed:
            action = "updated"
    if action != "unchanged":
        obj.full_clean()
        obj.save()
    for field, wanted in (m2m or {}).items():
        manager = getattr(obj, field)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in wanted}:
            manager.set(wanted)
            action = "updated" if action == "unchanged" else action
    return action


def find_program(code: str | None) -> Program | None:
    if not code:
        return None
    program = Program.objects.filter(code=code).first()
    if program is None:
        raise PlanDataError(
            f"지원기관 기준 자료가 가리키는 사업 코드 '{code}'이(가) 없습니다. 사업 기준 자료를 먼저 불러오세요."
        )
    return program


def find_province(name: str | None) -> Province | None:
    if not name:
        return None
    for province in Province.objects.all():
        aliases = {alias.strip() for alias in province.aliases.split(",") if alias.strip()}
        if name in {province.name, province.short_name} | aliases:
            return province
    raise PlanDataError(f"지원기관 기준 자료의 시·도 '{name}'이(가) 없습니다.")


def find_industries(fields: str, field_groups: dict[str, str] | None = None) -> list[Industry]:
    """업종 from the plan's wording: '금형, 소성가공', or a whole group such as '6대 기반공정'."""
    industries = []
    for token in (part.strip() for part in fields.split(",")):
        if not token:
            continue
        if field_groups and token in field_groups:
            group = IndustryGroup.objects.filter(name=field_groups[token]).first()
            if group is None:
                raise PlanDataError(f"지원 분야 '{token}'의 업종 그룹 '{field_groups[token]}'이(가) 없습니다.")
            industries.extend(group.industries.order_by("order"))
            continue
        industries.append(find_industry(token))
    return industries


def find_industry(name: str) -> Industry:
    for industry in Industry.objects.all():
        aliases = {alias.strip() for alias in industry.aliases.split(",") if alias.strip()}
        if name == industry.name or name in aliases:
            return industry
    raise PlanDataError(f"지원기관 기준 자료의 업종 '{name}'이(가) 없습니다.")


def tally(counts: Counter, label: str, action: str) -> None:
    counts[label] += 1
    if action == "created":
        counts["새로 만든 행"] += 1
    elif action == "updated":
        counts["바뀐 행"] += 1


def load_service_types(counts: Counter) -> None:
    for row in read_fixture("service_types.json")["service_types"]:
        action = upsert(ServiceType, {"code": row["code"]}, {"name": row["name"], "order": row["order"]})
        tally(counts, "기술지원 서비스 유형", action)


def load_centers(counts: Counter) -> None:
    data = read_fixture("centers.json")
    service_types = {service.code: service for service in ServiceType.objects.all()}
    for row in data["centers"]:
        values = {
            "kind": row["kind"],
            "order": row["order"],
            "locality": row["locality"],
            "province": find_province(row["province"]),
            "site": row["site"],
            "field_label": row["fields"],
            "field_note": row.get("field_note", ""),
            "equipment_count": row["equipment_count"],
            "program": find_program(row.get("program")),
            "status": row["status"],
            "description": row.get("description", ""),
        }
        m2m = {
            "industries": find_industries(row["fields"], data["field_groups"]),
            "service_types": [service_types[code] for code in row["service_types"]],
        }
        tally(counts, "지원센터", upsert(SupportCenter, {"name": row["name"]}, values, m2m))


def load_complexes(counts: Counter) -> None:
    data = read_fixture("complexes.json")
    for order, row in enumerate(data["committee_directions"], start=1):
        values = {"order": order, "current": row["current"], "planned": row["planned"], "source": row["source"]}
        tally(counts, "운영위원회 추진 방향", upsert(CommitteeDirection, {"aspect": row["aspect"]}, values))
    for row in data["complexes"]:
        values = {
            "locality": row["locality"],
            "province": find_province(row["province"]),
            "program": find_program(row.get("program")),
            "description": row.get("description", ""),
        }
        m2m = {"industries": find_industries(row["fields"])}
        tally(counts, "특화단지", upsert(SpecializedComplex, {"name": row["name"]}, values, m2m))


def load_institutions(counts: Counter) -> None:
    for row in read_fixture("institutions.json")["institutions"]:
        values = {
            "kind": row["kind"],
            "locality": row["locality"],
            "province": find_province(row["province"]),
            "designated_year": row["designated_year"],
            "status": row["status"],
            "program": find_program(row.get("program")),
            "description": row.get("description", ""),
        }
        m2m = {"industries": find_industries(row["fields"])}
        tally(counts, "인력양성기관", upsert(TrainingInstitution, {"name": row["name"]}, values, m2m))
        institution = TrainingInstitution.objects.get(name=row["name"])
        for course in row.get("courses", []):
            lookup = {"institution": institution, "year": course["year"], "name": course["name"]}
            values = {
                "course_type": course["course_type"],
                "industry": find_industry(course["field"]) if course["field"] else None,
                "capacity": course["capacity"],
            }
            tally(counts, "교육과정", upsert(TrainingCourse, lookup, values))


def find_achievement(reference: dict | None) -> Achievement | None:
    if not reference:
        return None
    achievement = Achievement.objects.filter(year=reference["year"], indicator=reference["indicator"]).first()
    if achievement is None:
        raise PlanDataError(
            f"목표의 전년 실적 '{reference['year']}년 {reference['indicator']}'이(가) 없습니다. "
            "사업 기준 자료(실적)를 확인하세요."
        )
    return achievement


def load_targets(counts: Counter) -> None:
    for row in read_fixture("targets.json")["targets"]:
        lookup = {key: row[key] for key in ("subject", "year", "indicator")}
        values = {
            "value": row["value"],
            "is_lower_bound": row.get("is_lower_bound", False),
            "unit": row["unit"],
            "baseline": find_achievement(row.get("baseline")),
            "baseline_start": find_achievement(row.get("baseline_start")),
            "program": find_program(row.get("program")),
            "source": row["source"],
        }
        tally(counts, "인력양성 계획 목표", upsert(PlanTarget, lookup, values))


def load() -> dict[str, int]:
    counts = Counter()
    load_service_types(counts)
    load_centers(counts)
    load_complexes(counts)
    load_institutions(counts)
    load_targets(counts)
    return dict(counts)
