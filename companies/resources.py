"""Import/export kinds of the companies app: 뿌리기업 (`companies`) and 사업 신청 (`applications`).

Both plug into programs.importing: Korean headers, bulk look-ups of 업종/시·도/사업/기업, upsert
keyed on 사업자등록번호 and on 사업자등록번호+사업+연도. Derived columns (권역, 업종 그룹, 매출 규모,
성장단계, 확인서 상태) are exported for reading and ignored on import (권역, when given, must agree
with the 시·도).
"""

from companies.choices import APPLICATION_TRANSITIONS, ApplicationStatus
from companies.models import Application, Company
from companies.models.companies import FOREIGN_WORKERS_ABOVE_EMPLOYEES, foreign_workers_exceed
from companies.selectors import industry_lookup, province_lookup, region_lookup
from companies.services import application_status_reachable
from programs.choices import ImportKind
from programs.identifiers import format_corporate_number
from programs.importing.cells import (
    CellError,
    parse_boolean,
    parse_brn,
    parse_corporate_number,
    parse_date,
    parse_email,
    parse_integer,
    parse_text,
    parse_year,
    text,
    unknown_name,
)
from programs.importing.kinds import Column, ImportExportKind, ParsedRow, RowProblem, filter_in, register
from programs.models.plan import YearAgreement
from programs.selectors import area_label, ministry_full_label, placement_labels, program_lookup, task_label


def yes_no(value: bool) -> str:
    return "Y" if value else "N"


# Columns whose parsed value is stored as is, under the same model attname.
COMPANY_PLAIN_FIELDS = (
    "brn",
    "corporate_number",
    "name",
    "representative",
    "address",
    "founded_on",
    "employees",
    "foreign_workers",
    "sales_amount",
    "export_amount",
    "financial_year",
    "has_rnd_capacity",
    "is_myeongga",
    "is_good_workplace",
    "is_tech_specialist",
    "certificate_number",
    "certificate_issued_on",
    "contact_name",
    "contact_phone",
    "contact_email",
    "memo",
)


