"""The admin index dashboard: the committee's charts as HTML bars, with the figures beside them."""

import re

import pytest
from django.urls import reverse

from companies.models import Industry, Province
from programs.models import BudgetExecution, Program
from tests.companies.helpers import make_application, make_company

pytestmark = pytest.mark.django_db


def dashboard(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def module(body: str, heading: str) -> str:
    """The HTML of the module whose <h2> starts with `heading`, up to the next module."""
    start = body.index(f"<h2>{heading}")
    end = body.find('<div class="module">', start)
    return body[start : end if end != -1 else len(body)]


def test_budget_by_area_last_year_and_this_year_with_links(admin_client):
    body = dashboard(admin_client)
    budget = module(body, "추진분야별 지원예산 '24 대비 '25")
    for text in ("311,438", "331,841", "320,741", "344,116", "7,920", "8,600", "640,099", "684,557"):
        assert text in budget
    assert budget.count('class="bar previous"') == 3 and budget.count('class="bar budget"') == 3
    assert reverse("admin:programs_program_changelist") + "?task__area__id__exact=" in budget
    for text in ("일정이 가장 늦은 사업", "30일 안에 예정된 일정", "최근 사업 신청", "엑셀 내려받기"):
        assert text in body


def test_execution_rate_by_program(admin_client):
    smart = Program.objects.get(code="smart-process")  # 3,000 백만원
    BudgetExecution.objects.create(program=smart, year=2025, month=4, amount=1_500_000_000)
    rates = module(dashboard(admin_client), "사업별 집행률")
    assert rates.count('class="bar executed') == 17
    row = rates[rates.index("지능형 뿌리공정 시스템 구축") :]
    assert re.search(r'<td class="num">50\.0</td>', row[:300])
    assert 'style="width: 50.0%"' in row[:500]


def test_schedule_status_by_area_counts_every_item_once(admin_client):
    schedule = module(dashboard(admin_client), "추진분야별 일정 상태")
    totals = [int(value) for value in re.findall(r'</td><td class="num">(\d+)</td>\s*<td class="bar-cell">', schedule)]
    assert sum(totals) == 36  # 36 items, the 7 연중 ones once each


def test_applications_and_company_shares_plan_against_registered(admin_client):
    company = make_company(
        name="강원주조", industry=Industry.objects.get(name="주조"), province=Province.objects.get(short_name="강원")
    )
    make_application(company, Program.objects.get(code="export-voucher"), status="selected")
    body = dashboard(admin_client)
    applications = module(body, "2025년 사업별 신청 상태")
    assert "수출바우처" in applications and "선정 1건" in applications
    shares = module(body, "뿌리기업 비중: 계획('23) 대 등록")
    gangwon = shares[shares.index("강원/제주") :][:400]
    assert "0.8" in gangwon and "100.0" in gangwon  # plan 0.8% printed, the one registered company


def test_training_targets_against_last_year_and_registered(admin_client):
    targets = module(dashboard(admin_client), "인력양성 목표 대비 실적")
    designations = targets[targets.index("신규 지정") :][:600]
    assert '<td class="num">3</td>' in designations and "2개교 이상" in designations
