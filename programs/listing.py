"""Staff-only filtered list pages (django-filter) with row counts, pagination and .xlsx download.

A list page declares its FilterSet, queryset and columns; the same columns drive the HTML table
and the exported workbook, so the download holds exactly the filtered rows the page shows (all
pages of them). Every app's list pages subclass `FilteredListView`.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django_filters.views import FilterView

from programs.excel import ExcelColumn, write_xlsx
from programs.formats import format_million, format_number, format_rate

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Logged-in staff who may view what the page shows (others: login page or 403); admin look."""

    login_url = reverse_lazy("admin:login")
    permission_required = "programs.view_program"

    def get_permission_required(self) -> str:
        return self.permission_required

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_staff and user.has_perm(self.get_permission_required())

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


@dataclass(frozen=True)
class ListColumn:
    header: str
    value: Callable[[object], object]
    kind: str = "text"  # text | code | won | million | rate | count | date

    @property
    def css_class(self) -> str:
        """Numbers right-aligned; codes (123-45-67890) and dates kept on one line."""
        if self.kind in ("won", "million", "rate", "count"):
            return "num"
        return "nowrap" if self.kind in ("code", "date") else ""

    def display(self, obj) -> str:
        value = self.value(obj)
        if value is None or value == "":
            return "-" if self.kind != "text" else ""
        if self.kind == "million":
            return format_million(value)
        if self.kind in ("won", "count"):
            return format_number(value)
        if self.kind == "rate":
            return format_rate(value, empty="-")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    @property
    def excel(self) -> ExcelColumn:
        formats = {"won": "won", "million": "million", "rate": "rate", "count": "count", "date": "date"}
        return ExcelColumn(self.header, formats.get(self.kind))

    def cell(self, obj):
        value = self.value(obj)
        if self.kind == "million" and value is not None:
            return value / 1_000_000
        return value


class FilteredListView(StaffRequiredMixin, FilterView):
    template_name = "plan/filtered_list.html"
    paginate_by = 50
    title = ""
    export_name = "목록"
    columns: list[ListColumn] = []
    link_column = 0  # the cell that links to the row's admin change page

    def get_permission_required(self) -> str:
        """Viewing a list needs the model's view permission, as its admin list does."""
        meta = self.filterset_class._meta.model._meta
        return f"{meta.app_label}.view_{meta.model_name}"

    def admin_change_url(self, obj) -> str:
        meta = obj._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request) -> HttpResponse:
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        stream = io.BytesIO()
        write_xlsx(
            stream,
            [column.excel for column in self.columns],
            ([column.cell(obj) for column in self.columns] for obj in rows.iterator(chunk_size=2000)),
            sheet_title=self.export_name[:31],
        )
        response = HttpResponse(stream.getvalue(), content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
        response["Content-Disposition"] = content_disposition_header(True, f"{self.export_name}_{stamp}.xlsx")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context["title"] = self.title
        context["columns"] = self.columns
        context["link_column"] = self.link_column
        context["rows"] = [
            (self.admin_change_url(obj), [(column.display(obj), column.css_class) for column in self.columns], obj)
            for obj in context["object_list"]
        ]
        context["query_string"] = query.urlencode()
        context["row_count"] = context["paginator"].count if context.get("paginator") else len(context["rows"])
        return context
