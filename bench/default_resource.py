"""django-import-export's default setup for the same file: a plain ModelResource, row by row.

Only what is needed to read our template is declared (Korean headers, 업종/시·도 by name, the
dashed 사업자등록번호); everything else is the library's default behaviour (import_data, one
instance look-up and save per row).
"""

from import_export import fields, resources, widgets

from companies.models import Company, Industry, Province


class DigitsWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return "".join(ch for ch in str(value or "") if ch.isdigit())


class DefaultCompanyResource(resources.ModelResource):
    brn = fields.Field(attribute="brn", column_name="사업자등록번호", widget=DigitsWidget())
    name = fields.Field(attribute="name", column_name="업체명")
    province = fields.Field(
        attribute="province", column_name="시·도", widget=widgets.ForeignKeyWidget(Province, "name")
    )
    industry = fields.Field(attribute="industry", column_name="업종", widget=widgets.ForeignKeyWidget(Industry, "name"))
    founded_on = fields.Field(attribute="founded_on", column_name="설립일", widget=widgets.DateWidget())
    employees = fields.Field(attribute="employees", column_name="종사자 수", widget=widgets.IntegerWidget())
    sales_amount = fields.Field(attribute="sales_amount", column_name="매출액(원)", widget=widgets.IntegerWidget())
    export_amount = fields.Field(attribute="export_amount", column_name="수출액(원)", widget=widgets.IntegerWidget())
    memo = fields.Field(attribute="memo", column_name="메모")

    class Meta:
        model = Company
        import_id_fields = ("brn",)
        fields = (
            "brn",
            "name",
            "province",
            "industry",
            "founded_on",
            "employees",
            "sales_amount",
            "export_amount",
            "memo",
        )
