"""Admin columns that print a year as a year: 2025, not 2,025.

USE_THOUSAND_SEPARATOR is on (the plan's amounts need it), and the admin formats every integer
field with it, years included. An admin declares `year_plain = plain_year("year", "연도")` and
names `"year_plain"` in `list_display`, `readonly_fields` or `fields` where the year should show;
sorting follows the field. `million_column` does the same for won amounts shown in 백만원, and
`set_list_footer` puts a list's totals in its table footer.
"""

from programs.formats import format_million


def plain_year(field_name: str, label: str):
    def column(obj):
        value = getattr(obj, field_name)
        return "-" if value is None else str(value)

    column.short_description = label
    column.admin_order_field = field_name
    column.__name__ = f"{field_name}_plain"
    # A static method: the same column works on a ModelAdmin (bound) and on an inline class.
    return staticmethod(column)


class ReferenceDataAdmin:
    """Admin mixin for the plan's reference data: shown, searched and filtered, never edited here.

    The rows come from the plan document through `manage.py load_plan`; a change belongs in the
    fixtures (and is compared with the document by the tests), not in a form."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
def set_list_footer(changelist, label: str, values: dict[str, str]) -> None:
    """A totals row in the list's own table footer: `values` by list_display name, `label` before them.

    Rendered by config/templates/admin/change_list_results.html, so the totals line up with their
    columns (a separate table never does).
    """
    changelist.footer = {"label": label, "values": values}


def million_column(field_name: str, label: str):
    """A won amount shown in 백만원 as the plan prints it: `sales_million = million_column("plan_sales", "매출액")`.

    The header carries the unit ("매출액(백만원)"); sorting follows the field. Like plain_year, a
    static method usable on a ModelAdmin and on an inline.
    """

    def column(obj):
        return format_million(getattr(obj, field_name))

    column.short_description = f"{label}(백만원)"
    column.admin_order_field = field_name
    column.__name__ = f"{field_name}_million"
    return staticmethod(column)
