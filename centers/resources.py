"""Import/export kinds of the centers app, plugged into programs.importing.

centers (지원센터, keyed on 센터명), service_requests (기술지원 신청, keyed on 센터+사업자등록번호+
서비스 유형+신청일), institutions (인력양성기관, keyed on 기관명), courses (교육과정, 기관+연도+과정명)
and outcomes (연도별 양성 실적, 기관+연도). Rules are the models' (validators.py), reported per row
in Korean; the pipeline writes all rows or none.

Many-to-many columns (지원 분야, 제공 서비스, 분야) hold comma-separated names; a file that has the
column replaces the set, a file without it leaves the stored set alone. 지원 분야 also accepts an
업종 그룹 name for all its industries (e.g. 기반 공정산업, or the plan's 6대 기반공정).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from centers.choices import (
    CenterKind,
    CenterStatus,
    CourseType,
    InstitutionKind,
    InstitutionStatus,
    ServiceRequestStatus,
)
from centers.models import (
    ServiceRequest,
    ServiceType,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
    TrainingOutcome,
)
from centers.selectors import center_offered_service_types, industries_label
from centers.validators import (
    service_type_not_offered_message,
    validate_service_request_dates,
    validate_service_request_transition,
)
from companies.models import Company, Industry
from companies.selectors import industry_lookup, province_lookup, region_lookup
from programs.choices import ImportKind
from programs.importing.cells import (
    CellError,
    NameLookup,
    name_key,
    parse_brn,
    parse_date,
    parse_integer,
    parse_text,
    parse_year,
    text,
    unknown_name,
)
from programs.importing.kinds import Column, ImportExportKind, ParsedRow, RowProblem, register
from programs.selectors import program_lookup


def choice_parser(choices, what: str):
    """A parser accepting a choice's Korean label or its stored value."""
    by_word = {**{label: value for value, label in choices.choices}, **{v: v for v in choices.values}}

    def parse(value) -> str:
        word = parse_text(value)
        if not word:
            return ""
        try:
            return by_word[word]
        except KeyError:
            raise CellError(f"알 수 없는 {what}입니다. 가능한 {what}: {', '.join(choices.labels)}") from None

    return parse


def parse_name_list(value) -> list[str]:
    """Comma-separated names, as exported ("주조, 금형")."""
    text_value = parse_text(value)
    return [name.strip() for name in text_value.replace("、", ",").split(",") if name.strip()]


# The plan's table calls the 기반 공정산업 group "6대 기반공정" (지역뿌리기술지원센터 구축현황).
GROUP_ALIASES = {"6대 기반공정": "기반 공정산업", "6대기반공정": "기반 공정산업"}


class IndustrySetMixin:
    """Resolves a 지원 분야/분야 cell to a frozenset of industry ids (industries or whole groups)."""

    def prepare_industry_sets(self):
        self.industry_names = industry_lookup()
        groups: dict[str, set[int]] = {}
        for industry in Industry.objects.select_related("group"):
            groups.setdefault(industry.group.name, set()).add(industry.pk)
        self.industry_groups = {
            **{name_key(name): frozenset(ids) for name, ids in groups.items()},
            **{name_key(alias): frozenset(groups.get(group, ())) for alias, group in GROUP_ALIASES.items()},
        }

    def resolve_industry_set(self, names: list[str], header: str) -> frozenset:
        ids: set[int] = set()
        for name in names:
            industry = self.industry_names.find(name)
            if industry is not None:
                ids.add(industry.pk)
            elif name_key(name) in self.industry_groups:
                ids |= self.industry_groups[name_key(name)]
            else:
                raise RowProblem(header, name, unknown_name("업종", self.industry_names.accepted))
        return frozenset(ids)


def first_problem(error: ValidationError, headers: dict[str, str], value_of) -> RowProblem:
    """The first message of a model rule, as a row problem on the column it concerns."""
    field, messages = next(iter(error.message_dict.items()))
    header = headers.get(field, "")
    return RowProblem(header, value_of(field), messages[0])


def region_name(obj) -> str:
    return obj.province.region.name if obj.province else ""


def province_name(obj) -> str:
    return obj.province.name if obj.province else ""


def program_name(obj) -> str:
    return obj.program.name if obj.program else ""


