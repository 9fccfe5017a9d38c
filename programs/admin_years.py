"""Admin of plan years: 연도별 실행계획 (copy to the next year, confirm) and the rule that a
confirmed year's structure and budgets change only by a 시스템 관리자, each change with a reason.

The rule itself is `services.confirmed_change_check`; this module asks for the reason (변경 사유)
on the forms that change a year's areas, tasks, placements and budgets, and records it as
django-simple-history's change reason.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from programs import access, services
from programs.admin_conflicts import ConflictSafeAdminMixin
from programs.admin_display import plain_year
from programs.admin_history import HistoryAdmin
from programs.models import PlanYear, ProgramBudget, ProgramPlacement
from programs.models.plan import placement_dependents_problem

REASON_HELP = "확정된 연도의 추진분야·추진과제·사업 편성·예산을 바꿀 때 적습니다(이력에 남습니다)."


class ChangeReasonForm(forms.ModelForm):
    change_reason = forms.CharField(label="변경 사유", max_length=100, required=False, help_text=REASON_HELP)


def year_of(obj) -> int | None:
    """The plan year a row of the plan's structure or budgets belongs to."""
    if isinstance(obj, ProgramBudget):
        return obj.year
    if isinstance(obj, ProgramPlacement):
        return obj.plan_year_id
    if hasattr(obj, "plan_year_id") and not hasattr(obj, "area_id"):
        return obj.plan_year_id  # PolicyArea
    if getattr(obj, "area_id", None):
        return obj.area.plan_year_id  # Task
    return None


def is_locked(obj, locked: set[int]) -> bool:
    year = year_of(obj)
    if year is None:
        return False
    if isinstance(obj, ProgramBudget):
        return services.budget_year_locked(year, locked)
    return year in locked


def check_change(obj, *, user, reason: str, locked: set[int]) -> str | None:
    """The reason to record when `obj` belongs to a confirmed year (raises when refused)."""
    if not is_locked(obj, locked):
        return None
    return services.confirmed_change_check(year=year_of(obj), user=user, reason=reason)


class ConfirmedYearAdminMixin:
    """Change forms of rows that belong to a plan year: a confirmed year needs a 시스템 관리자 and a reason."""

    form = ChangeReasonForm

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or locked_ok(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or locked_ok(request, obj))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class ReasonForm(form_class):
            def clean(self):
                cleaned = super().clean()
                try:
                    self.instance._change_reason = check_change(
                        self.instance,
                        user=request.user,
                        reason=cleaned.get("change_reason", ""),
                        locked=services.locked_years(),
                    )
                except ValidationError as error:
                    self.add_error(None, error)
                return cleaned

        return ReasonForm


class ConfirmedYearFormSet(BaseInlineFormSet):
    """Inline rows of a confirmed year: changed or deleted only by a 시스템 관리자, with the parent's 변경 사유."""

    request = None

    def clean(self):
        super().clean()
        locked = services.locked_years()
        reason = self.data.get("change_reason", "")
        for form in self.forms:
            if not form.has_changed() and form not in self.deleted_forms:
                continue
            instance = form.instance
            if form not in self.deleted_forms and hasattr(form, "cleaned_data"):
                for name, value in form.cleaned_data.items():
                    if name in ("year", "plan_year") and value is not None:
                        setattr(instance, name, value)
            try:
                instance._change_reason = check_change(instance, user=self.request.user, reason=reason, locked=locked)
            except ValidationError as error:
                raise ValidationError(error.messages) from None


class ConfirmedYearInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("formset", ConfirmedYearFormSet)
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})


