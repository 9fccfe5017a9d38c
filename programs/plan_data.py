"""Load the plan's structure and figures from fixtures/programs/ (used by `manage.py load_plan`).

Every loader is an idempotent upsert keyed on a natural key: a second run finds every row equal
and writes nothing. Fields staff maintain during the year (milestone status) are set only when
the row is first created.
"""

import json
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from programs.formats import million_to_won
from programs.models import (
    Achievement,
    FocusTechnology,
    Measure,
    Milestone,
    Ministry,
    PlanYear,
    PlanYearStatus,
    PolicyArea,
    Program,
    ProgramBudget,
    ProgramPlacement,
    ProgramTerm,
    Task,
)

FIXTURES = settings.BASE_DIR / "fixtures" / "programs"


def read_fixture(name: str) -> dict:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return json.load(handle)


ACTION_LABELS = {"created": "새로 만든 행", "updated": "바뀐 행"}


def upsert(model: type[models.Model], lookup: dict, values: dict, create_only: dict | None = None):
    """Create or update one row; saves only when a value differs. Returns (obj, action)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(create_only or {}))
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return obj, "unchanged"
    for field in changed:
        setattr(obj, field, values[field])
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj, "updated"


def find_program(name_or_alias: str) -> Program:
    """The program a plan table names, by its name or one of its aliases."""
    for program in Program.objects.all():
        if name_or_alias == program.name or name_or_alias in program.alias_list:
            return program
    raise LookupError(f"계획 자료의 사업명 '{name_or_alias}'에 해당하는 사업이 없습니다.")


def plan_year() -> PlanYear:
    """The plan year the fixtures describe (2025), loaded as confirmed: it is the published plan."""
    year = read_fixture("hierarchy.json")["plan_year"]["year"]
    return PlanYear.objects.get(year=year)


def load_hierarchy() -> Counter:
    data = read_fixture("hierarchy.json")
    counts = Counter()
    meta = data["plan_year"]
    year, action = upsert(
        PlanYear,
        {"year": meta["year"]},
        {"title": meta["title"], "source_document": meta["source_document"]},
        create_only={"status": PlanYearStatus.CONFIRMED, "confirmed_at": timezone.now()},
    )
    tally(counts, "실행계획 연도", action)
    for row in data["ministries"]:
        _, action = upsert(Ministry, {"code": row["code"]}, {k: row[k] for k in ("name", "short_name", "order")})
        tally(counts, "소관부처", action)
    for row in data["areas"]:
        _, action = upsert(
            PolicyArea,
            {"plan_year": year, "number": row["number"]},
            {"name": row["name"], "budget_label": row["budget_label"]},
        )
        tally(counts, "추진분야", action)
    areas = {area.number: area for area in PolicyArea.objects.filter(plan_year=year)}
    for row in data["tasks"]:
        _, action = upsert(
            Task,
            {"area": areas[row["area"]], "number": row["number"]},
            {"name": row["name"], "heading": row.get("heading", "")},
        )
        tally(counts, "추진과제", action)
    return counts


def _program_values(row: dict, ministries: dict) -> dict:
    stated = row.get("stated_amount_eok")
    return {
        "name": row["name"],
        "aliases": "\n".join(row.get("aliases", [])),
        "ministry": ministries[row["ministry"]],
        "executing_agency": row.get("executing_agency", ""),
        "start_year": row.get("start_year"),
        "end_year": row.get("end_year"),
        "description": row.get("description", ""),
        "stated_amount_eok": Decimal(stated) if stated is not None else None,
    }


def year_tasks(year: PlanYear) -> dict[str, Task]:
    return {task.code: task for task in Task.objects.filter(area__plan_year=year)}


def load_programs() -> Counter:
    data = read_fixture("programs.json")
    loaded_year = plan_year()
    tasks = year_tasks(loaded_year)
    ministries = {ministry.code: ministry for ministry in Ministry.objects.all()}
    counts = Counter()
    for row in data["budget_programs"] + data["linked_programs"]:
        program, action = upsert(Program, {"code": row["code"]}, _program_values(row, ministries))
        tally(counts, "사업", action)
        placement = row["placement"]  # the program in this plan year: task, budget table row, ministry stated
        _, action = upsert(
            ProgramPlacement,
            {"plan_year": loaded_year, "program": program},
            {
                "task": tasks[placement["task"]],
                "has_budget_line": "order" in placement,
                "budget_order": placement.get("order"),
                "ministry_stated": placement["ministry_stated"],
            },
        )
        tally(counts, "연도별 사업 편성", action)
        for year in (2024, 2025):
            amount = row.get(f"budget_{year}")
            if amount is not None:  # the plan prints '-' for a program without that year's budget
                _, action = upsert(
                    ProgramBudget, {"program": program, "year": year}, {"amount": million_to_won(amount)}
                )
                tally(counts, "연도별 예산", action)
        for order, term in enumerate(row.get("terms", []), start=1):
            _, action = upsert(
                ProgramTerm,
                {"program": program, "order": order},
                {
                    "kind": term["kind"],
                    "condition": term["condition"],
                    "amount": term.get("amount"),
                    "value": Decimal(term["value"]) if "value" in term else None,
                    "is_approximate": term.get("approximate", False),
                    "source": term["source"],
                },
            )
            tally(counts, "사업 지원 조건", action)
    return counts


def load_measures() -> Counter:
    data = read_fixture("measures.json")
    tasks = {task.code: task for task in Task.objects.select_related("area")}
    programs = {program.code: program for program in Program.objects.all()}
    counts = Counter()
    for row in data["measures"]:
        _, action = upsert(
            Measure,
            {"name": row["name"]},
            {
                "task": tasks[row["task"]],
                "order": row["order"],
                "heading": row["heading"],
                "description": row["description"],
                "participants": row.get("participants", ""),
                "program": programs[row["program"]] if row.get("program") else None,
                "source": row["source"],
            },
        )
        tally(counts, "비예산 추진 내용", action)
    return counts


def load_schedule() -> Counter:
    data = read_fixture("schedule.json")
    year = data["year"]
    counts = Counter()
    _place_in_schedule(year, [find_program(row["program"]) for row in data["rows"]], counts)
    for row in data["rows"]:
        program = find_program(row["program"])
        order = 0
        for item in row["items"]:
            for label, start_month, end_month in item["milestones"]:
                order += 1
                _, action = upsert(
                    Milestone,
                    {"program": program, "year": year, "order": order},
                    {
                        "plan_text": item["text"],
                        "label": label,
                        "start_month": start_month,
                        "end_month": end_month,
                    },
                )
                tally(counts, "추진일정", action)
    return counts


def _place_in_schedule(year: int, programs: list[Program], counts: Counter) -> None:
    """Store the order of `year`'s 추진일정 table on the year's placements (programs it does not
    list have none).

    Orders that change are cleared first, so that swapping two programs never meets the unique
    constraint half-way."""
    wanted = {program.pk: order for order, program in enumerate(programs, start=1)}
    placements = ProgramPlacement.objects.filter(plan_year=year)
    unplaced = set(wanted) - set(placements.values_list("program_id", flat=True))
    if unplaced:
        names = ", ".join(sorted(Program.objects.filter(pk__in=unplaced).values_list("name", flat=True)))
        raise LookupError(f"추진일정 표의 사업이 {year}년 실행계획에 편성되어 있지 않습니다: {names}")
    moved = [p.pk for p in placements if p.schedule_order != wanted.get(p.program_id)]
    ProgramPlacement.objects.filter(pk__in=moved).update(schedule_order=None)
    # Re-read after the update: it raised their versions, and save() compares versions.
    for placement in ProgramPlacement.objects.filter(pk__in=moved):
        placement.schedule_order = wanted.get(placement.program_id)
        placement.save(update_fields=["schedule_order"])
        counts[ACTION_LABELS["updated"]] += 1


def load_achievements() -> Counter:
    data = read_fixture("achievements.json")
    year = plan_year()
    programs = {program.code: program for program in Program.objects.in_year(year.year)}
    tasks = year_tasks(year)
    counts = Counter()
    for order, row in enumerate(data["achievements"], start=1):
        values = {
            "value": Decimal(row["value"]),
            "unit": row["unit"],
            "program": programs.get(row.get("program")),
            "task": tasks.get(row.get("task")) if "task" in row else programs[row["program"]].placement.task,
            "source": row["source"],
            "order": order,
        }
        _, action = upsert(Achievement, {"year": row["year"], "indicator": row["indicator"]}, values)
        tally(counts, "실적", action)
    focus = data["focus_technologies"]
    program = programs[focus["program"]]
    for order, (field, technology, industries) in enumerate(focus["rows"], start=1):
        _, action = upsert(
            FocusTechnology,
            {"year": focus["year"], "field": field},
            {"order": order, "technology": technology, "related_industries": industries, "program": program},
        )
        tally(counts, "핵심 공정기술", action)
    return counts


def load() -> dict[str, int]:
    counts = Counter()
    for loader in (load_hierarchy, load_programs, load_schedule, load_achievements, load_measures):
        counts.update(loader())
    return dict(counts)


def tally(counts: Counter, label: str, action: str) -> None:
    """Count a loaded row under its label, and under 새로 만든 행 / 바뀐 행 when it was written."""
    counts[label] += 1
    if action in ACTION_LABELS:
        counts[ACTION_LABELS[action]] += 1