class PlaceAndProgramMixin:
    """Resolves the 시·도 (checked against 권역 when given) and 관련 사업 columns of a row."""

    def prepare_places(self):
        self.provinces = province_lookup()
        self.regions = region_lookup()
        self.programs = program_lookup()

    def resolve_place_and_program(self, data: dict, values: dict) -> None:
        if "province" in data:
            province = None
            if data["province"]:
                province = self.provinces.find(data["province"])
                if province is None:
                    raise RowProblem("시·도", data["province"], unknown_name("시·도", self.provinces.accepted))
            if data.get("region"):
                region = self.regions.find(data["region"])
                if region is None:
                    raise RowProblem("권역", data["region"], unknown_name("권역", self.regions.accepted))
                if province is None or region.pk != province.region_id:
                    where = (
                        f"{province.name}은(는) {province.region.name}에 속합니다."
                        if province
                        else "시·도를 함께 적어 주세요."
                    )
                    raise RowProblem("권역", data["region"], where)
            values["province_id"] = province.pk if province else None
        if "program" in data:
            program = None
            if data["program"]:
                program = self.programs.find(data["program"])
                if program is None:
                    raise RowProblem("관련 사업", data["program"], unknown_name("사업", self.programs.accepted))
            values["program_id"] = program.pk if program else None


CENTER_PLAIN_FIELDS = (
    "name",
    "order",
    "locality",
    "site",
    "field_note",
    "equipment_count",
    "opened_on",
    "description",
)


@register
class CenterKindIO(IndustrySetMixin, PlaceAndProgramMixin, ImportExportKind):
    name = ImportKind.CENTERS
    label = "지원센터"
    model = SupportCenter
    key_fields = ("name",)
    m2m_fields = ("industries", "service_types")
    sheet_title = "지원센터"
    columns = (
        Column("센터명", "name", text(100), lambda c: c.name, required=True, width=36),
        Column(
            "종류",
            "kind",
            choice_parser(CenterKind, "종류"),
            lambda c: c.get_kind_display(),
            required=True,
            width=24,
            note=", ".join(CenterKind.labels),
        ),
        Column("표시 순서", "order", parse_integer, lambda c: c.order),
        Column("지역", "locality", text(30), lambda c: c.locality, note="예: 시흥, 구미"),
        Column(
            "시·도",
            "province",
            text(20),
            province_name,
            aliases=("시도",),
            width=16,
            note="지역뿌리기술지원센터는 필수. 예: 경기도, 경기",
        ),
        Column("권역", "region", text(20), region_name, note="선택. 적으면 시·도의 권역과 같아야 함"),
        Column("센터 위치", "site", text(100), lambda c: c.site, width=20),
        Column(
            "지원 분야",
            "industries",
            parse_name_list,
            industries_label,
            width=30,
            note="업종을 쉼표로 구분(예: 주조, 금형). 업종 그룹 이름(기반 공정산업, 6대 기반공정)도 가능",
        ),
        Column("지원 분야 비고", "field_note", text(200), lambda c: c.field_note),
        Column(
            "구축장비수(종)",
            "equipment_count",
            parse_integer,
            lambda c: c.equipment_count,
            number_format="count",
        ),
        Column(
            "제공 서비스",
            "service_types",
            parse_name_list,
            lambda c: ", ".join(service.name for service in c.service_types.all()),
            width=30,
            note="쉼표로 구분: 시험분석, 기술지도, 시제품제작, 기술자문",
        ),
        Column("관련 사업", "program", text(100), program_name, width=36, note="사업명 또는 사업 코드"),
        Column(
            "상태",
            "status",
            choice_parser(CenterStatus, "상태"),
            lambda c: c.get_status_display(),
            note="구축중, 운영중(비우면 운영중)",
        ),
        Column("개소일", "opened_on", parse_date, lambda c: c.opened_on, number_format="date", width=12),
        Column("내용", "description", parse_text, lambda c: c.description, width=40),
    )

    def prepare(self, rows):
        self.prepare_places()
        self.prepare_industry_sets()
        self.service_types = NameLookup(ServiceType.objects.order_by("order"), lambda t: [t.name])

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        values = {name: data[name] for name in CENTER_PLAIN_FIELDS if name in data}
        if values.get("order") is None:
            values.pop("order", None)
        values["kind"] = data["kind"]
        if data.get("status"):
            values["status"] = data["status"]
        self.resolve_place_and_program(data, values)
        if "industries" in present:
            values["industries"] = self.resolve_industry_set(data.get("industries") or [], "지원 분야")
        if "service_types" in present:
            types = set()
            for name in data.get("service_types") or []:
                service_type = self.service_types.find(name)
                if service_type is None:
                    raise RowProblem("제공 서비스", name, unknown_name("서비스 유형", self.service_types.accepted))
                types.add(service_type.pk)
            values["service_types"] = frozenset(types)
        row.values = values
        row.key = (values["name"],)

    def validate_row(self, values, stored):
        province_id = values.get("province_id", (stored or {}).get("province_id"))
        if values["kind"] == CenterKind.REGIONAL and province_id is None:
            raise RowProblem("시·도", "", "지역뿌리기술지원센터는 시·도를 입력해야 합니다.")
        if stored is None:
            values.setdefault("status", CenterStatus.OPERATING)

    def existing_values(self, keys, fields):
        return super().existing_values(keys, sorted({*fields, "province_id"}))

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return (
            queryset.select_related("province__region", "program")
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("industries", queryset=Industry.objects.order_by("order")),
                Prefetch("service_types", queryset=ServiceType.objects.order_by("order")),
            )
            .order_by("kind", "order", "pk")
        )


