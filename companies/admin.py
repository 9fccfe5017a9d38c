"""Admin of the companies app: 뿌리기업 and 사업 신청 lists, company page, reference data."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from companies.choices import ApplicationStatus
from companies.filtersets import (
    ApplicationAreaFilter,
    ApplicationDuplicateSelectionFilter,
    ApplicationStatusFilter,
    ApplicationTaskFilter,
    ApplicationYearFieldFilter,
    ApplicationYearFilter,
    AppliedProgramFilter,
    CertificateStatusFilter,
    CompanyDuplicateSelectionFilter,
    GrowthStageFilter,
    SalesBracketFilter,
    company_search_q,
)
from companies.models import (
    Application,
    Company,
    GrowthStageMatch,
    GrowthStageProfile,
    Industry,
    IndustryGroup,
    IndustryStanding,
    PopulationTotal,
    Province,
    Region,
    SalesBracketFigure,
    StatedShare,
    WorkforceFigure,
)
from companies.selectors import (
    application_rows_queryset,
    company_duplicate_selections,
    company_matched_programs,
    mark_duplicate_selections,
)
from companies.services import application_bulk_set_status, application_transition_error
from programs.admin_conflicts import ConflictSafeAdminMixin
from programs.admin_display import ReferenceDataAdmin, million_column, plain_year
from programs.admin_history import HistoryAdmin
from programs.admin_scope import ScopedAdminMixin
from programs.formats import with_particle
from programs.identifiers import format_brn, format_corporate_number, normalize_brn, normalize_corporate_number
from programs.importing.admin import ExcelImportExportMixin, register_batch_admin
from programs.models import Program

register_batch_admin()


class CompanyForm(forms.ModelForm):
    # Wider than the stored 10/13 digits: staff type 123-45-67890 or full-width digits.
    brn = forms.CharField(label="사업자등록번호", max_length=30, help_text="123-45-67890 형식도 가능")
    corporate_number = forms.CharField(label="법인등록번호", max_length=30, required=False)

    class Meta:
        model = Company
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown as staff write it (990-00-00019), the same as the list; stored as 10 digits.
        if self.instance.pk and not self.is_bound:
            self.initial["brn"] = format_brn(self.instance.brn)
            self.initial["corporate_number"] = format_corporate_number(self.instance.corporate_number or "")

    def clean_brn(self):
        return normalize_brn(self.cleaned_data["brn"])

    def clean_corporate_number(self):
        return normalize_corporate_number(self.cleaned_data.get("corporate_number", ""))


class ApplicationInline(admin.TabularInline):
    model = Application
    year_plain = plain_year("year", "연도")
    requested_million = million_column("requested_amount", "신청액")
    granted_million = million_column("granted_amount", "지원액")
    fields = ("program", "year_plain", "status", "requested_million", "granted_million", "applied_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-year", "program__name")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program")


class AutocompleteProgramMixin:
    @property
    def autocomplete_fields(self):
        # Program autocomplete needs programs' admin (another app) with search_fields.
        program_admin = self.admin_site._registry.get(Program)
        return ("company", "program") if program_admin and program_admin.search_fields else ("company",)


@admin.register(Company)
class CompanyAdmin(ConflictSafeAdminMixin, ExcelImportExportMixin, HistoryAdmin):
    import_kind = "companies"
    form = CompanyForm
    list_display = (
        "brn_column",
        "name",
        "industry",
        "region_column",
        "bracket_column",
        "stage_column",
        "application_count",
    )
    list_display_links = ("brn_column", "name")
    list_select_related = ("industry", "province__region")
    list_filter = (
        "industry__group",
        "industry",
        "province__region",
        "province",
        SalesBracketFilter,
        GrowthStageFilter,
        "is_myeongga",
        "is_good_workplace",
        "is_tech_specialist",
        "has_rnd_capacity",
        CertificateStatusFilter,
        AppliedProgramFilter,
        ApplicationStatusFilter,
        ApplicationYearFilter,
        CompanyDuplicateSelectionFilter,
    )
    search_fields = ("name",)
    search_help_text = "업체명 또는 사업자등록번호(하이픈 유무 관계없이)"
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = (
        "bracket_column",
        "stage_column",
        "certificate_status_display",
        "duplicate_selection_display",
        "growth_menu_display",
    )
    inlines = [ApplicationInline]
    fieldsets = (
        (
            "기본 정보",
            {
                "fields": (
                    "brn",
                    "corporate_number",
                    "name",
                    "representative",
                    "address",
                    "province",
                    "industry",
                    "founded_on",
                )
            },
        ),
        (
            "규모",
            {
                "fields": (
                    "employees",
                    "foreign_workers",
                    "sales_amount",
                    "export_amount",
                    "financial_year",
                    "has_rnd_capacity",
                    "bracket_column",
                    "stage_column",
                )
            },
        ),
        (
            "인증·확인",
            {
                "fields": (
                    "is_myeongga",
                    "is_good_workplace",
                    "is_tech_specialist",
                    "certificate_number",
                    "certificate_issued_on",
                    "certificate_status_display",
                )
            },
        ),
        ("연락처·메모", {"fields": ("contact_name", "contact_phone", "contact_email", "memo")}),
        ("성장 메뉴판·중복지원", {"fields": ("growth_menu_display", "duplicate_selection_display")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_application_count()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(company_search_q(search_term.strip())), False

    @admin.display(description="사업자등록번호", ordering="brn")
    def brn_column(self, company):
        return company.brn_display

    @admin.display(description="권역", ordering="province__region__order")
    def region_column(self, company):
        return company.province.region.name

    @admin.display(description="매출 규모", ordering="sales_bracket")
    def bracket_column(self, company):
        return company.sales_bracket_label or "-"

    @admin.display(description="성장단계", ordering="growth_stage")
    def stage_column(self, company):
        return company.growth_stage_label or "-"

    @admin.display(description="신청 수", ordering="application_count")
    def application_count(self, company):
        return company.application_count

    @admin.display(description="확인서 상태")
    def certificate_status_display(self, company):
        if company.pk is None:
            return "-"
        expires = company.certificate_expires_on
        status = company.certificate_status().label
        return f"{status} (만료일 {expires:%Y-%m-%d})" if expires else status

    @admin.display(description="중복지원")
    def duplicate_selection_display(self, company):
        if company.pk is None:
            return "-"
        return render_to_string(
            "companies/duplicate_selection.html",
            {"duplicates": company_duplicate_selections(company=company)},
        )

    @admin.display(description="성장 메뉴판 매칭 지원사업(IV-1-2)")
    def growth_menu_display(self, company):
        if company.pk is None:
            return "-"
        return render_to_string(
            "companies/growth_menu.html",
            {"company": company, "matches": company_matched_programs(company=company)},
        )


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = "__all__"

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.instance.pk:
            error = application_transition_error(self.instance.status, status)
            if error:
                raise ValidationError(error)
        return status


def status_action(status: ApplicationStatus):
    def action(modeladmin, request, queryset):
        changed, refused = application_bulk_set_status(applications=queryset, status=status, user=request.user)
        if changed:
            target = with_particle(f"「{status.label}」", "으로", "로")
            modeladmin.message_user(request, f"{changed:,}건을 {target} 바꿨습니다.", messages.SUCCESS)
        for application, reason in refused[:10]:
            modeladmin.message_user(
                request, f"{application.company} — {application.program}: {reason}", messages.WARNING
            )
        if len(refused) > 10:
            modeladmin.message_user(request, f"그 밖에 {len(refused) - 10:,}건도 바꿀 수 없습니다.", messages.WARNING)

    action.__name__ = f"set_status_{status.value}"
    target = with_particle(f"「{status.label}」", "으로", "로")
    return admin.action(description=f"선택한 신청을 {target} 변경", permissions=["change"])(action)


class ApplicationChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # 중복지원 of the page's rows in one grouped query, not a subquery per application.
        self.result_list = mark_duplicate_selections(list(self.result_list))


@admin.register(Application)
class ApplicationAdmin(
    ConflictSafeAdminMixin, ScopedAdminMixin, AutocompleteProgramMixin, ExcelImportExportMixin, HistoryAdmin
):
    year_plain = plain_year("year", "연도")
    import_kind = "applications"
    form = ApplicationForm
    list_display = (
        "company",
        "brn_column",
        "program",
        "ministry_column",
        "year_plain",
        "status",
        "requested_column",
        "granted_column",
        "duplicate_column",
    )
    list_filter = (
        ApplicationAreaFilter,
        ApplicationTaskFilter,
        "program",
        "program__ministry",
        ("year", ApplicationYearFieldFilter),
        "status",
        ApplicationDuplicateSelectionFilter,
    )
    search_fields = ("company__name", "program__name")
    search_help_text = "업체명, 사업자등록번호 또는 사업명"
    list_per_page = 50
    show_full_result_count = False
    # The model's order (연도, 사업, 기업) by columns an index serves (application_year_prog_co_idx):
    # ordering by the program's and company's names sorts all ~100,000 applications for every page.
    ordering = ("-year", "program_id", "company_id")
    actions = [status_action(status) for status in ApplicationStatus if status != ApplicationStatus.RECEIVED]
    date_hierarchy = None

    def get_queryset(self, request):
        return application_rows_queryset(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return ApplicationChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(company_search_q(term, "company__") | Q(program__name__icontains=term)), False

    @admin.display(description="사업자등록번호", ordering="company__brn")
    def brn_column(self, application):
        return application.company.brn_display

    @admin.display(description="소관부처", ordering="program__ministry__name")
    def ministry_column(self, application):
        return application.program.ministry

    # In 백만원 like the plan's tables these lists sit beside; the form takes 원 or 백만원.
    requested_column = million_column("requested_amount", "신청액")
    granted_column = million_column("granted_amount", "지원액")

    @admin.display(description="중복지원", empty_value="")
    def duplicate_column(self, application):
        # Only the exception is marked: a red ✖ on every ordinary row read as an error.
        return mark_safe('<span class="flag-yes">중복</span>') if application.is_duplicate_selection else ""


PLAN_SALES = million_column("plan_sales", "매출액")
PLAN_EXPORTS = million_column("plan_exports", "수출액")


@admin.register(IndustryGroup)
class IndustryGroupAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    plan_sales_million, plan_exports_million = PLAN_SALES, PLAN_EXPORTS
    list_display = ("order", "name", "plan_firms", "plan_workers", "plan_sales_million", "plan_exports_million")
    list_display_links = ("name",)


@admin.register(Industry)
class IndustryAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    plan_sales_million, plan_exports_million = PLAN_SALES, PLAN_EXPORTS
    list_display = (
        "order",
        "name",
        "group",
        "aliases",
        "plan_firms",
        "plan_workers",
        "plan_sales_million",
        "plan_exports_million",
    )
    list_display_links = ("name",)
    list_filter = ("group",)
    list_select_related = ("group",)
    search_fields = ("name", "aliases")


class ProvinceInline(admin.TabularInline):
    model = Province
    extra = 0


@admin.register(Region)
class RegionAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("order", "name", "aliases", "plan_firms", "plan_share")
    list_display_links = ("name",)
    inlines = [ProvinceInline]


@admin.register(Province)
class ProvinceAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("order", "name", "short_name", "region", "aliases")
    list_display_links = ("name",)
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("name", "short_name", "aliases")


@admin.register(SalesBracketFigure)
class SalesBracketFigureAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    plan_sales_million, plan_exports_million = PLAN_SALES, PLAN_EXPORTS
    list_display = (
        "bracket", "plan_firms", "plan_firm_share", "plan_workers", "plan_sales_million", "plan_exports_million"
    )


class GrowthStageMatchInline(admin.TabularInline):
    model = GrowthStageMatch
    extra = 0
    autocomplete_fields = ()


@admin.register(GrowthStageProfile)
class GrowthStageProfileAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("stage", "sales_label", "plan_firms_label", "plan_share", "goal", "requires_rnd")
    inlines = [GrowthStageMatchInline]


@admin.register(IndustryStanding)
class IndustryStandingAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "기준연도")
    list_display = (
        "year_plain",
        "root_firms",
        "manufacturing_firms",
        "firm_share",
        "root_workers",
        "manufacturing_workers",
        "worker_share",
        "sales_share",
        "export_share",
    )


@admin.register(PopulationTotal)
class PopulationTotalAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("table", "firms", "workers", "sales", "exports")


@admin.register(WorkforceFigure)
class WorkforceFigureAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "기준연도")
    list_display = ("year_plain", "column", "workers", "shortage", "shortage_rate", "job_share")
    list_filter = ("year",)


@admin.register(StatedShare)
class StatedShareAdmin(ReferenceDataAdmin, ConflictSafeAdminMixin, admin.ModelAdmin):
    year_plain = plain_year("year", "연도")
    list_display = ("measure", "subject", "year_plain", "value_display", "source")
    list_filter = ("measure", "year")
    search_fields = ("subject", "source")

    @admin.display(description="값", ordering="value")
    def value_display(self, obj):
        return obj.value_label
