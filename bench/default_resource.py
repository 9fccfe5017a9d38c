"""django-import-export's default setup for the same file: a plain ModelResource, row by row.

What a developer would write with django-import-export 4.x to read our template: one `Field` per
Korean header with the library's standard widget for the model field (CharWidget, IntegerWidget,
DateWidget, ForeignKeyWidget for 업종/시·도 by name, BooleanWidget taught the template's Y/N),
`import_id_fields` on 사업자등록번호, and a CharWidget that keeps the digits of the dashed
123-45-67890. Everything else is the library's default behaviour: `import_data` looks up and
saves one instance per row, inside one transaction (all-or-nothing like ours). The derived,
read-only 권역 column is not a model field and is ignored, as the library ignores unknown headers.
"""

from import_export import fields, resources, widgets

from companies.models import Company, Industry, Province


class DigitsWidget(widgets.CharWidget):
    """사업자등록번호 as typed (123-45-67890) to the stored 10 digits."""

    def clean(self, value, row=None, **kwargs):
        return "".join(ch for ch in str(value or "") if ch.isdigit())


class YesNoWidget(widgets.BooleanWidget):
    """The template writes Y/N; BooleanWidget only knows 1/0 and true/false out of the box."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "Y", "y"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "N", "n"]


def text(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=widgets.CharWidget())


def integer(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=widgets.IntegerWidget())


def date(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=widgets.DateWidget())


def yes_no(attribute, header):
    return fields.Field(attribute=attribute, column_name=header, widget=YesNoWidget())


class DefaultCompanyResource(resources.ModelResource):
    brn = fields.Field(attribute="brn", column_name="사업자등록번호", widget=DigitsWidget())
    corporate_number = fields.Field(attribute="corporate_number", column_name="법인등록번호", widget=DigitsWidget())
    name = text("name", "업체명")
    representative = text("representative", "대표자")
    address = text("address", "주소")
    province = fields.Field(
        attribute="province", column_name="시·도", widget=widgets.ForeignKeyWidget(Province, "name")
    )
    industry = fields.Field(attribute="industry", column_name="업종", widget=widgets.ForeignKeyWidget(Industry, "name"))
    founded_on = date("founded_on", "설립일")
    employees = integer("employees", "종사자 수")
    foreign_workers = integer("foreign_workers", "외국인 종사자 수")
    sales_amount = integer("sales_amount", "매출액(원)")
    export_amount = integer("export_amount", "수출액(원)")
    financial_year = integer("financial_year", "매출 기준연도")
    has_rnd_capacity = yes_no("has_rnd_capacity", "R&D 역량 보유")
    is_myeongga = yes_no("is_myeongga", "뿌리기업 명가")
    is_good_workplace = yes_no("is_good_workplace", "일하기 좋은 뿌리기업")
    is_tech_specialist = yes_no("is_tech_specialist", "뿌리기술 전문기업")
    certificate_number = text("certificate_number", "확인서 번호")
    certificate_issued_on = date("certificate_issued_on", "확인서 발급일")
    contact_name = text("contact_name", "담당자")
    contact_phone = text("contact_phone", "연락처")
    contact_email = text("contact_email", "이메일")
    memo = text("memo", "메모")

    class Meta:
        model = Company
        import_id_fields = ("brn",)
        use_transactions = True
        fields = (
            "brn",
            "corporate_number",
            "name",
            "representative",
            "address",
            "province",
            "industry",
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
