"""Years shown as years in every admin list and read-only field: 2025, not 2,025.

USE_THOUSAND_SEPARATOR is on (the plan's amounts need it), and the admin formats every integer
field with it. At start-up `plain_year_columns` swaps the year fields of each list_display, and
of the read-only fields of every admin and inline, for a column that prints the plain number;
sorting and headers stay the same.
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


def _plain_readonly_years(holder, model) -> None:
    """Read-only year fields of an admin or inline: shown through a `<name>_plain` column."""
    readonly = list(getattr(holder, "readonly_fields", ()) or ())
    years = [name for name in readonly if isinstance(name, str) and name in YEAR_FIELDS]
    if not years:
        return
    field_names = {field.name for field in model._meta.get_fields()}

    def swap(names):
        return type(names)(f"{name}_plain" if name in years else name for name in names)

    for name in years:
        if name in field_names:
            column = year_column(name, model._meta.get_field(name).verbose_name)
            # On an inline (a class) the column must not become a method; on a ModelAdmin instance it is not one.
            setattr(holder, f"{name}_plain", staticmethod(column) if isinstance(holder, type) else column)
    holder.readonly_fields = swap(tuple(readonly))
    if getattr(holder, "fields", None):
        holder.fields = swap(tuple(holder.fields))
    if getattr(holder, "fieldsets", None):
        holder.fieldsets = [
            (title, {**options, "fields": swap(tuple(options["fields"]))}) for title, options in holder.fieldsets
        ]


def plain_year_columns(site) -> None:
    for model, model_admin in site._registry.items():
        field_names = {field.name for field in model._meta.get_fields()}
        display = list(model_admin.list_display)
        for index, item in enumerate(display):
            if isinstance(item, str) and item in YEAR_FIELDS and item in field_names:
                display[index] = year_column(item, model._meta.get_field(item).verbose_name)
        model_admin.list_display = display
        _plain_readonly_years(model_admin, model)
        for inline in model_admin.inlines:
            _plain_readonly_years(inline, inline.model)
