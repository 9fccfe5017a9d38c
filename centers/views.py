"""Staff list pages of centers, their service requests and training institutions (filters in the URL)."""

from centers.filtersets import ServiceRequestFilterSet, SupportCenterFilterSet, TrainingInstitutionFilterSet
from centers.models import ServiceRequest
from centers.selectors import center_list_queryset, industries_label, institution_list_queryset
from companies.views import LIST_TEMPLATE
from programs.listing import FilteredListView, ListColumn


def region_name(obj) -> str:
    return obj.province.region.name if obj.province else ""


def name_or_blank(related) -> str:
    return related.name if related else ""


class CenterListView(FilteredListView):
    template_name = LIST_TEMPLATE
    filterset_class = SupportCenterFilterSet
    title = "지원센터 목록"
    export_name = "지원센터목록"
    link_column = 0
    columns = [
        ListColumn("센터명", lambda c: c.name),
        ListColumn("종류", lambda c: c.get_kind_display()),
        ListColumn("권역", region_name),
        ListColumn("시·도", lambda c: c.province.short_name if c.province else ""),
        ListColumn("지원 분야", industries_label),
        ListColumn("구축장비수(종)", lambda c: c.equipment_count, "count"),
        ListColumn("관련 사업", lambda c: name_or_blank(c.program)),
        ListColumn("상태", lambda c: c.get_status_display()),
        ListColumn("기술지원 신청 수", lambda c: c.request_count, "count"),
    ]

    def get_queryset(self):
        return center_list_queryset().order_by("kind", "order", "name")


class ServiceRequestListView(FilteredListView):
    template_name = LIST_TEMPLATE
    filterset_class = ServiceRequestFilterSet
    title = "기술지원 신청 목록"
    export_name = "기술지원신청목록"
    link_column = 0
    columns = [
        ListColumn("신청일", lambda r: r.requested_on, "date"),
        ListColumn("센터", lambda r: r.center.name),
        ListColumn("권역", lambda r: region_name(r.center)),
        ListColumn("업체명", lambda r: r.company.name),
        ListColumn("사업자등록번호", lambda r: r.company.brn_display),
        ListColumn("업종", lambda r: r.company.industry.name),
        ListColumn("서비스 유형", lambda r: r.service_type.name),
        ListColumn("상태", lambda r: r.get_status_display()),
        ListColumn("완료일", lambda r: r.completed_on, "date"),
    ]

    def get_queryset(self):
        return ServiceRequest.objects.select_related(
            "center__province__region", "company__industry", "service_type"
        ).order_by("-requested_on", "-pk")


class InstitutionListView(FilteredListView):
    template_name = LIST_TEMPLATE
    filterset_class = TrainingInstitutionFilterSet
    title = "인력양성기관 목록"
    export_name = "인력양성기관목록"
    link_column = 0
    columns = [
        ListColumn("기관명", lambda i: i.name),
        ListColumn("종류", lambda i: i.get_kind_display()),
        ListColumn("권역", region_name),
        ListColumn("시·도", lambda i: i.province.short_name if i.province else ""),
        ListColumn("분야", industries_label),
        ListColumn("지정연도", lambda i: i.designated_year),
        ListColumn("상태", lambda i: i.get_status_display()),
        ListColumn("관련 사업", lambda i: name_or_blank(i.program)),
        ListColumn("교육과정 수", lambda i: i.course_count, "count"),
    ]

    def get_queryset(self):
        return institution_list_queryset().order_by("kind", "name")
