"""Admin list tables as the plan prints them: numbers right-aligned, totals in the table's footer.

`{% numeric_table result_headers results as table %}` marks every column whose cells are all
numbers (1,234 · △1,740 · 6.9 · 12건 · "-" for none) so the header and cells right-align, for every
changelist, ours and third-party alike, without listing columns by hand. A ModelAdmin that sets
`changelist.footer` (see programs.admin_display.set_list_footer) gets that row in the table's
own <tfoot>, under the columns it belongs to.
"""

import re

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

# Django marks foreign-key and date cells "nowrap". Dates should stay on one line; a related
# object's name (a program, a center) must be allowed to wrap or the list runs off the screen.
DATE_LIKE = re.compile(r"^\d{4}[-./년]|\d{1,2}:\d{2}")
NOWRAP = re.compile(r'(<t[dh][^>]*class="[^"]*)\bnowrap\b')
NUMBER = re.compile(r"^[△\-−+]?\d[\d,]*(\.\d+)?\s*(%|원|백만원|건|명|개|종|곳|회|KB|⚠)?$")
EMPTY = {"", "-", "—", "신규"}
CLASS_ATTR = re.compile(r'class="')


def _is_number(text: str) -> bool:
    return bool(NUMBER.match(text.replace("\xa0", " ").strip()))


# A column with no figure yet (every cell "-") is still a number column if its header names a unit.
UNIT_HEADER = re.compile(r"\((백만원|원|%|건|명|개|개사|종|KB)\)")


def numeric_columns(results, headers=()) -> list[bool]:
    """Which columns hold numbers: every filled cell is one (or the header names a unit), none is text."""
    width = max([len(headers)] + [len(row) for row in results])
    has_unit = [index < len(headers) and bool(UNIT_HEADER.search(str(headers[index].get("text", ""))))
                for index in range(width)]
    numbers, texts = [False] * width, [False] * width
    for row in results:
        for index, item in enumerate(row):
            if "<input" in item or "<select" in item:
                texts[index] = True
                continue
            text = strip_tags(item).replace("\xa0", " ").strip()
            if text in EMPTY:
                continue
            if _is_number(text):
                numbers[index] = True
            else:
                texts[index] = True
    return [not texts[index] and (numbers[index] or has_unit[index]) for index in range(width)]


def _add_class(html: str, css_class: str) -> str:
    if 'class="' in html[: html.find(">")]:
        return CLASS_ATTR.sub(f'class="{css_class} ', html, count=1)
    return html.replace(">", f' class="{css_class}">', 1)


def footer_cells(changelist) -> list[dict]:
    """The footer row under the list's columns: the label spans the columns before the first total."""
    footer = getattr(changelist, "footer", None)
    if not footer:
        return []
    # Columns given as callables (e.g. headers named for the selected year) count by their name.
    names = [name.__name__ if callable(name) else name for name in changelist.list_display]
    values = footer["values"]
    first = next((index for index, name in enumerate(names) if name in values), len(names))
    cells = [{"header": True, "text": footer["label"], "colspan": max(first, 1), "numeric": False}]
    for name in names[max(first, 1):]:
        cells.append({"header": False, "text": values.get(name, ""), "colspan": 1, "numeric": name in values})
    return cells


@register.simple_tag
def numeric_table(changelist, result_headers, results):
    numeric = numeric_columns(results, list(result_headers))
    headers = []
    for index, header in enumerate(result_headers):
        header = dict(header)
        if index < len(numeric) and numeric[index]:
            attrib = str(header.get("class_attrib") or "")
            header["class_attrib"] = mark_safe(_add_class(f"<th{attrib}>", "num")[3:-1] if attrib else ' class="num"')
        headers.append(header)
    rows = []
    for row in results:
        cells = []
        for index, item in enumerate(row):
            html = str(item)
            if index < len(numeric) and numeric[index]:
                html = _add_class(html, "num")
            elif "nowrap" in html[: html.find(">")] and not DATE_LIKE.search(strip_tags(html).strip()):
                html = NOWRAP.sub(r"\1wrap", html, count=1)
            cells.append(mark_safe(html))
        rows.append({"form": getattr(row, "form", None), "cells": cells})
    return {"headers": headers, "rows": rows, "footer": footer_cells(changelist)}