@register
class CompanyKind(ImportExportKind):
    name = ImportKind.COMPANIES
    label = "뿌리기업"
    model = Company
    key_fields = ("brn",)
    sheet_title = "뿌리기업"
    columns = (
        Column(
            "사업자등록번호",
            "brn",
            parse_brn,
            lambda c: c.brn_display,
            required=True,
            width=16,
            note="10자리, 123-45-67890 형식·공백·전각 숫자 모두 가능(검증번호 확인)",
        ),
        Column(
            "법인등록번호",
            "corporate_number",
            parse_corporate_number,
            lambda c: format_corporate_number(c.corporate_number),
            width=17,
            note="법인만, 13자리",
        ),
        Column("업체명", "name", text(100), lambda c: c.name, required=True, width=28),
        Column("대표자", "representative", text(50), lambda c: c.representative),
        Column("주소", "address", text(200), lambda c: c.address, width=40),
        Column(
            "시·도",
            "province",
            text(20),
            lambda c: c.province.name,
            required=True,
            width=16,
            aliases=("시도",),
            note="예: 경기도, 경기, 부산광역시",
        ),
        Column(
            "권역",
            "region",
            text(20),
            lambda c: c.province.region.name,
            note="선택. 적으면 시·도의 권역과 같아야 함(동남권=경남권, 대경권=경북권)",
        ),
        Column("업종 그룹", "industry_group", None, lambda c: c.industry.group.name, importable=False, width=20),
        Column(
            "업종",
            "industry",
            text(30),
            lambda c: c.industry.name,
            required=True,
            width=16,
            note="14대 업종(예: 사출/프레스, 사출·프레스)",
        ),
        Column("설립일", "founded_on", parse_date, lambda c: c.founded_on, number_format="date", width=12),
        Column("종사자 수", "employees", parse_integer, lambda c: c.employees, number_format="count"),
        Column(
            "외국인 종사자 수",
            "foreign_workers",
            parse_integer,
            lambda c: c.foreign_workers,
            number_format="count",
        ),
        Column(
            "매출액(원)",
            "sales_amount",
            parse_integer,
            lambda c: c.sales_amount,
            number_format="won",
            width=18,
            note="원 단위 정수, 0 이상",
        ),
        Column(
            "수출액(원)",
            "export_amount",
            parse_integer,
            lambda c: c.export_amount,
            number_format="won",
            width=18,
            note="원 단위 정수, 0 이상",
        ),
        Column("매출 기준연도", "financial_year", parse_year, lambda c: c.financial_year),
        Column(
            "R&D 역량 보유",
            "has_rnd_capacity",
            parse_boolean,
            lambda c: yes_no(c.has_rnd_capacity),
            note="Y/N",
        ),
        Column("뿌리기업 명가", "is_myeongga", parse_boolean, lambda c: yes_no(c.is_myeongga), note="Y/N"),
        Column(
            "일하기 좋은 뿌리기업",
            "is_good_workplace",
            parse_boolean,
            lambda c: yes_no(c.is_good_workplace),
            note="Y/N",
        ),
        Column(
            "뿌리기술 전문기업",
            "is_tech_specialist",
            parse_boolean,
            lambda c: yes_no(c.is_tech_specialist),
            note="Y/N",
        ),
        Column(
            "확인서 번호",
            "certificate_number",
            text(30),
            lambda c: c.certificate_number,
            aliases=("뿌리기업 확인서 번호",),
        ),
        Column(
            "확인서 발급일",
            "certificate_issued_on",
            parse_date,
            lambda c: c.certificate_issued_on,
            number_format="date",
            width=12,
            note="유효기간 3년",
        ),
        Column(
            "확인서 상태",
            "certificate_status",
            None,
            lambda c: c.certificate_status().label,
            importable=False,
        ),
        Column("담당자", "contact_name", text(50), lambda c: c.contact_name),
        Column("연락처", "contact_phone", text(30), lambda c: c.contact_phone, number_format="text"),
        Column("이메일", "contact_email", parse_email, lambda c: c.contact_email, width=24),
        Column("메모", "memo", parse_text, lambda c: c.memo, width=30),
        Column("매출 규모", "sales_bracket", None, lambda c: c.sales_bracket_label, importable=False),
        Column("성장단계", "growth_stage", None, lambda c: c.growth_stage_label, importable=False),
    )

    def prepare_run(self):
        self.industries = industry_lookup()
        self.provinces = province_lookup()
        self.regions = region_lookup()

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        values = {name: data[name] for name in COMPANY_PLAIN_FIELDS if name in data}
        province = self.provinces.find(data["province"])
        if province is None:
            raise RowProblem("시·도", data["province"], unknown_name("시·도", self.provinces.accepted))
        industry = self.industries.find(data["industry"])
        if industry is None:
            raise RowProblem("업종", data["industry"], unknown_name("업종", self.industries.accepted))
        if data.get("region"):
            region = self.regions.find(data["region"])
            if region is None:
                raise RowProblem("권역", data["region"], unknown_name("권역", self.regions.accepted))
            if region.pk != province.region_id:
                raise RowProblem("권역", data["region"], f"{province.name}은(는) {province.region.name}에 속합니다.")
        values["province_id"] = province.pk
        values["industry_id"] = industry.pk
        row.values = values
        row.key = (values["brn"],)

    def validate_row(self, values, stored):
        employees = values.get("employees", (stored or {}).get("employees"))
        foreign = values.get("foreign_workers", (stored or {}).get("foreign_workers"))
        if foreign_workers_exceed(employees, foreign):
            raise RowProblem("외국인 종사자 수", foreign, FOREIGN_WORKERS_ABOVE_EMPLOYEES)

    def existing_values(self, keys, fields):
        # employees/foreign_workers are needed by validate_row even when the file lacks one of them.
        return super().existing_values(keys, sorted({*fields, "employees", "foreign_workers"}))

    def object_repr(self, row):
        return f"{row.data.get('name', '')} ({row.values.get('brn', '')})"

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        return queryset.select_related("industry__group", "province__region").order_by("pk")


STATUS_BY_WORD = {
    **{label: value for value, label in ApplicationStatus.choices},
    **{value: value for value in ApplicationStatus.values},
}


def parse_status(value) -> str:
    word = parse_text(value)
    if not word:
        return ""
    try:
        return STATUS_BY_WORD[word]
    except KeyError:
        raise CellError("알 수 없는 상태입니다. 가능한 상태: " + ", ".join(ApplicationStatus.labels)) from None


APPLICATION_PLAIN_FIELDS = ("year", "requested_amount", "granted_amount", "applied_on", "decided_on", "memo")


