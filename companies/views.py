"""Staff list pages of companies and applications: filters in the URL, row count, .xlsx download."""

from companies.filtersets import ApplicationFilterSet, CompanyFilterSet
from companies.models import Company
from companies.selectors import application_list_queryset
from programs.listing import FilteredListView, ListColumn
from programs.selectors import ministry_full_label, task_code

# The generic list with Korean line breaking for these wide tables (used by centers.views too).
LIST_TEMPLATE = "plan_lists/filtered_list.html"


class CompanyListView(FilteredListView):
    template_name = LIST_TEMPLATE
    filterset_class = CompanyFilterSet
    title = "뿌리기업 목록"
    export_name = "뿌리기업목록"
    link_column = 1
    columns = [
        ListColumn("사업자등록번호", lambda c: c.brn_display, "code"),
        ListColumn("업체명", lambda c: c.name),
        ListColumn("업종", lambda c: c.industry.name),
        ListColumn("권역", lambda c: c.province.region.name),
        ListColumn("시·도", lambda c: c.province.short_name),
        ListColumn("매출액(원)", lambda c: c.sales_amount, "won"),
        ListColumn("매출 규모", lambda c: c.sales_bracket_label),
        ListColumn("성장단계", lambda c: c.growth_stage_label),
        ListColumn("종사자 수(명)", lambda c: c.employees, "count"),
        ListColumn("R&D 역량", lambda c: "보유" if c.has_rnd_capacity else ""),
        ListColumn("신청 수", lambda c: c.application_count, "count"),
    ]

    def get_queryset(self):
        return (
            Company.objects.select_related("industry__group", "province__region")
            .with_application_count()
            .order_by("name", "pk")
        )


class ApplicationListView(FilteredListView):
    template_name = LIST_TEMPLATE
    filterset_class = ApplicationFilterSet
    title = "사업 신청 목록"
    export_name = "사업신청목록"
    link_column = 1
    columns = [
        ListColumn("연도", lambda a: a.year),
        ListColumn("업체명", lambda a: a.company.name),
        ListColumn("사업자등록번호", lambda a: a.company.brn_display, "code"),
        ListColumn("업종", lambda a: a.company.industry.name),
        ListColumn("추진과제", task_code),
        ListColumn("사업", lambda a: a.program.name),
        ListColumn("소관부처", ministry_full_label),
        ListColumn("상태", lambda a: a.get_status_display()),
        # In 백만원, as the plan's budget tables beside this list (and its download).
        ListColumn("신청액(백만원)", lambda a: a.requested_amount, "million"),
        ListColumn("지원액(백만원)", lambda a: a.granted_amount, "million"),
        ListColumn("신청일", lambda a: a.applied_on, "date"),
        ListColumn("중복지원", lambda a: "중복" if a.is_duplicate_selection else ""),
    ]

    def get_queryset(self):
        # Latest registered first: ordering by the key alone reads 50 rows instead of sorting ~100,000
        # (with their 중복지원 subquery) at full population.
        return application_list_queryset().order_by("-pk")
