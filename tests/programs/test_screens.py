"""What staff see on the screens they live in: money typed in either unit, Korean names and
messages, list tables with their totals, the import batch page and the history page."""

import re

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from programs.models import BudgetExecution, ImportBatch, Ministry, Program, ProgramBudget, ReportSnapshot
from programs.money import MoneyFormField, parse_amount
from tests.centers.helpers import read_xlsx
from tests.companies.helpers import make_company
from tests.programs.admin_forms import add_inline_row, change_form_data
from tests.programs.test_execution_import import run, xlsx

pytestmark = pytest.mark.django_db

EXECUTIONS = "executions"


def change_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


class TestMoney:
    @pytest.mark.parametrize(
        "text,unit,won",
        [
            ("1,500", "million", 1_500_000_000),
            ("1,500,000,000", "won", 1_500_000_000),
            ("1500000000원", "million", 1_500_000_000),  # a unit typed after the number wins
            ("15억원", "won", 1_500_000_000),
            ("1.5", "million", 1_500_000),
            ("△1,740", "million", -1_740_000_000),
            ("", "won", None),
        ],
    )
    def test_amounts_typed_in_either_unit(self, text, unit, won):
        assert parse_amount(text, unit) == won

    @pytest.mark.parametrize("text", ["1,5OO", "0.5원", "십억"])
    def test_what_is_not_an_amount_is_refused_in_korean(self, text):
        with pytest.raises(ValueError, match="금액|원 단위"):
            parse_amount(text, "won")

    def test_every_amount_in_won_is_a_money_field(self):
        from django.apps import apps
        from django.db.models import BigIntegerField

        from programs.money import MoneyField

        plain = [
            f"{model._meta.label}.{field.name}"
            for model in apps.get_models()
            for field in model._meta.concrete_fields
            if isinstance(field, BigIntegerField) and "원" in str(field.verbose_name)
            and not isinstance(field, MoneyField) and not model._meta.label.split(".")[1].startswith("Historical")
        ]
        assert plain == []

    def test_every_money_field_of_the_admin_forms_uses_the_money_box(self, admin_client):
        page = admin_client.get(change_url(Program.objects.get(code="polytech")))
        budget_form = page.context["inline_admin_formsets"][0].formset.forms[0]
        assert isinstance(budget_form.fields["amount"], MoneyFormField)
        body = page.content.decode()
        # 42,718 백만원 shown in the plan's unit, the won amount beside it.
        assert 'value="42,718"' in body and "= 42,718,000,000원" in body
        company_page = admin_client.get(reverse("admin:companies_company_add"))
        assert isinstance(company_page.context["adminform"].form.fields["sales_amount"], MoneyFormField)

    def test_an_execution_typed_in_million_or_in_won_is_the_same_amount(self, admin_client):
        program = Program.objects.get(code="smart-process")
        for month, amount, unit in ((4, "1,200", "million"), (5, "1,200,000,000", "won")):
            data = change_form_data(admin_client.get(change_url(program)))
            data = add_inline_row(data, EXECUTIONS, {"year": 2025, "month": month, "amount": amount})
            index = int(data[f"{EXECUTIONS}-TOTAL_FORMS"]) - 1
            data[f"{EXECUTIONS}-{index}-amount_unit"] = unit
            admin_client.post(change_url(program), data)
        assert dict(BudgetExecution.objects.filter(program=program).values_list("month", "amount")) == {
            4: 1_200_000_000,
            5: 1_200_000_000,
        }

    def test_a_negative_execution_is_refused_with_the_models_message(self, admin_client):
        program = Program.objects.get(code="smart-process")
        data = add_inline_row(
            change_form_data(admin_client.get(change_url(program))),
            EXECUTIONS,
            {"year": 2025, "month": 4, "amount": "△5", "amount_unit": "million"},
        )
        response = admin_client.post(change_url(program), data)
        assert "집행액은 0원 이상이어야 합니다." in response.content.decode()
        assert not BudgetExecution.objects.filter(program=program).exists()


