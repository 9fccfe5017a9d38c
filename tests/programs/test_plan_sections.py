"""The reference data `load_plan` stores, compared with the plan document at its place (plan_sections)."""

from decimal import Decimal

import pytest

from centers.models import CommitteeDirection, SupportCenter
from companies.choices import StatedMeasure, WorkforceColumn
from companies.models import IndustryStanding, PopulationTable, PopulationTotal, StatedShare, WorkforceFigure
from programs import selectors
from programs.models import Measure, Milestone, PolicyArea, Program, ProgramTerm, Task, TermKind
from tests.programs import plan_sections

pytestmark = pytest.mark.django_db

TRILLION = 10**12


def trillion(amount_won: int) -> Decimal:
    return Decimal(amount_won) / TRILLION


def test_standing_table_is_stored_as_printed():
    printed = plan_sections.standing_table()
    standing = IndustryStanding.objects.get(year=2023)
    for prefix, label in (("manufacturing", "제조업"), ("root", "뿌리산업")):
        row = printed[label]
        assert getattr(standing, f"{prefix}_firms") == row.firms
        assert getattr(standing, f"{prefix}_workers") == row.workers
        assert trillion(getattr(standing, f"{prefix}_sales")) == row.sales
        assert trillion(getattr(standing, f"{prefix}_exports")) == row.exports
    shares = printed["제조업 내 비중(%)"]
    assert (standing.firm_share, standing.worker_share, standing.sales_share, standing.export_share) == (
        shares.firms,
        shares.workers,
        shares.sales,
        shares.exports,
    )


def test_total_rows_of_the_industry_and_size_tables():
    industry = PopulationTotal.objects.get(table=PopulationTable.INDUSTRY)
    first = plan_sections.industry_table()[0]
    assert first.label == "뿌리산업"
    assert (industry.firms, industry.workers, trillion(industry.sales), trillion(industry.exports)) == (
        first.firms,
        first.workers,
        first.sales,
        first.exports,
    )
    size = PopulationTotal.objects.get(table=PopulationTable.SIZE)
    whole = plan_sections.size_table()[0]
    assert whole.label == "전 체"
    assert (size.firms, Decimal(size.workers) / 10_000, trillion(size.sales)) == (
        whole.firms,
        whole.workers_10k,
        whole.sales,
    )


def test_workforce_table_and_its_footnote():
    printed = plan_sections.workforce_table()
    footnote = plan_sections.job_share_footnote()
    stored = {figure.get_column_display(): figure for figure in WorkforceFigure.objects.filter(year=2023)}
    assert list(stored) == plan_sections.WORKFORCE_COLUMNS  # the table's column order
    for label, column in printed.items():
        figure = stored[label]
        assert (figure.workers, figure.shortage, figure.shortage_rate) == (
            column.workers,
            column.shortage,
            column.shortage_rate,
        )
        assert figure.job_share == footnote.get(label)
    assert stored["기능직"].column == WorkforceColumn.SKILLED and stored["기능직"].job_share == Decimal("54.0")


def test_trend_series_and_prose_shares():
    stored = {(share.measure, share.subject, share.year): share.value for share in StatedShare.objects.all()}
    for measure, series in plan_sections.trend_series().items():
        assert {year: stored[(measure, "", year)] for year in series} == series
        assert {year for m, _, year in stored if m == measure} == set(series)
    for (measure, subject), value in plan_sections.prose_shares().items():
        assert stored[(measure, subject, 2023)] == value, (measure, subject)
    places = StatedShare.objects.get(measure=StatedMeasure.REGION_FIRM_SHARE, subject="수도권").places
    assert places == 0  # printed 58%, checked at whole percent


def test_committee_direction_table():
    printed = plan_sections.committee_direction_table()
    stored = {row.aspect: (row.current, row.planned) for row in CommitteeDirection.objects.order_by("order")}
    assert stored == printed and list(stored) == list(printed)


def test_one_name_per_area_and_task_with_both_labels_kept():
    names = plan_sections.area_names_of_section_three()
    for area in PolicyArea.objects.all():
        assert area.name == names[area.number]  # III장 표
        assert str(area) == f"{area.number}. {area.budget_label}"  # what every screen shows
    assert str(PolicyArea.objects.get(number=3)) == "3. 뿌리산업 생태계 강화"
    for number, tasks in plan_sections.task_names_of_section_three().items():
        assert list(Task.objects.filter(area__number=number).order_by("number").values_list("name", flat=True)) == tasks
    assert Task.objects.get(area__number=3, number=1).name == "뿌리산업 특화단지 지역연계 강화"
    headings = [task.heading for task in Task.objects.order_by("area__number", "number") if task.heading]
    assert headings == plan_sections.task_headings_of_section_four()
    assert PolicyArea._meta.get_field("name").verbose_name == "추진분야명(III장 표)"
    assert "V장" in PolicyArea._meta.get_field("budget_label").verbose_name


