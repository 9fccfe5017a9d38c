"""Years shown as years in every admin list: 2025, not 2,025.

USE_THOUSAND_SEPARATOR is on (the plan's amounts need it), and the admin formats every integer
field with it. At start-up `plain_year_columns` swaps the year fields of each list_display for a
column that prints the plain number; sorting and headers stay the same.
"""

YEAR_FIELDS = {"year", "financial_year", "designated_year", "start_year", "end_year"}


def year_column(name: str, label: str):
    def column(obj):
        value = getattr(obj, name)
        return "-" if value is None else str(value)

    column.short_description = label
    column.admin_order_field = name
    column.__name__ = f"{name}_plain"
    return column


def plain_year_columns(site) -> None:
    for model, model_admin in site._registry.items():
        field_names = {field.name for field in model._meta.get_fields()}
        display = list(model_admin.list_display)
        for index, item in enumerate(display):
            if isinstance(item, str) and item in YEAR_FIELDS and item in field_names:
                display[index] = year_column(item, model._meta.get_field(item).verbose_name)
        model_admin.list_display = display
