"""Admin of the plan: 추진분야 → 추진과제 → 사업 with budgets, execution and schedule."""

from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from programs import (
    access,
    jobs,
    jobs_admin,  # noqa: F401  (registers the background jobs pages)
    registry,
    selectors,
    services,
)
from programs.admin_conflicts import ConflictSafeAdminMixin, VersionedInlineMixin
from programs.admin_display import ReferenceDataAdmin, plain_year, set_list_footer
from programs.admin_history import HistoryAdmin
from programs.admin_scope import ScopedAdminMixin, ScopedInlineMixin
from programs.admin_years import (
    ChangeReasonForm,
    ConfirmedYearAdminMixin,
    ConfirmedYearInlineMixin,
    placement_task_field,
)
from programs.formats import change_rate, execution_rate, format_million, format_number, format_rate
from programs.forms import ReportRequestForm
from programs.importing.admin import ExcelImportExportMixin
from programs.models import (
    Achievement,
    BudgetExecution,
    FocusTechnology,
    Measure,
    Milestone,
    Ministry,
    PolicyArea,
    Program,
    ProgramBudget,
    ProgramPlacement,
    ProgramTerm,
    ReportSnapshot,
    StaffAssignment,
    Task,
)
from programs.years import current_year, year_choices


class PlanYearFilter(admin.SimpleListFilter):
    """The year selector of the program list: always one year (the current one unless picked)."""

    title = "실행계획 연도"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        self.selected_year = str(current_year(request))
        return [(str(year), label) for year, label in year_choices(request)]

    def choices(self, changelist):
        selected = self.selected_year
        for value, label in self.lookup_choices:
            yield {
                "selected": value == selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        return queryset  # ProgramAdmin.get_queryset already holds the year's programs


class YearAreaFilter(admin.SimpleListFilter):
    """추진분야 of the selected year (the parameter keeps the address staff already share)."""

    title = "추진분야"
    parameter_name = "task__area__id__exact"

    def lookups(self, request, model_admin):
        return [(str(area.pk), str(area)) for area in PolicyArea.objects.filter(plan_year=current_year(request))]

    def queryset(self, request, queryset):
        return queryset.filter(placement__task__area_id=self.value()) if self.value() else queryset


class YearTaskFilter(admin.SimpleListFilter):
    title = "추진과제"
    parameter_name = "task__id__exact"

    def lookups(self, request, model_admin):
        return [(str(task.pk), str(task)) for task in Task.objects.filter(area__plan_year=current_year(request))]

    def queryset(self, request, queryset):
        return queryset.filter(placement__task_id=self.value()) if self.value() else queryset


class BudgetLineFilter(admin.SimpleListFilter):
    title = "지원예산 표 포함"
    parameter_name = "has_budget_line__exact"

    def lookups(self, request, model_admin):
        return [("1", "예"), ("0", "아니요")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(placement__has_budget_line=self.value() == "1")
        return queryset


class NewProgramFilter(admin.SimpleListFilter):
    title = "신규 여부"
    parameter_name = "new"

    def lookups(self, request, model_admin):
        return [("yes", f"신규('{current_year(request) % 100}년 신설)"), ("no", "계속")]

    def queryset(self, request, queryset):
        new_ids = selectors.new_program_ids(year=current_year(request))
        if self.value() == "yes":
            return queryset.filter(pk__in=new_ids)
        if self.value() == "no":  # not exclude(): see ProgramFilterSet.filter_new
            return queryset.filter(pk__in=Program.objects.exclude(pk__in=new_ids).values("pk"))
        return queryset


class ProgramPlacementInline(ConfirmedYearInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = ProgramPlacement
    extra = 0
    fields = ["plan_year", "task", "has_budget_line", "budget_order", "schedule_order", "ministry_stated", "ended"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return placement_task_field(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No add/change/delete/view icons beside the year and the task: the row fits a 1366 px
        # screen, and plan years and tasks are edited on their own pages.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if db_field.name in ("plan_year", "task") and hasattr(widget, "can_add_related"):
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return field


class ProgramBudgetInline(ConfirmedYearInlineMixin, VersionedInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = ProgramBudget
    extra = 0
    fields = ["year", "amount"]  # the money box shows the other unit itself


class BudgetExecutionInline(VersionedInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = BudgetExecution
    extra = 1
    fields = ["year", "month", "amount", "memo", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "year":
            field.initial = current_year(request)
        return field


class ProgramTermInline(ReferenceDataAdmin, admin.TabularInline):
    model = ProgramTerm
    extra = 0
    fields = ["kind", "value_display", "condition", "source"]
    readonly_fields = fields

    @admin.display(description="값")
    def value_display(self, obj):
        return obj.value_label


class MinistryStatedFilter(admin.SimpleListFilter):
    """Whether the selected year's plan states the ministry (the year's placement)."""

    title = "소관부처 명시"
    parameter_name = "ministry_stated"

    def lookups(self, request, model_admin):
        return [("yes", "계획에 적힘"), ("no", "추정(계획에 없음)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(placement__ministry_stated=True)
        if self.value() == "no":
            return queryset.ministry_inferred()
        return queryset


class MilestoneInline(VersionedInlineMixin, ScopedInlineMixin, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["year", "order", "plan_text", "label", "start_month", "end_month", "status"]


@admin.register(Program)
class ProgramAdmin(ConflictSafeAdminMixin, ScopedAdminMixin, HistoryAdmin):
    list_display = [
        "task_display",
        "name",
        "ministry_display",
        "previous_budget_display",
        "current_budget_display",
        "change_display",
        "change_rate_display",
        "executed_display",
        "execution_rate_display",
    ]
    list_display_links = ["name"]
    form = ChangeReasonForm
    list_filter = [
        PlanYearFilter,
        YearAreaFilter,
        YearTaskFilter,
        "ministry",
        MinistryStatedFilter,
        NewProgramFilter,
        BudgetLineFilter,
    ]
    search_fields = ["name", "aliases", "code", "description"]
    list_select_related = ["ministry"]
    list_per_page = 50
    autocomplete_fields = ["ministry"]
    readonly_fields = ["execution_summary"]
    fieldsets = [
        (None, {"fields": ["code", "name", "aliases", "ministry", "executing_agency"]}),
        ("기간·예산", {"fields": ["start_year", "end_year", "stated_amount_eok"]}),
        ("내용", {"fields": ["description"]}),
        ("집행 현황", {"fields": ["execution_summary"]}),
        ("변경 사유", {"fields": ["change_reason"]}),
    ]
    inlines = [ProgramBudgetInline, ProgramPlacementInline, BudgetExecutionInline, MilestoneInline, ProgramTermInline]
    change_list_template = "admin/programs/program/change_list.html"

    # Plan order on the year's change list (the change list marks its sort columns from it).
    ordering = [
        F("placement__task__area__number").asc(),
        F("placement__budget_order").asc(nulls_last=True),
        F("placement__task__number").asc(),
        "name",
    ]

    def get_ordering(self, request):
        """By name where other admins list programs (filters, forms): they have no placement."""
        return self.ordering if is_changelist(request) else ["name"]

    def get_list_display(self, request):
        """The budget columns name the selected year and the year before ('25 and '24)."""
        year = current_year(request)
        previous = year_column(self.previous_budget_display, f"'{(year - 1) % 100:02d}년 예산(백만원)")
        current = year_column(self.current_budget_display, f"'{year % 100:02d}년 예산(백만원)")
        swap = {"previous_budget_display": previous, "current_budget_display": current}
        return [swap.get(name, name) for name in self.list_display]

    def get_queryset(self, request):
        # The year's placements are select_related here, so the change list adds nothing itself.
        # Not super(): its ordering names the placement, which only the year's queryset has.
        queryset = self.model._default_manager.select_related("ministry")
        if not is_changelist(request):
            # Change and delete pages reach any program, placed this year or not.
            return selectors.programs_with_budget(queryset, year=current_year(request))
        year = current_year(request)
        return selectors.programs_with_budget(selectors.placements(year, queryset), year=year)

    @admin.display(description="추진분야", ordering="placement__task__area__number")
    def area_display(self, obj):
        return str(obj.placement.task.area)

    @admin.display(description="소관부처", ordering="ministry__order")
    def ministry_display(self, obj):
        if obj.placement.ministry_stated:
            return obj.ministry_label
        return format_html(
            '<span title="계획 문서가 소관부처를 적지 않아 주관부처로 둔 사업">{}</span>', obj.ministry_label
        )

    @admin.display(description="추진과제", ordering="placement__task__number")
    def task_display(self, obj):
        # The code (1-2) names the area too; the full names are in the tooltip and the filters.
        task = obj.placement.task
        return format_html('<span title="{} › {}">{}</span>', task.area.label, task.name, task.code)

    @admin.display(description="전년 예산(백만원)", ordering="budget_previous")
    def previous_budget_display(self, obj):
        return format_million(obj.budget_previous)

    @admin.display(description="당해 예산(백만원)", ordering="budget_current")
    def current_budget_display(self, obj):
        return format_million(obj.budget_current)

    @admin.display(description="증감(백만원)", ordering="budget_change")
    def change_display(self, obj):
        if obj.budget_previous is None and obj.budget_current is None:
            return "-"
        return format_million(obj.budget_change)

    @admin.display(description="증감률(%)")
    def change_rate_display(self, obj):
        if obj.budget_current is None:
            return "-"
        return format_rate(change_rate(obj.budget_previous, obj.budget_current))

    @admin.display(description="집행액(백만원)", ordering="executed")
    def executed_display(self, obj):
        return format_million(obj.executed) if obj.budget_current is not None or obj.executed else "-"

    @admin.display(description="집행률(%)")
    def execution_rate_display(self, obj):
        rate = execution_rate(obj.executed, obj.budget_current)
        if rate is None:
            return "-"
        if obj.executed > (obj.budget_current or 0):
            return format_html('<strong class="over-budget" title="예산 초과">{} ⚠</strong>', format_rate(rate))
        return format_rate(rate)

    @admin.display(description="집행 누계·집행률")
    def execution_summary(self, obj):
        if obj.pk is None:
            return "저장 후 표시됩니다."
        lines = []
        for year in obj.placements.values_list("plan_year", flat=True).order_by("plan_year_id"):
            lines.append(execution_line(obj, year))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "-"

    def save_formset(self, request, form, formset, change):
        if formset.model is BudgetExecution:
            for execution in formset.save(commit=False):
                services.execution_record(execution=execution, user=request.user)
            for execution in formset.deleted_objects:
                execution.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        year = current_year(request)
        totals = selectors.program_execution(form.instance, year=year)
        if totals.is_over_budget:
            self.message_user(
                request,
                f"「{form.instance.name}」의 집행 누계({format_million(totals.executed)}백만원)가 "
                f"{year}년 예산({format_million(totals.current)}백만원)을 초과했습니다. "
                "입력값을 확인하세요.",
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        year = current_year(request)
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = selectors.budget_totals(changelist.queryset, label="현재 목록 합계", year=year)
            set_list_footer(changelist, f"{totals.label}(백만원)", {
                "previous_budget_display": format_million(totals.previous),
                "current_budget_display": format_million(totals.current),
                "change_display": format_million(totals.change),
                "change_rate_display": format_rate(totals.change_rate),
                "executed_display": format_million(totals.executed),
                "execution_rate_display": format_rate(totals.execution_rate, empty="-"),
            })
            response.context_data["budget_totals"] = totals
            response.context_data["plan_year"] = year
            response.context_data["report_form"] = ReportRequestForm(initial={"year": year}, request=request)
        return response

    def get_urls(self):
        summary = path(
            "summary/",
            self.admin_site.admin_view(self.summary_view),
            name="programs_program_summary",
        )
        return [summary, *super().get_urls()]

    def summary_view(self, request):
        year = current_year(request)
        areas, total = selectors.budget_table(year=year)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{year}년 지원예산 총괄표",
            "opts": self.model._meta,
            "areas": areas,
            "total": total,
            "plan_year": year,
            "previous_year": year - 1,
            "changelist_url": reverse("admin:programs_program_changelist") + f"?year={year}",
        }
        return TemplateResponse(request, "admin/programs/program/summary.html", context)


def is_changelist(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "programs_program_changelist"


def year_column(method, label: str):
    """A list_display column with a per-request header (the admin reads `short_description`)."""

    def column(obj):
        return method(obj)

    column.short_description = label
    column.admin_order_field = method.admin_order_field
    column.__name__ = method.__name__
    return column


def execution_line(program: Program, year: int):
    totals = selectors.program_execution(program, year=year)
    text = format_html(
        "{}년: 예산 {}백만원 · 집행 누계 {}백만원({}원) · 집행률 {}%",
        year,
        format_million(totals.current),
        format_million(totals.executed),
        format_number(totals.executed),
        format_rate(totals.execution_rate, empty="-"),
    )
    if totals.is_over_budget:
        return format_html(
            '{}<br><strong class="over-budget">⚠ 집행 누계가 {}년 예산을 초과했습니다.</strong>', text, year
        )
    return text


@admin.register(ProgramBudget)
class ProgramBudgetAdmin(
    ConfirmedYearAdminMixin, ConflictSafeAdminMixin, ScopedAdminMixin, ExcelImportExportMixin, HistoryAdmin
):
    """연도별 예산; 「가져오기」 reads the plan's 지원예산 표 for the year being drawn up."""

    import_kind = "budget_table"
    year_plain = plain_year("year", "연도")
    list_display = ["program", "year_plain", "amount_display"]
    list_filter = ["year", "program__ministry"]
    search_fields = ["program__name"]
    list_select_related = ["program"]
    autocomplete_fields = ["program"]

    @admin.display(description="예산액(백만원)", ordering="amount")
    def amount_display(self, obj):
        return format_million(obj.amount)


@admin.register(Ministry)
class MinistryAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "order"]
    search_fields = ["name", "short_name", "code"]


class TaskInline(ConfirmedYearInlineMixin, admin.TabularInline):
    model = Task
    extra = 0


@admin.register(PolicyArea)
class PolicyAreaAdmin(ConfirmedYearAdminMixin, ConflictSafeAdminMixin, HistoryAdmin):
    plan_year_plain = plain_year("plan_year_id", "실행계획 연도")
    list_display = ["plan_year_plain", "number", "budget_label", "name"]
    list_filter = ["plan_year"]
    search_fields = ["name", "budget_label"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(ConfirmedYearAdminMixin, ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ["code_display", "name", "heading", "area"]
    list_filter = ["area__plan_year", "area"]
    search_fields = ["name"]
    list_select_related = ["area"]

    @admin.display(description="번호", ordering="number")
    def code_display(self, obj):
        return obj.code


@admin.register(BudgetExecution)
class BudgetExecutionAdmin(ConflictSafeAdminMixin, ScopedAdminMixin, ExcelImportExportMixin, HistoryAdmin):
    year_plain = plain_year("year", "연도")
    import_kind = "executions"
    list_display = ["program", "year_plain", "month", "amount_display", "memo", "entered_by", "entered_at"]
    list_filter = ["year", "month", "program__ministry"]
    search_fields = ["program__name", "memo"]
    list_select_related = ["program", "entered_by"]
    autocomplete_fields = ["program"]
    readonly_fields = ["entered_by", "entered_at"]

    @admin.display(description="집행액(백만원)", ordering="amount")
    def amount_display(self, obj):
        return format_million(obj.amount)

    def save_model(self, request, obj, form, change):
        services.execution_record(execution=obj, user=request.user)


class OverdueFilter(admin.SimpleListFilter):
    title = "일정 경과"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "종료 월이 지났는데 완료되지 않음")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return queryset.overdue(timezone.localdate())


@admin.register(Milestone)
class MilestoneAdmin(ConflictSafeAdminMixin, ScopedAdminMixin, HistoryAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ["program", "year_plain", "label", "months_display", "status", "plan_text"]
    list_editable = ["status"]
    list_filter = ["status", "year", OverdueFilter, "program__ministry", "program"]
    search_fields = ["label", "plan_text", "program__name"]
    list_select_related = ["program"]
    autocomplete_fields = ["program"]
    # The 추진일정 표 order of each milestone's own year (a program's row may move between years).
    schedule_ordering = [F("schedule_order").asc(nulls_last=True), "program__name", "year", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(schedule_order=selectors.schedule_order("program", "year"))

    def get_ordering(self, request):
        return self.schedule_ordering

    @admin.display(description="추진 시기", ordering="start_month")
    def months_display(self, obj):
        return obj.months_label


@admin.register(Achievement)
class AchievementAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ["year_plain", "indicator", "value_display", "program", "task"]
    list_filter = ["year", "task__area", "task", "program"]
    search_fields = ["indicator", "source"]
    list_select_related = ["program", "task__area"]
    autocomplete_fields = ["program", "task"]

    @admin.display(description="값", ordering="value")
    def value_display(self, obj):
        places = 0 if obj.value == obj.value.to_integral() else 2
        return f"{format_number(obj.value, places)}{obj.unit}"


@admin.register(FocusTechnology)
class FocusTechnologyAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ["year_plain", "field", "technology", "related_industries"]
    list_filter = ["year"]
    search_fields = ["field", "technology", "related_industries"]


@admin.register(Measure)
class MeasureAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ["task", "heading", "name", "program"]
    list_filter = ["task__area", "task"]
    list_select_related = ["task__area", "program"]
    search_fields = ["name", "description", "participants"]


@admin.register(ProgramTerm)
class ProgramTermAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ["program", "ministry_display", "kind", "value_display", "condition"]
    list_filter = ["kind", ("program", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["program__ministry"]
    search_fields = ["program__name", "condition"]

    def get_queryset(self, request):
        # A term has no year: its program's ministry as the selected year's plan states it.
        stated = selectors.placement_field("ministry_stated", "program", current_year(request))
        return super().get_queryset(request).annotate(placement_ministry_stated=stated)

    @admin.display(description="소관부처")
    def ministry_display(self, obj):
        return selectors.ministry_label(obj)

    @admin.display(description="값")
    def value_display(self, obj):
        return obj.value_label


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    """Committee workbooks as they were generated; new ones come from the 보고서 내려받기 button."""

    year_plain = plain_year("year", "기준연도")
    list_display = [
        "file_name",
        "year_plain",
        "scope_display",
        "created_by",
        "created_at",
        "size_display",
        "download_link",
    ]
    list_filter = ["year", "ministry"]
    list_select_related = ["ministry", "created_by"]
    search_fields = ["file_name"]
    fields = readonly_fields = [
        "file_name",
        "year_plain",
        "scope_display",
        "created_by",
        "created_at",
        "sha256",
        "size",
        "download_link",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="범위", ordering="ministry__order")
    def scope_display(self, obj):
        return obj.ministry or "전체 부처"

    @admin.display(description="크기(KB)", ordering="size")
    def size_display(self, obj):
        return format_number(Decimal(obj.size) / 1024, 1)

    @admin.display(description="내려받기")
    def download_link(self, obj):
        url = reverse("admin:programs_reportsnapshot_download", args=[obj.pk])
        return format_html('<a href="{}">엑셀 내려받기</a>', url)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def get_urls(self):
        return [
            path(
                "generate/",
                self.admin_site.admin_view(self.generate_view),
                name="programs_reportsnapshot_generate",
            ),
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="programs_reportsnapshot_download",
            ),
            *super().get_urls(),
        ]

    def generate_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = ReportRequestForm(request.POST, request=request)
        if not form.is_valid():
            self.message_user(request, "보고서 조건이 올바르지 않습니다: " + form.errors.as_text(), messages.ERROR)
            return redirect("admin:programs_reportsnapshot_changelist")
        # Built by the task worker: the page follows it and offers the file when it is done.
        ministry = form.cleaned_data["ministry"]
        job = jobs.job_start(
            action="report",
            user=request.user,
            params={"year": form.cleaned_data["year"], "ministry": ministry.pk if ministry else None},
        )
        if job.state == job.State.DONE:  # built in the request (no worker configured)
            return workbook_response(ReportSnapshot.objects.get(pk=job.params["snapshot"]))
        return redirect("admin:programs_backgroundjob_progress", job.pk)

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return workbook_response(get_object_or_404(ReportSnapshot, pk=pk))


def workbook_response(snapshot: ReportSnapshot) -> HttpResponse:
    response = HttpResponse(
        bytes(snapshot.content),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, snapshot.file_name)
    return response


class StaffAssignmentInline(admin.StackedInline):
    model = StaffAssignment
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["ministry"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(ConflictSafeAdminMixin, UserAdmin):
    """Users with their role (groups) and scope (담당 부처, and what the apps add: 담당 센터)."""

    list_display = ["username", "last_name", "first_name", "is_staff", "roles", "scope"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "staff_assignment__ministry"]

    def get_inlines(self, request, obj):
        return [StaffAssignmentInline, *registry.user_admin_inlines]

    def get_list_select_related(self, request):
        return [owner.user_relation for owner in access.owners()]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="역할")
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "-"

    @admin.display(description="담당 범위")
    def scope(self, obj):
        labels = []
        for owner in access.owners():
            relation, _, attribute = owner.user_relation.partition("__")
            assigned = getattr(getattr(obj, relation, None), attribute, None)
            if assigned is not None:
                labels.append(str(assigned))
        return ", ".join(labels) or "-"