@register
class ApplicationKind(ImportExportKind):
    name = ImportKind.APPLICATIONS
    label = "사업 신청"
    model = Application
    key_fields = ("company_id", "program_id", "year")
    sheet_title = "사업 신청"
    columns = (
        Column("사업자등록번호", "brn", parse_brn, lambda a: a.company.brn_display, required=True, width=16),
        Column("업체명", "company_name", None, lambda a: a.company.name, importable=False, width=28),
        Column(
            "사업",
            "program",
            text(100),
            lambda a: a.program.name,
            required=True,
            width=36,
            aliases=("사업명",),
            note="사업명, 사업 코드 또는 계획 문서의 다른 표기",
        ),
        Column("추진분야", "area", None, area_label, importable=False, width=28),
        Column("추진과제", "task", None, task_label, importable=False, width=36),
        Column("소관부처", "ministry", None, ministry_full_label, importable=False),
        Column("연도", "year", parse_year, lambda a: a.year, required=True),
        Column(
            "상태",
            "status",
            parse_status,
            lambda a: a.get_status_display(),
            note="접수, 검토, 선정, 탈락, 협약, 완료, 취소(비우면 접수)",
        ),
        Column(
            "신청액(원)",
            "requested_amount",
            parse_integer,
            lambda a: a.requested_amount,
            number_format="won",
            width=18,
        ),
        Column(
            "지원액(원)",
            "granted_amount",
            parse_integer,
            lambda a: a.granted_amount,
            number_format="won",
            width=18,
        ),
        Column("신청일", "applied_on", parse_date, lambda a: a.applied_on, number_format="date", width=12),
        Column(
            "결정일",
            "decided_on",
            parse_date,
            lambda a: a.decided_on,
            number_format="date",
            width=12,
            aliases=("선정·탈락 결정일",),
        ),
        Column("메모", "memo", parse_text, lambda a: a.memo, width=30),
    )

    def prepare_run(self):
        self.programs = program_lookup()
        self.year_agreement = YearAgreement.load()

    def prepare(self, rows):
        brns = sorted({row.data["brn"] for row in rows})
        self.companies = {}
        for start in range(0, len(brns), 5000):
            chunk = brns[start : start + 5000]
            self.companies.update(filter_in(Company.objects.all(), "brn", chunk).values_list("brn", "id"))

    def resolve_row(self, row: ParsedRow, present: set[str]) -> None:
        data = row.data
        company_id = self.companies.get(data["brn"])
        if company_id is None:
            raise RowProblem(
                "사업자등록번호", data["brn"], "등록되지 않은 뿌리기업입니다. 먼저 뿌리기업을 등록해 주세요."
            )
        program = self.programs.find(data["program"])
        if program is None:
            raise RowProblem("사업", data["program"], unknown_name("사업", self.programs.accepted))
        if problem := self.year_agreement.problem(program.pk, data["year"]):
            raise RowProblem("연도", data["year"], problem)
        values = {name: data[name] for name in APPLICATION_PLAIN_FIELDS if name in data}
        if data.get("status"):
            values["status"] = data["status"]
        values.update(company_id=company_id, program_id=program.pk)
        row.values = values
        row.key = (company_id, program.pk, values["year"])

    def validate_row(self, values, stored):
        status = values.get("status")
        if stored is None:
            values.setdefault("status", ApplicationStatus.RECEIVED)
            return
        if status and status != stored["status"] and not application_status_reachable(stored["status"], status):
            current = ApplicationStatus(stored["status"]).label
            allowed = ", ".join(ApplicationStatus(s).label for s in APPLICATION_TRANSITIONS[stored["status"]])
            raise RowProblem(
                "상태",
                ApplicationStatus(status).label,
                f"현재 상태 '{current}'에서 바꿀 수 없습니다(다음 가능 상태: {allowed or '없음'}).",
            )

    def existing_values(self, keys, fields):
        return super().existing_values(keys, sorted({*fields, "status"}))

    def object_repr(self, row):
        return f"{row.data.get('brn', '')} {row.data.get('program', '')} {row.data.get('year', '')}"

    def export_queryset(self, queryset=None):
        queryset = super().export_queryset(queryset)
        queryset = queryset.select_related("company", "program__ministry").annotate(**placement_labels())
        return queryset.order_by("pk")