class TestLists:
    def test_program_totals_are_the_footer_of_the_same_table(self, admin_client):
        body = admin_client.get(reverse("admin:programs_program_changelist")).content.decode()
        table = body.split('<table id="result_list">')[1].split("</table>")[0]
        footer = table.split("<tfoot>")[1]
        assert "현재 목록 합계(백만원)" in footer and "640,099" in footer and "684,557" in footer
        # Budget headers and cells are numbers: right-aligned.
        assert re.search(r'<th scope="col" class="num [^"]*column-current_budget_display', table)
        assert '<td class="num field-current_budget_display">250,000</td>' in table

    def test_application_amounts_are_in_million_with_the_unit_in_the_header(self, admin_client):
        company = make_company(name="금액기업")
        program = Program.objects.get(code="polytech")
        company.applications.create(program=program, year=2025, requested_amount=55_000_000)
        body = admin_client.get(reverse("admin:companies_application_changelist")).content.decode()
        assert "신청액(백만원)" in body and '<td class="num field-requested_column">55</td>' in body

    def test_report_list_names_the_whole_ministry_scope(self, admin_client, admin_user):
        ReportSnapshot.objects.create(
            year=2025, file_name="위원회.xlsx", content=b"x", size=1, sha256="0" * 64, created_by=admin_user
        )
        body = admin_client.get(reverse("admin:programs_reportsnapshot_changelist")).content.decode()
        assert '<td class="field-scope_display">전체 부처</td>' in body

    def test_export_selected_rows_action_exports_only_the_ticked_rows(self, admin_client):
        from centers.models import SupportCenter

        chosen = list(SupportCenter.objects.order_by("pk")[:2])
        response = admin_client.post(
            reverse("admin:centers_supportcenter_changelist"),
            {"action": "export_selected", "_selected_action": [c.pk for c in chosen]},
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        rows = read_xlsx(response.content)
        assert sorted(row[0] for row in rows[1:]) == sorted(c.name for c in chosen)


class TestKorean:
    def test_permission_names_are_korean_after_migrate(self):
        assert not Permission.objects.filter(name__startswith="Can ").exists()
        assert Permission.objects.get(codename="view_program").name == "사업 보기"
        assert Permission.objects.get(codename="add_logentry").name == "로그 엔트리 추가"

    def test_group_page_lists_korean_permissions(self, admin_client):
        body = admin_client.get(reverse("admin:auth_group_add")).content.decode()
        assert "실행계획·사업 | 사업 | 사업 변경" in body and "Can " not in body

    def test_success_message_needs_no_particle(self, admin_client):
        response = admin_client.post(
            reverse("admin:programs_ministry_add"),
            {"name": "행정안전부", "short_name": "행안부", "code": "mois", "order": 9},
            follow=True,
        )
        assert Ministry.objects.filter(code="mois").exists()
        messages = [strip_tags(str(m)) for m in get_messages(response.wsgi_request)]
        assert messages == ["추가했습니다: 소관부처 「행정안전부」"]

    def test_access_log_reads_in_korean(self):
        log = AccessLog.objects.create(
            username="담당자", ip_address="127.0.0.1", user_agent="x", attempt_time=timezone.now()
        )
        assert str(log).startswith("담당자 접속 기록 (") and "Access Log" not in str(log)

    def test_favicon_answers(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 301 and response["Location"].endswith("programs/favicon.ico")

    def test_company_form_shows_the_registration_number_as_written(self, admin_client):
        company = make_company()
        body = admin_client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
        assert f'value="{company.brn_display}"' in body


class TestImportBatchPage:
    @pytest.fixture
    def batches(self, admin_user):
        first = run(xlsx([["polytech", f"2025-{m:02d}", m * 100] for m in range(1, 13)]), user=admin_user).batch
        second = run(xlsx([["robot-demo", "2025-01", 5]]), user=admin_user).batch
        return first, second

    def page(self, client, batch, **params):
        return client.get(reverse("admin:programs_importbatch_change", args=[batch.pk]), params)

    def test_every_batch_shows_its_own_rows(self, admin_client, batches):
        first, second = batches
        older = self.page(admin_client, first).context
        assert older["rows_page"].paginator.count == 12
        assert [item["row"].row_number for item in older["rows"]][:2] == [2, 3]
        newer = self.page(admin_client, second).context
        assert [item["row"].object_repr for item in newer["rows"]] == ["첨단제조로봇실증 2025-01"]

    def test_rows_paginate_and_filter_by_action(self, admin_client, admin_user, batches, monkeypatch):
        from programs.importing import admin as importing_admin

        monkeypatch.setattr(importing_admin, "BATCH_ROWS_PER_PAGE", 5)
        first, _ = batches
        page3 = self.page(admin_client, first, page=3).context
        assert [item["row"].row_number for item in page3["rows"]] == [12, 13]
        changed = run(xlsx([["polytech", "2025-01", 7], ["polytech", "2025-02", 200]]), user=admin_user).batch
        only_new = self.page(admin_client, changed, action="new").context["rows"]
        only_changed = self.page(admin_client, changed, action="updated").context["rows"]
        assert only_new == [] and [item["row"].row_number for item in only_changed] == [2]
        assert only_changed[0]["before"] == "집행액(원): 100"

    def test_after_undo_deleted_rows_are_not_links(self, admin_client, batches):
        _, second = batches
        admin_client.post(reverse("admin:programs_importbatch_undo", args=[second.pk]))
        rows = self.page(admin_client, second).context["rows"]
        assert rows and rows[0]["url"] is None
        assert "(삭제됨)" in self.page(admin_client, second).content.decode()

    def test_the_record_cannot_be_deleted(self, admin_client, batches):
        first, _ = batches
        body = self.page(admin_client, first).content.decode()
        assert "deletelink" not in body
        response = admin_client.post(reverse("admin:programs_importbatch_delete", args=[first.pk]), {"post": "yes"})
        assert response.status_code == 403 and ImportBatch.objects.filter(pk=first.pk).exists()


class TestHistoryPage:
    def test_no_reason_shows_a_dash_not_none(self, admin_client):
        budget = ProgramBudget.objects.get(program__code="polytech", year=2025)
        budget.amount += 1
        budget.save()
        body = admin_client.get(reverse("admin:programs_programbudget_history", args=[budget.pk])).content.decode()
        assert ">None<" not in body.replace(" ", "").replace("\n", "")

    def test_a_change_made_by_an_import_lists_what_changed(self, admin_client, admin_user):
        run(xlsx([["polytech", "2025-01", 100]]), user=admin_user)
        BudgetExecution.history.all().delete()  # as rows created in bulk, without a creation record
        batch = run(xlsx([["polytech", "2025-01", 250]]), user=admin_user).batch
        execution = BudgetExecution.objects.get(program__code="polytech", month=1)
        body = admin_client.get(reverse("admin:programs_budgetexecution_history", args=[execution.pk])).content.decode()
        assert f"가져오기 #{batch.pk}" in body
        assert "<strong>집행액(원):</strong> 100&nbsp;&rarr;&nbsp;250" in body


class TestNumberColumns:
    def test_a_column_is_numeric_when_every_filled_cell_is_a_number(self):
        from programs.templatetags.admin_tables import numeric_columns

        rows = [
            ['<td class="field-name">수출바우처</td>', '<td class="field-amount">31,080</td>',
             '<td class="field-rate">△36.7</td>', '<td class="field-granted">-</td>', '<td class="field-note">-</td>'],
            ['<td class="field-name">사업재편</td>', '<td class="field-amount">-</td>',
             '<td class="field-rate">신규</td>', '<td class="field-granted">-</td>', '<td class="field-note">1-2</td>'],
        ]
        headers = [{"text": "사업명"}, {"text": "예산(백만원)"}, {"text": "증감률"}, {"text": "지원액(백만원)"},
                   {"text": "비고"}]
        # 지원액 has no figure yet but names its unit; 비고 holds a code, not a number.
        assert numeric_columns(rows, headers) == [False, True, True, True, False]
