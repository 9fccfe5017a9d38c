"""Admin columns that print a year as a year: 2025, not 2,025.

USE_THOUSAND_SEPARATOR is on (the plan's amounts need it), and the admin formats every integer
field with it, years included. An admin declares `year_plain = plain_year("year", "연도")` and
names `"year_plain"` in `list_display`, `readonly_fields` or `fields` where the year should show;
sorting follows the field.
"""


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