def test_schedule_order_is_the_documents():
    printed = plan_sections.schedule_rows()
    programs_in_order = list(dict.fromkeys(program for _, program, _ in printed))
    stored = Program.objects.in_year(2025).filter(placement__schedule_order__isnull=False).in_schedule_order()
    assert [program.placement.schedule_order for program in stored] == list(range(1, len(programs_in_order) + 1))
    for program, name in zip(stored, programs_in_order, strict=True):
        assert name in (program.name, *program.alias_list)
    area_one = [p.name for p in stored if p.placement.task.area.number == 1]
    assert area_one[0] == "취업매칭버스" and area_one[-1] == "수출바우처"
    lines = selectors.milestones_in_schedule_order(year=2025).values_list("program_id", "plan_text")
    texts = [text for _, text in dict.fromkeys(lines)]
    assert texts == [item for _, _, item in printed]


def test_seven_schedule_items_without_a_month_are_year_round_not_in_every_quarter():
    year_round = Milestone.objects.filter(start_month__isnull=True)
    assert year_round.count() == 7
    for milestone in year_round:
        assert milestone.is_year_round and milestone.quarters == set() and milestone.months_label == "연중"
    assert Milestone.objects.get(program__code="polytech").quarters == {1, 2, 3, 4}  # 3~12월


def test_program_terms_are_numbers_of_the_program():
    youth = ProgramTerm.objects.filter(program__code="youth-job-leap").order_by("order")
    assert [term.amount for term in youth] == plan_sections.youth_job_amounts()
    assert [term.value_label for term in youth] == ["720만원", "480만원"]
    fund = ProgramTerm.objects.filter(program__code="sme-policy-fund").order_by("order")
    assert [term.value for term in fund] == plan_sections.policy_fund_rates()
    assert [term.value_label for term in fund] == ["3%p", "△0.3%p"]
    years, amount = plan_sections.smart_process_terms()
    smart = {term.kind: term for term in ProgramTerm.objects.filter(program__code="smart-process")}
    assert smart[TermKind.MAX_YEARS].value == years and smart[TermKind.MAX_AMOUNT].amount == amount
    assert smart[TermKind.MAX_AMOUNT].value_label == "10억원 내외"


def test_section_four_measures_without_a_model_before():
    measures = {measure.name: measure for measure in Measure.objects.select_related("task", "program")}
    assert set(measures) == {"신증설 입지지원", "차세대 경영인 네트워크", "수요산업 커미티"}
    openings = {
        "신증설 입지지원": "신증설 뿌리기업 대상",
        "차세대 경영인 네트워크": "뿌리분야 신산업 창출과 경영혁신",
        "수요산업 커미티": "신규과제 컨설팅 및 '26년 연구방향",
    }
    for name, opening in openings.items():
        line = plan_sections.measure_line(opening).replace("*", "")  # without the footnote marks
        assert measures[name].description in line or line.startswith(measures[name].description)
    assert measures["수요산업 커미티"].program.code == "core-tech-rnd"
    assert measures["신증설 입지지원"].task.code == "1-2"


def test_ministry_stated_only_where_the_plan_states_it():
    inferred = Program.objects.in_year(2025).ministry_inferred()
    assert inferred.count() == 15
    smart = Program.objects.in_year(2025).get(code="smart-process")
    assert smart.placement.ministry_stated  # 성장 메뉴판: 지능형공정(산업부)
    assert ("지능형공정", "산업부") in plan_sections.growth_menu_matches()
    policy = Program.objects.in_year(2025).get(code="policy-foundation")
    assert policy.ministry_label == "산업부 (추정)" and policy.ministry_full_label == "산업통상자원부 (추정)"


def test_centers_support_fields_as_printed():
    fields = dict(SupportCenter.objects.filter(kind="regional").values_list("locality", "field_label"))
    assert fields["시흥"] == "6대 기반공정" and fields["순천"] == "표면처리, 소성가공"