SERVICE_REQUEST_HEADERS = {"status": "상태", "completed_on": "완료일", "requested_on": "신청일"}


@register
class ServiceRequestKindIO(ImportExportKind):
    name = ImportKind.SERVICE_REQUESTS
    label = "기술지원 신청"
    model = ServiceRequest
    key_fields = ("center_id", "company_id", "service_type_id", "requested_on")
    sheet_title = "기술지원 신청"
    columns = (
        Column("센터", "center", text(100), lambda r: r.center.name, required=True, width=36, aliases=("센터명",)),
        Column("사업자등록번호", "brn", parse_brn, lambda r: r.company.brn_display, required=True, width=16),
        Column("업체명", "company_name", None, lambda r: r.company.name, importable=False, width=28),
        Column("업종", "industry", None, lambda r: r.company.industry.name, importable=False),
        Column(
            "서비스 유형",
            "service_type",
            text(30),
            lambda r: r.service_type.name,
            required=True,
            note="시험분석, 기술지도, 시제품제작, 기술자문 중 센터가 제공하는 것",
        ),
        Column(
            "신청일",
            "requested_on",
            parse_date,
            lambda r: r.requested_on,
            required=True,
            number_format="date",
            width=12,
        ),
        Column(
            "상태",
            "status",
            choice_parser(ServiceRequestStatus, "상태"),
            lambda r: r.get_status_display(),
            note="접수, 진행, 완료, 반려(비우면 접수). 바꿀 때는 접수→진행→완료, 접수·진행→반려만 가능",
        ),
        Column(
            "완료일",
            "completed_on",
            parse_date,
            lambda r: r.completed_on,
            number_format="date",
            width=12,
            note="'완료'일 때만, 신청일 이후",
        ),
        Column("메모", "memo", parse_text, lambda r: r.memo, width=30),
    )

    def prepare(self, rows):
        self.centers = NameLookup(SupportCenter.objects.order_by("kind", "order"), lambda c: [c.name])
        self.service_types = NameLookup(ServiceType.objects.order_by("order"), lambda s: [s.name, s.code])
        self.offered = center_offered_service_types([center.pk for center in set(self.centers.values())])
        brns = sorted({row.data["brn"] for row in rows})
        self.companies = {}
        for start in range(0, len(brns), 5000):
            self.companies.update(Company.objects.filter(brn__in=brns[start : start + 5000]).values_list("brn", "id"))

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        center = self.centers.find(data["center"])
        if center is None:
            raise RowProblem("센터", data["center"], unknown_name("센터", self.centers.accepted))
        company_id = self.companies.get(data["brn"])
        if company_id is None:
            raise RowProblem(
                "사업자등록번호", data["brn"], "등록되지 않은 뿌리기업입니다. 먼저 뿌리기업을 등록해 주세요."
            )
        service_type = self.service_types.find(data["service_type"])
        if service_type is None:
            raise RowProblem(
                "서비스 유형", data["service_type"], unknown_name("서비스 유형", self.service_types.accepted)
            )
        if service_type.pk not in self.offered[center.pk]:
            raise RowProblem(
                "서비스 유형", data["service_type"], service_type_not_offered_message(center, service_type)
            )
        values = {
            "center_id": center.pk,
            "company_id": company_id,
            "service_type_id": service_type.pk,
            "requested_on": data["requested_on"],
        }
        for name in ("completed_on", "memo"):
            if name in data:
                values[name] = data[name]
        if data.get("status"):
            values["status"] = data["status"]
        row.values = values
        row.key = (center.pk, company_id, service_type.pk, data["requested_on"])

    def validate_row(self, values, stored):
        if stored is None:
            values.setdefault("status", ServiceRequestStatus.RECEIVED)
        merged = {**(stored or {}), **values}
        try:
            if stored is not None:
                validate_service_request_transition(stored["status"], merged["status"])
            validate_service_request_dates(merged["status"], merged["requested_on"], merged.get("completed_on"))
        except ValidationError as error:
            label = {"status": lambda: ServiceRequestStatus(merged["status"]).label}
            raise first_problem(
                error,
                SERVICE_REQUEST_HEADERS,
                lambda field: label[field]() if field in label else merged.get(field),
            ) from None

    def existing_values(self, keys, fields):
        return super().existing_values(keys, sorted({*fields, "status", "completed_on"}))

    def object_repr(self, row):
        parts = ("center", "brn", "service_type", "requested_on")
        return " ".join(str(row.data.get(part, "")) for part in parts)

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return queryset.select_related("center", "company__industry", "service_type").order_by("requested_on", "pk")


