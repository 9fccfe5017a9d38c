"""Taken orders, years and names are refused in Korean that reads: the placement form names the
program that has the order; every unique constraint staff can hit has a message of its own (no
「… 은/는 이미 존재합니다」); the delete action reads 「선택한 … 삭제」."""

import html

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from programs.models import PolicyArea, ProgramPlacement
from tests.programs.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def placement_form_errors(client, placement, **changes) -> str:
    url = reverse("admin:programs_programplacement_change", args=[placement.pk])
    data = change_form_data(client.get(url))
    data.update({name: str(value) for name, value in changes.items()})
    data["change_reason"] = "순서 정리"  # 2025 is confirmed: the form asks why
    response = client.post(url, data)
    assert response.status_code == 200, "the form should have been refused"
    return html.unescape(response.content.decode())


def test_a_taken_schedule_order_names_the_program_that_has_it(admin_client):
    first, second = ProgramPlacement.objects.filter(plan_year=2025, schedule_order__isnull=False).order_by(
        "schedule_order"
    )[:2]
    page = placement_form_errors(admin_client, first, schedule_order=second.schedule_order)
    order, name = second.schedule_order, second.program.name
    expected = f"2025년 추진일정 표 순서 {order}번은 이미 다른 사업(「{name}」)이 쓰고 있습니다."
    assert expected in page
    assert "은/는" not in page


def test_a_taken_budget_order_names_the_program_that_has_it(admin_client):
    first, second = ProgramPlacement.objects.filter(plan_year=2025, budget_order__isnull=False).order_by(
        "budget_order"
    )[:2]
    page = placement_form_errors(admin_client, first, budget_order=second.budget_order)
    assert (
        f"2025년 예산표 순서 {second.budget_order}번은 이미 다른 사업(「{second.program.name}」)이 쓰고 있습니다."
        in page
    )


def test_a_program_placed_twice_in_a_year_is_refused_in_words():
    placement = ProgramPlacement.objects.filter(plan_year=2025).first()
    twice = ProgramPlacement(plan_year_id=2025, program=placement.program, task=placement.task)
    with pytest.raises(ValidationError) as refused:
        twice.full_clean()
    assert refused.value.message_dict["plan_year"] == ["이 사업은 2025년 실행계획에 이미 편성되어 있습니다."]


def test_constraints_speak_korean_without_particle_patterns():
    area = PolicyArea.objects.filter(plan_year=2025).first()
    twin = PolicyArea(plan_year_id=2025, number=area.number, name="(합성) 같은 번호", budget_label="(합성)")
    with pytest.raises(ValidationError) as refused:
        twin.validate_constraints()
    assert refused.value.messages == ["이 실행계획 연도에는 같은 번호의 추진분야가 이미 있습니다."]
    # Every unique constraint of the project's apps says what is taken in its own words.
    silent = [
        f"{model._meta.label}.{constraint.name}"
        for app in ("programs", "companies", "centers")
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert silent == []


def test_the_delete_action_reads_without_a_particle_pattern(admin_client):
    page = admin_client.get(reverse("admin:programs_planyear_changelist")).content.decode()
    assert "선택한 연도별 실행계획 삭제" in page
    assert "을/를" not in page
