"""Admin of the support institutions: configuration, with rules in services and reads in selectors."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from centers import selectors, services
from centers.choices import ServiceRequestStatus
from centers.models import (
    CenterAssignment,
    CenterEquipment,
    CommitteeDirection,
    CommitteeMeeting,
    OperatingCommittee,
    PlanTarget,
    ServiceRequest,
    ServiceType,
    SpecializedComplex,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
    TrainingOutcome,
)
from programs.admin_conflicts import ConflictSafeAdminMixin, VersionedInlineMixin
from programs.admin_display import ReferenceDataAdmin, plain_year
from programs.admin_history import HistoryAdmin
from programs.admin_scope import ScopedAdminMixin
from programs.formats import with_particle
from programs.importing.admin import ExcelImportExportMixin


def count_table(rows: list[tuple[str, int]], header: str) -> str:
    if not rows:
        return "기술지원 신청이 없습니다."
    # Counts are formatted before escaping: format_html turns its arguments into text.
    body = format_html_join(
        "",
        "<tr><td>{}</td><td style='text-align:right'>{}</td></tr>",
        ((name, f"{count:,}") for name, count in rows),
    )
    total = sum(count for _, count in rows)
    return format_html(
        "<table><thead><tr><th>{}</th><th>건수</th></tr></thead><tbody>{}</tbody>"
        "<tfoot><tr><th>합계</th><th style='text-align:right'>{}</th></tr></tfoot></table>",
        header,
        body,
        f"{total:,}",
    )


class CenterAssignmentInline(admin.StackedInline):
    """담당 센터 of a 센터 담당자, on the user page (registered with the core in CentersConfig.ready)."""

    model = CenterAssignment
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["center"]


@admin.register(ServiceType)
class ServiceTypeAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ["order", "name", "code"]
    list_display_links = ["name"]
    search_fields = ["name", "code"]


class CenterEquipmentInline(admin.TabularInline):
    model = CenterEquipment
    extra = 0
    fields = ["name", "quantity", "acquired_year", "memo"]


class CenterServiceRequestInline(admin.TabularInline):
    """The center's requests, read-only here: status changes go through the request's own page."""

    model = ServiceRequest
    extra = 0
    fields = ["company", "service_type", "requested_on", "status", "completed_on"]
    readonly_fields = fields
    ordering = ["-requested_on"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company", "service_type")


@admin.register(SupportCenter)
class SupportCenterAdmin(ConflictSafeAdminMixin, ExcelImportExportMixin, admin.ModelAdmin):
    import_kind = "centers"
    # The name carries the place (…센터(시흥)); 시·도 and 지역 are filters and on the center's page.
    list_display = [
        "name",
        "kind",
        "region",
        "industries_display",
        "equipment_count",
        "program",
        "status",
        "request_count",
    ]
    list_filter = [
        "kind",
        ("province__region", admin.RelatedOnlyFieldListFilter),
        ("province", admin.RelatedOnlyFieldListFilter),
        "industries",
        ("program", admin.RelatedOnlyFieldListFilter),
        "status",
        "service_types",
    ]
    search_fields = ["name", "locality", "site", "description"]
    autocomplete_fields = ["program"]
    filter_horizontal = ["industries", "service_types"]
    readonly_fields = ["region", "requests_by_type", "requests_by_industry"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "order", "status", "opened_on", "program"]}),
        ("위치", {"fields": ["locality", "province", "region", "site"]}),
        (
            "지원 내용",
            {
                "fields": [
                    "field_label",
                    "industries",
                    "field_note",
                    "service_types",
                    "equipment_count",
                    "description",
                ]
            },
        ),
        ("기술지원 신청 현황", {"fields": ["requests_by_type", "requests_by_industry"]}),
    ]
    inlines = [CenterEquipmentInline, CenterServiceRequestInline]

    def get_queryset(self, request):
        return selectors.center_list_queryset(super().get_queryset(request))

    @admin.display(description="권역", ordering="province__region__order")
    def region(self, obj):
        return obj.province.region if obj.province else "-"

    @admin.display(description="지원 분야")
    def industries_display(self, obj):
        return selectors.industries_label(obj)

    @admin.display(description="기술지원 신청", ordering="request_count")
    def request_count(self, obj):
        return obj.request_count

    @admin.display(description="서비스 유형별 신청")
    def requests_by_type(self, obj):
        return count_table(selectors.service_request_counts_by_type(center=obj), "서비스 유형")

    @admin.display(description="업종별 신청")
    def requests_by_industry(self, obj):
        return count_table(selectors.service_request_counts_by_industry(center=obj), "업종")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ConflictSafeAdminMixin, ScopedAdminMixin, ExcelImportExportMixin, HistoryAdmin):
    import_kind = "service_requests"
    list_display = [
        "requested_on",
        "center",
        "company",
        "company_industry",
        "service_type",
        "status",
        "completed_on",
    ]
    list_filter = [
        "status",
        "service_type",
        "center__kind",
        ("center", admin.RelatedOnlyFieldListFilter),
        ("center__province__region", admin.RelatedOnlyFieldListFilter),
        ("company__industry", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["company__name", "company__brn", "center__name", "center__locality", "memo"]
    list_select_related = ["center", "company__industry", "service_type"]
    autocomplete_fields = ["center", "company"]
    date_hierarchy = "requested_on"
    actions = ["mark_in_progress", "mark_completed", "mark_rejected"]

    @admin.display(description="업종", ordering="company__industry__order")
    def company_industry(self, obj):
        return obj.company.industry

    def _change_status(self, request, queryset, status):
        changed, refused = 0, []
        for service_request in queryset.select_related("center", "company", "service_type"):
            try:
                services.service_request_set_status(service_request=service_request, status=status)
            except ValidationError as error:
                refused.append(f"{service_request.company}({service_request.requested_on}): {' '.join(error.messages)}")
            else:
                changed += 1
        label = ServiceRequestStatus(status).label
        if changed:
            target = with_particle(f"「{label}」", "으로", "로")
            self.message_user(request, f"{changed:,}건을 {target} 바꿨습니다.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, f"바꾸지 못했습니다 — {message}", messages.ERROR)

    @admin.action(description="선택한 신청을 '진행'으로 변경", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._change_status(request, queryset, ServiceRequestStatus.IN_PROGRESS)

    @admin.action(description="선택한 신청을 '완료'로 변경(완료일: 오늘)", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._change_status(request, queryset, ServiceRequestStatus.COMPLETED)

    @admin.action(description="선택한 신청을 '반려'로 변경", permissions=["change"])
    def mark_rejected(self, request, queryset):
        self._change_status(request, queryset, ServiceRequestStatus.REJECTED)


class ComplexCommitteeInline(admin.TabularInline):
    model = OperatingCommittee.complexes.through
    extra = 0
    verbose_name = "운영위원회"
    verbose_name_plural = "운영위원회"
    autocomplete_fields = ["operatingcommittee"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The through table's own column is named after the model ("operatingcommittee").
        kwargs.setdefault("label", "운영위원회")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SpecializedComplex)
class SpecializedComplexAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    designated_year_plain = plain_year("designated_year", "지정연도")
    list_display = [
        "name",
        "locality",
        "province",
        "region",
        "industries_display",
        "designated_year_plain",
        "program",
    ]
    list_filter = [
        ("province__region", admin.RelatedOnlyFieldListFilter),
        ("province", admin.RelatedOnlyFieldListFilter),
        "industries",
        "designated_year",
        ("program", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "locality", "description"]
    list_select_related = ["province__region", "program"]
    autocomplete_fields = ["program"]
    filter_horizontal = ["industries"]
    inlines = [ComplexCommitteeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("industries")

    @admin.display(description="권역", ordering="province__region__order")
    def region(self, obj):
        return obj.province.region if obj.province else "-"

    @admin.display(description="주력 업종")
    def industries_display(self, obj):
        return selectors.industries_label(obj)


class CommitteeMeetingInline(admin.TabularInline):
    model = CommitteeMeeting
    extra = 0
    fields = ["held_on", "agenda", "attendees"]


@admin.register(OperatingCommittee)
class OperatingCommitteeAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    start_year_plain = plain_year("start_year", "운영 시작연도")
    end_year_plain = plain_year("end_year", "운영 종료연도")
    list_display = ["name", "unit", "province", "region", "start_year_plain", "end_year_plain", "meeting_count"]
    list_filter = [
        "unit",
        ("region", admin.RelatedOnlyFieldListFilter),
        ("province", admin.RelatedOnlyFieldListFilter),
        "start_year",
    ]
    search_fields = ["name", "memo", "complexes__name"]
    list_select_related = ["province", "region"]
    filter_horizontal = ["complexes"]
    inlines = [CommitteeMeetingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_count=Count("meetings"))

    @admin.display(description="회의 수", ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


class TrainingCourseInline(VersionedInlineMixin, admin.TabularInline):
    model = TrainingCourse
    extra = 0
    fields = ["year", "name", "course_type", "industry", "capacity"]
    ordering = ["-year", "name"]


class TrainingOutcomeInline(VersionedInlineMixin, admin.TabularInline):
    model = TrainingOutcome
    extra = 0
    fields = ["year", "trainees", "graduates", "hired", "visa_changes"]
    ordering = ["year"]


@admin.register(TrainingInstitution)
class TrainingInstitutionAdmin(ConflictSafeAdminMixin, ExcelImportExportMixin, admin.ModelAdmin):
    designated_year_plain = plain_year("designated_year", "지정연도")
    import_kind = "institutions"
    list_display = [
        "name",
        "kind",
        "locality",
        "region",
        "industries_display",
        "designated_year_plain",
        "status",
        "program",
        "course_count",
    ]
    list_filter = [
        "kind",
        ("province__region", admin.RelatedOnlyFieldListFilter),
        ("province", admin.RelatedOnlyFieldListFilter),
        "industries",
        ("program", admin.RelatedOnlyFieldListFilter),
        "status",
        "designated_year",
    ]
    search_fields = ["name", "locality", "field_note", "description"]
    autocomplete_fields = ["program"]
    filter_horizontal = ["industries"]
    inlines = [TrainingCourseInline, TrainingOutcomeInline]

    def get_queryset(self, request):
        return selectors.institution_list_queryset(super().get_queryset(request))

    @admin.display(description="권역", ordering="province__region__order")
    def region(self, obj):
        return obj.province.region if obj.province else "-"

    @admin.display(description="분야")
    def industries_display(self, obj):
        return selectors.industries_label(obj)

    @admin.display(description="교육과정 수", ordering="course_count")
    def course_count(self, obj):
        return obj.course_count


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ConflictSafeAdminMixin, ExcelImportExportMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    import_kind = "courses"
    list_display = ["name", "institution", "year_plain", "course_type", "industry", "capacity"]
    list_filter = ["year", "course_type", "institution__kind", ("industry", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "institution__name"]
    list_select_related = ["institution", "industry"]
    autocomplete_fields = ["institution"]


@admin.register(TrainingOutcome)
class TrainingOutcomeAdmin(ConflictSafeAdminMixin, ExcelImportExportMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    import_kind = "outcomes"
    list_display = ["institution", "year_plain", "trainees", "graduates", "hired", "visa_changes"]
    list_filter = [
        "year",
        "institution__kind",
        ("institution__province__region", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["institution__name"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]


@admin.register(PlanTarget)
class PlanTargetAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ["subject", "indicator", "baseline_display", "year_plain", "target_display", "program"]
    list_filter = ["subject", "year", ("program", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["source"]
    list_select_related = ["baseline", "baseline_start", "program"]
    autocomplete_fields = ["program"]
    raw_id_fields = ["baseline", "baseline_start"]

    @admin.display(description="전년 실적")
    def baseline_display(self, obj):
        return obj.baseline_label

    @admin.display(description="목표", ordering="value")
    def target_display(self, obj):
        return obj.value_label


@admin.register(CommitteeDirection)
class CommitteeDirectionAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ["order", "aspect", "current", "planned"]
    list_display_links = ["aspect"]