INSTITUTION_PLAIN_FIELDS = ("name", "locality", "designated_year", "field_note", "description")


@register
class InstitutionKindIO(IndustrySetMixin, PlaceAndProgramMixin, ImportExportKind):
    name = ImportKind.INSTITUTIONS
    label = "인력양성기관"
    model = TrainingInstitution
    key_fields = ("name",)
    m2m_fields = ("industries",)
    sheet_title = "인력양성기관"
    columns = (
        Column("기관명", "name", text(100), lambda i: i.name, required=True, width=36),
        Column(
            "종류",
            "kind",
            choice_parser(InstitutionKind, "종류"),
            lambda i: i.get_kind_display(),
            required=True,
            width=30,
            note=", ".join(InstitutionKind.labels),
        ),
        Column("지역", "locality", text(30), lambda i: i.locality),
        Column("시·도", "province", text(20), province_name, aliases=("시도",), width=16),
        Column("권역", "region", text(20), region_name, note="선택. 적으면 시·도의 권역과 같아야 함"),
        Column("지정연도", "designated_year", parse_year, lambda i: i.designated_year),
        Column(
            "상태",
            "status",
            choice_parser(InstitutionStatus, "상태"),
            lambda i: i.get_status_display(),
            note="지정, 운영, 지정취소(비우면 지정)",
        ),
        Column("관련 사업", "program", text(100), program_name, width=36, note="사업명 또는 사업 코드"),
        Column(
            "분야",
            "industries",
            parse_name_list,
            industries_label,
            width=30,
            note="업종을 쉼표로 구분(예: 주조, 소성가공)",
        ),
        Column("분야 비고", "field_note", text(200), lambda i: i.field_note),
        Column("내용", "description", parse_text, lambda i: i.description, width=40),
    )

    def prepare(self, rows):
        self.prepare_places()
        self.prepare_industry_sets()

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        values = {name: data[name] for name in INSTITUTION_PLAIN_FIELDS if name in data}
        values["kind"] = data["kind"]
        if data.get("status"):
            values["status"] = data["status"]
        self.resolve_place_and_program(data, values)
        if "industries" in present:
            values["industries"] = self.resolve_industry_set(data.get("industries") or [], "분야")
        row.values = values
        row.key = (values["name"],)

    def validate_row(self, values, stored):
        if stored is None:
            values.setdefault("status", InstitutionStatus.DESIGNATED)

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return (
            queryset.select_related("province__region", "program")
            .prefetch_related(None)
            .prefetch_related(Prefetch("industries", queryset=Industry.objects.order_by("order")))
            .order_by("kind", "name")
        )


class InstitutionLookupMixin:
    def prepare_institutions(self):
        self.institutions = NameLookup(TrainingInstitution.objects.order_by("name"), lambda i: [i.name])

    def find_institution(self, name) -> TrainingInstitution:
        institution = self.institutions.find(name)
        if institution is None:
            raise RowProblem("기관명", name, "등록되지 않은 인력양성기관입니다. 먼저 기관을 등록해 주세요.")
        return institution


