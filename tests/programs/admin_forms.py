"""Build the POST data of an admin change form from the page itself, as a browser would send it."""


def change_form_data(response) -> dict:
    """Field values of the admin form and its inline formsets as rendered in `response`."""
    data = {}
    form = response.context["adminform"].form
    for bound_field in form:
        _put(data, bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            data[bound_field.html_name] = bound_field.value()
        for subform in formset.forms:
            for bound_field in subform:
                _put(data, bound_field)
    return data


def _put(data: dict, bound_field) -> None:
    value = bound_field.value()
    if value is None or value is False:
        return
    if value is True:
        value = "on"
    if isinstance(value, list | tuple):
        data[bound_field.html_name] = [str(item) for item in value]
    else:
        data[bound_field.html_name] = value


def add_inline_row(data: dict, prefix: str, values: dict) -> dict:
    """Fill the next empty row of an inline formset (the admin renders `extra` blank rows)."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    initial = int(data[f"{prefix}-INITIAL_FORMS"])
    index = initial if total > initial else total
    for field, value in values.items():
        data[f"{prefix}-{index}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(max(total, index + 1))
    return data