@admin.register(PlanYear)
class PlanYearAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ["year_plain", "title", "status", "source_document", "confirmed_at", "confirmed_by"]
    list_filter = ["status"]
    readonly_fields = ["status", "confirmed_at", "confirmed_by"]
    actions = ["copy_to_next_year", "confirm"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year_plain"] if obj else self.readonly_fields

    def get_fields(self, request, obj=None):
        # The stored year is read-only: shown as 2026, not localized as 2,026.
        fields = super().get_fields(request, obj)
        if obj is None:
            return [name for name in fields if name != "year_plain"]
        return ["year_plain" if name == "year" else name for name in fields if name != "year_plain"]

    def _single(self, request, queryset) -> PlanYear | None:
        if queryset.count() != 1:
            self.message_user(request, "연도를 하나만 선택하세요.", messages.ERROR)
            return None
        return queryset.get()

    def _confirmation(self, request, queryset, *, action: str, title: str, lines: list[str], button: str):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "action": action,
            "lines": lines,
            "button": button,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/programs/planyear/action_confirm.html", context)

    @admin.action(description="선택한 연도의 계획을 다음 연도로 복사(작성 중)", permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        source = self._single(request, queryset)
        if source is None:
            return None
        year = source.year + 1
        if request.POST.get("confirmed") != "yes":
            continuing = source.placements.filter(ended=False).exclude(program__end_year__lt=year).count()
            return self._confirmation(
                request,
                queryset,
                action="copy_to_next_year",
                title=f"{source.year}년 계획을 {year}년으로 복사",
                lines=[
                    f"{source.year}년의 추진분야 {source.areas.count()}개와 추진과제, 사업 편성 {continuing}건을 "
                    f"{year}년 실행계획(작성 중)으로 복사합니다.",
                    "사업은 그대로 이어지고(같은 사업), 올해 종료로 표시했거나 기간이 끝난 사업은 복사하지 않습니다.",
                    "예산은 복사하지 않습니다. 관리 화면이나 지원예산 표 가져오기로 입력하세요.",
                ],
                button=f"예, {year}년 계획을 만듭니다",
            )
        try:
            copied = services.plan_year_copy(source=source, year=year, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, f"{source.year}년 계획을 {copied.year}년 실행계획(작성 중)으로 복사했습니다.")
        return redirect("admin:programs_planyear_change", copied.pk)

    @admin.action(description="선택한 연도의 계획 확정", permissions=["change"])
    def confirm(self, request, queryset):
        plan_year = self._single(request, queryset)
        if plan_year is None:
            return None
        if request.POST.get("confirmed") != "yes":
            missing = services.plan_year_unbudgeted(plan_year)
            lines = [
                f"{plan_year.year}년 실행계획을 확정합니다. 확정한 뒤에는 추진분야·추진과제·사업 편성·예산을 "
                "시스템 관리자만 바꿀 수 있고, 바꿀 때마다 변경 사유가 이력에 남습니다.",
            ]
            if missing:
                lines.append("예산이 없는 지원예산 표 사업이 있어 확정할 수 없습니다: " + ", ".join(missing))
            return self._confirmation(
                request,
                queryset,
                action="confirm",
                title=f"{plan_year.year}년 실행계획 확정",
                lines=lines,
                button=f"예, {plan_year.year}년 계획을 확정합니다",
            )
        try:
            services.plan_year_confirm(plan_year=plan_year, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, f"{plan_year.year}년 실행계획을 확정했습니다.")
        return None


def placement_task_field(field, db_field):
    """A placement's 추진과제 as a list of every year's tasks labelled with their year, newest first
    (the same 과제 names recur each year: '2026년 1-1 …' tells them apart)."""
    if db_field.name == "task" and field is not None:
        field.queryset = field.queryset.select_related("area").order_by(
            "-area__plan_year_id", "area__number", "number"
        )
        field.label_from_instance = lambda task: f"{task.area.plan_year_id}년 {task.code} {task.name}"
    return field


@admin.register(ProgramPlacement)
class ProgramPlacementAdmin(ConfirmedYearAdminMixin, ConflictSafeAdminMixin, HistoryAdmin):
    """연도별 사업 편성: where each program stands in each year's plan (task, budget table row,
    추진일정 표 row, whether the plan states its ministry, 종료)."""

    plan_year_plain = plain_year("plan_year_id", "실행계획 연도")
    list_display = [
        "plan_year_plain",
        "task",
        "program",
        "budget_line_col",
        "budget_order_col",
        "schedule_order_col",
        "ministry_stated_col",
        "ended_col",
    ]
    list_filter = ["plan_year", "has_budget_line", "ministry_stated", "ended"]
    search_fields = ["program__name", "task__name"]
    list_select_related = ["program", "task__area"]
    autocomplete_fields = ["program"]
    ordering = ["-plan_year_id", "task__area__number", "budget_order", "task__number"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return placement_task_field(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field)
    fields = [
        "plan_year",
        "program",
        "task",
        "has_budget_line",
        "budget_order",
        "schedule_order",
        "ministry_stated",
        "ended",
        "change_reason",
    ]

    # Short headers: the list fits a 1366 px screen with the task's name on two lines.
    @admin.display(description="예산표", boolean=True, ordering="has_budget_line")
    def budget_line_col(self, obj):
        return obj.has_budget_line

    @admin.display(description="예산 순서", ordering="budget_order")
    def budget_order_col(self, obj):
        return obj.budget_order

    @admin.display(description="일정 순서", ordering="schedule_order")
    def schedule_order_col(self, obj):
        return obj.schedule_order

    @admin.display(description="부처 명시", boolean=True, ordering="ministry_stated")
    def ministry_stated_col(self, obj):
        return obj.ministry_stated

    @admin.display(description="종료", boolean=True, ordering="ended")
    def ended_col(self, obj):
        return obj.ended

    def get_deleted_objects(self, objs, request):
        """A placement that rows of its program and year need (budgets, 실적 ...) is not deleted:
        the confirmation page lists why, as for protected objects (the database refuses too)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for placement in objs:
            if problem := placement_dependents_problem(placement.program_id, placement.plan_year_id):
                protected.append(problem)
        return deleted, counts, perms_needed, protected


def locked_ok(request, obj) -> bool:
    """A confirmed year's rows open read-only except for a 시스템 관리자."""
    return access.is_system_admin(request.user) or not is_locked(obj, services.locked_years())