@register
class CourseKindIO(InstitutionLookupMixin, ImportExportKind):
    name = ImportKind.COURSES
    label = "교육과정"
    model = TrainingCourse
    key_fields = ("institution_id", "year", "name")
    sheet_title = "교육과정"
    columns = (
        Column("기관명", "institution", text(100), lambda c: c.institution.name, required=True, width=36),
        Column("연도", "year", parse_year, lambda c: c.year, required=True),
        Column("과정명", "name", text(150), lambda c: c.name, required=True, width=40),
        Column(
            "과정 구분",
            "course_type",
            choice_parser(CourseType, "과정 구분"),
            lambda c: c.get_course_type_display(),
            required=True,
            note="학위, 비학위",
        ),
        Column(
            "분야",
            "industry",
            text(30),
            lambda c: c.industry.name if c.industry else "",
            note="14대 업종(예: 주조, 사출/프레스)",
        ),
        Column("정원(명)", "capacity", parse_integer, lambda c: c.capacity, number_format="count"),
    )

    def prepare(self, rows):
        self.prepare_institutions()
        self.industries = industry_lookup()

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        institution = self.find_institution(data["institution"])
        values = {
            "institution_id": institution.pk,
            "year": data["year"],
            "name": data["name"],
            "course_type": data["course_type"],
        }
        if "industry" in data:
            industry = None
            if data["industry"]:
                industry = self.industries.find(data["industry"])
                if industry is None:
                    raise RowProblem("분야", data["industry"], unknown_name("업종", self.industries.accepted))
            values["industry_id"] = industry.pk if industry else None
        if "capacity" in data:
            values["capacity"] = data["capacity"]
        row.values = values
        row.key = (institution.pk, data["year"], data["name"])

    def object_repr(self, row):
        return f"{row.data.get('institution', '')} {row.data.get('year', '')} {row.data.get('name', '')}"

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return queryset.select_related("institution", "industry").order_by("institution__name", "year", "name")


OUTCOME_FIELDS = ("trainees", "graduates", "hired", "visa_changes")
OUTCOME_HEADERS = {
    "trainees": "양성 인원(명)",
    "graduates": "졸업·수료(명)",
    "hired": "뿌리기업 취업(명)",
    "visa_changes": "비자 전환 D-2→E-7-4(명)",
}


@register
class OutcomeKindIO(InstitutionLookupMixin, ImportExportKind):
    name = ImportKind.OUTCOMES
    label = "연도별 양성 실적"
    model = TrainingOutcome
    key_fields = ("institution_id", "year")
    sheet_title = "연도별 양성 실적"
    columns = (
        Column("기관명", "institution", text(100), lambda o: o.institution.name, required=True, width=36),
        Column(
            "기관 종류",
            "institution_kind",
            None,
            lambda o: o.institution.get_kind_display(),
            importable=False,
            width=30,
        ),
        Column("연도", "year", parse_year, lambda o: o.year, required=True),
        *(
            Column(
                header,
                field,
                parse_integer,
                partial(lambda name, o: getattr(o, name), field),
                number_format="count",
                note="외국인 기술인력 양성대학만" if field == "visa_changes" else "",
            )
            for field, header in OUTCOME_HEADERS.items()
        ),
    )

    def prepare(self, rows):
        self.prepare_institutions()
        self.kind_of = {institution.pk: institution.kind for institution in self.institutions.values()}

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        institution = self.find_institution(data["institution"])
        values = {"institution_id": institution.pk, "year": data["year"]}
        values.update({name: data[name] for name in OUTCOME_FIELDS if name in data})
        row.values = values
        row.key = (institution.pk, data["year"])

    def validate_row(self, values, stored):
        merged = {**(stored or {}), **values}
        graduates, hired, visa = merged.get("graduates"), merged.get("hired"), merged.get("visa_changes")
        if hired is not None and graduates is not None and hired > graduates:
            raise RowProblem(
                OUTCOME_HEADERS["hired"], hired, "뿌리기업 취업 인원은 졸업·수료 인원보다 많을 수 없습니다."
            )
        if visa is not None:
            if self.kind_of[merged["institution_id"]] != InstitutionKind.FOREIGN_UNIVERSITY:
                raise RowProblem(
                    OUTCOME_HEADERS["visa_changes"],
                    visa,
                    "비자 전환 인원은 외국인 기술인력 양성대학만 입력합니다.",
                )
            if hired is not None and visa > hired:
                raise RowProblem(
                    OUTCOME_HEADERS["visa_changes"],
                    visa,
                    "비자 전환 인원은 뿌리기업 취업 인원보다 많을 수 없습니다.",
                )

    def existing_values(self, keys, fields):
        return super().existing_values(keys, sorted({*fields, *OUTCOME_FIELDS}))

    def object_repr(self, row):
        return f"{row.data.get('institution', '')} {row.data.get('year', '')}"

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return queryset.select_related("institution").order_by("institution__name", "year")
