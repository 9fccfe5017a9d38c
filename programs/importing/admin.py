"""Admin side of programs.importing: the upload → preview → confirm flow, templates, exports.

`ExcelImportExportMixin` goes before `admin.ModelAdmin`; set `import_kind = "<kind name>"`. It adds
to the changelist the buttons 가져오기 (upload, preview, confirm), 양식 내려받기 (.xlsx/.csv) and
내보내기 (.xlsx/.csv of the rows the current filters show), and the action 선택한 행 내보내기(.xlsx)
(the ticked rows). It also registers the admin pages of ImportBatch (가져오기 이력, with the rows
each import touched) unless programs/admin.py already has.
"""

from collections import defaultdict
from functools import cache
from pathlib import Path

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header

from programs import jobs
from programs.admin_conflicts import ConflictSafeAdminMixin
from programs.choices import ImportRowAction
from programs.importing.export import CONTENT_TYPES, export_kind, write_template
from programs.importing.files import MAX_UPLOAD_BYTES
from programs.importing.kinds import get_kind
from programs.importing.pipeline import PREVIEW_ROWS, import_file
from programs.importing.previews import UPLOAD_TTL, pending_upload_store, preview_context
from programs.importing.undo import UndoRefused, import_batch_undo
from programs.models import BackgroundJob, ImportBatch, ImportBatchRow, PendingUpload

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@cache
def importing_template(name: str):
    """Templates live inside this package (not an app's templates/ dir): load them by path."""
    return engines["django"].from_string((TEMPLATE_DIR / name).read_text(encoding="utf-8"))


def export_selected(modeladmin, request, queryset):
    """The 선택한 행 내보내기 action: the ticked rows (or all the filtered ones) as .xlsx."""
    if not modeladmin.has_view_or_change_permission(request):
        raise PermissionDenied
    kind = modeladmin.get_import_kind()
    response = HttpResponse(content_type=CONTENT_TYPES["xlsx"])
    export_kind(kind=kind, stream=response, file_format="xlsx", queryset=queryset)
    response["Content-Disposition"] = content_disposition_header(True, f"{kind.label}_선택.xlsx")
    return response


export_selected.allowed_permissions = ("view",)
EXPORT_SELECTED = "export_selected"


class ExcelImportExportMixin:
    import_kind: str = ""

    @property
    def change_list_template(self):
        return importing_template("change_list.html")

    def get_import_kind(self):
        return get_kind(self.import_kind)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.excel_import_view), name="{}_{}_import".format(*info)),
            path("import/template/", wrap(self.excel_template_view), name="{}_{}_import_template".format(*info)),
            path("export/", wrap(self.excel_export_view), name="{}_{}_export".format(*info)),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR not in request.GET and self.has_view_or_change_permission(request):
            actions[EXPORT_SELECTED] = (export_selected, EXPORT_SELECTED, "선택한 행 내보내기(.xlsx)")
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context)

    # --- import ----------------------------------------------------------------------------------
    def excel_import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        kind = self.get_import_kind()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{kind.label} 가져오기",
            "kind": kind,
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "columns": kind.importable_columns(),
        }
        if request.method == "POST" and request.POST.get("token"):
            return self._confirm_import(request, kind, request.POST["token"])
        if request.method == "GET" and request.GET.get("preview"):
            return self._background_preview(request, kind, context, request.GET["preview"])
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                messages.error(request, f"파일이 너무 큽니다(한도 {MAX_UPLOAD_BYTES // (1024 * 1024)}MB).")
                return HttpResponseRedirect(request.path)
            data = upload.read()
            if jobs.import_in_background(len(data)):
                return self._start_background_preview(request, kind, data, upload.name)
            result = import_file(kind=kind, data=data, file_name=upload.name, user=request.user, dry_run=True)
            context.update(
                result=result,
                counts=result.counts,
                preview_limit=PREVIEW_ROWS,
                new_rows=result.new[:PREVIEW_ROWS],
                updated_rows=result.updated[:PREVIEW_ROWS],
                errors=result.errors[:500],
            )
            if result.is_valid and result.has_changes:
                context["token"] = self._store_upload(request, data, upload.name, result)
        return TemplateResponse(request, importing_template("import.html"), context)

    def _store_upload(self, request, data: bytes, file_name: str, result) -> str:
        return pending_upload_store(
            kind_name=self.import_kind, user=request.user, data=data, file_name=file_name, result=result
        )

    def _start_background_preview(self, request, kind, data: bytes, file_name: str):
        """A large file is analysed by the task worker; the upload leads to its progress page."""
        job = jobs.job_start(action="preview", kind=kind.name, user=request.user, file_name=file_name, source=data)
        if job.finished and job.result_url:  # analysed in the request (no worker configured)
            return HttpResponseRedirect(job.result_url)
        return HttpResponseRedirect(reverse("admin:programs_backgroundjob_progress", args=[job.pk]))

    def _background_preview(self, request, kind, context, job_id: str):
        """The preview a background job made: the same page as an analysis done in the request."""
        job = (
            jobs.visible_jobs(request.user)
            .filter(pk=job_id if job_id.isdigit() else None, action=BackgroundJob.Action.PREVIEW, kind=kind.name)
            .defer("source", "result")
            .first()
        )
        if job is None:
            messages.error(request, "미리보기를 찾을 수 없습니다. 파일을 다시 올려 주세요.")
            return HttpResponseRedirect(request.path)
        if job.state != BackgroundJob.State.DONE:
            if job.finished:
                messages.error(request, job.message or "미리보기를 만들지 못했습니다. 파일을 다시 올려 주세요.")
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(reverse("admin:programs_backgroundjob_progress", args=[job.pk]))
        context.update(preview_context(job.params["preview"], preview_rows=PREVIEW_ROWS))
        return TemplateResponse(request, importing_template("import.html"), context)

    def _confirm_import(self, request, kind, token: str):
        pending = PendingUpload.objects.filter(
            token=token, user=request.user, kind=kind.name, created_at__gte=timezone.now() - UPLOAD_TTL
        ).first()
        if pending is None:
            messages.error(request, "미리보기가 만료되었습니다. 파일을 다시 올려 주세요.")
            return HttpResponseRedirect(request.path)
        data, stored = bytes(pending.content), {"file_name": pending.file_name, "snapshot": pending.snapshot}
        pending.delete()
        if jobs.import_in_background(len(data)):
            return self._start_background_import(request, kind, data, stored["file_name"], stored["snapshot"])
        result = import_file(
            kind=kind, data=data, file_name=stored["file_name"], user=request.user, expected=stored["snapshot"]
        )
        if not result.written and not result.errors:  # the rows were stored meanwhile: nothing left to write
            messages.info(request, f"신규·변경된 행이 없어 저장할 것이 없습니다({result.summary()}).")
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        if not result.written:
            for error in result.errors[:20]:
                messages.error(request, str(error))
            messages.error(request, "오류가 있어 아무것도 저장하지 않았습니다.")
            return HttpResponseRedirect(request.path)
        link = reverse("admin:programs_importbatch_change", args=[result.batch.pk])
        messages.success(
            request, format_html('가져왔습니다: {} (<a href="{}">가져오기 이력</a>)', result.summary(), link)
        )
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def _start_background_import(self, request, kind, data: bytes, file_name: str, snapshot):
        """A large file is written by the task worker; the confirm leads to its progress page.

        The preview's row versions go with it: rows changed since the preview are refused there too."""
        try:
            job = jobs.job_start(
                action="import",
                kind=kind.name,
                user=request.user,
                file_name=file_name,
                source=data,
                params={"expected": snapshot},
            )
        except jobs.JobRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse("admin:programs_backgroundjob_progress", args=[job.pk]))

    def excel_template_view(self, request):
        kind = self.get_import_kind()
        file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
        response = HttpResponse(content_type=CONTENT_TYPES[file_format])
        write_template(kind=kind, stream=response, file_format=file_format)
        response["Content-Disposition"] = content_disposition_header(True, f"{kind.label}_양식.{file_format}")
        return response

    # --- export ----------------------------------------------------------------------------------
    def excel_export_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        kind = self.get_import_kind()
        request.GET = request.GET.copy()
        file_format = "csv" if request.GET.pop("_format", ["xlsx"])[0] == "csv" else "xlsx"
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # As the list page itself does with conditions it cannot apply: back to the whole list.
            messages.error(request, "목록 조건이 올바르지 않아 내보내지 않았습니다. 조건을 다시 골라 주세요.")
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        queryset = changelist.get_queryset(request)
        if file_format == "xlsx" and jobs.export_in_background(queryset.count()):
            # The rows the user sees now (filters and scope), written by the task worker.
            job = jobs.job_start(
                action="export",
                kind=kind.name,
                user=request.user,
                file_name=f"{kind.label}.xlsx",
                params={"pks": list(queryset.order_by().values_list("pk", flat=True))},
            )
            if job.state == job.State.DONE:  # written in the request (no worker configured)
                response = HttpResponse(bytes(job.result), content_type=CONTENT_TYPES[file_format])
                response["Content-Disposition"] = content_disposition_header(True, job.file_name)
                return response
            return HttpResponseRedirect(reverse("admin:programs_backgroundjob_progress", args=[job.pk]))
        response = HttpResponse(content_type=CONTENT_TYPES[file_format])
        export_kind(kind=kind, stream=response, file_format=file_format, queryset=queryset)
        response["Content-Disposition"] = content_disposition_header(True, f"{kind.label}.{file_format}")
        return response


BATCH_ROWS_PER_PAGE = 50


def related_names(rows) -> dict:
    """Names of the objects the rows' previous values point to ({(model, pk): name}), one query per field."""
    wanted: dict = {}
    for row in rows:
        model = row.content_type.model_class()
        for name, value in (row.before or {}).items():
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if field.many_to_one and value is not None:
                wanted.setdefault(field.related_model, set()).add(value)
    return {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }


def before_display(row, names: dict | None = None) -> str:
    """The values a changed row had before the import, under the columns' Korean names."""
    if not row.before:
        return ""
    model = row.content_type.model_class()
    names = related_names([row]) if names is None else names
    parts = []
    for name, value in row.before.items():
        try:
            field = model._meta.get_field(name)
            label = str(field.verbose_name)
        except Exception:
            field, label = None, name
        if value is None or value == "":
            value = "(빈 값)"
        elif field is not None and field.many_to_one:
            value = names.get((field.related_model, value), value)
        elif isinstance(value, bool):
            value = "예" if value else "아니오"
        elif isinstance(value, int):
            value = f"{value:,}"
        parts.append(f"{label}: {value}")
    return " · ".join(parts)


def batch_rows_context(request, batch) -> dict:
    """The batch's rows for its page: filtered by 처리 (?action=), 50 a page (?page=), linked while they exist."""
    action = request.GET.get("action", "")
    rows = batch.rows.select_related("content_type").order_by("row_number", "pk")
    if action in ImportRowAction.values:
        rows = rows.filter(action=action)
    else:
        action = ""
    page = Paginator(rows, BATCH_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    # A batch may record rows of several tables (a kind's after_write: e.g. the 지원예산 표's placements).
    by_type = defaultdict(list)
    for row in items:
        by_type[row.content_type].append(row.object_id)
    existing = {
        (content_type.pk, pk)
        for content_type, ids in by_type.items()
        for pk in content_type.model_class()._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
    }
    names = related_names(items)
    shown = []
    for row in items:
        url = None
        if (row.content_type_id, row.object_id) in existing:
            info = row.content_type.app_label, row.content_type.model
            url = reverse("admin:{}_{}_change".format(*info), args=[row.object_id])
        shown.append({"row": row, "url": url, "before": before_display(row, names)})
    counts = dict.fromkeys((ImportRowAction.NEW, ImportRowAction.UPDATED), 0)
    counts.update(batch.rows.order_by().values_list("action").annotate(count=Count("pk")))
    filters = [("", "전체", sum(counts.values()))] + [(choice.value, choice.label, counts[choice]) for choice in counts]
    return {
        "rows_page": page,
        "rows": shown,
        "rows_action": action,
        "rows_filters": filters,
        "rows_page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }


class UndoneFilter(admin.SimpleListFilter):
    title = "되돌림"
    parameter_name = "undone"

    def lookups(self, request, model_admin):
        return [("no", "유효한 가져오기"), ("yes", "되돌린 가져오기")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(undone_at__isnull=self.value() == "no")
        return queryset


class ImportBatchAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "file_name",
        "user",
        "source",
        "new_count",
        "updated_count",
        "unchanged_count",
        "undone_mark",
        "rows_link",
    )
    list_filter = ("kind", UndoneFilter, "source", "created_at")
    search_fields = ("file_name", "sha256")
    list_select_related = ("user",)
    # Each figure once: the file's counts, then what the batch recorded (its row list and undo),
    # which for some kinds includes rows of other tables (e.g. the 지원예산 표's placement orders).
    fields = readonly_fields = (
        "kind",
        "file_name",
        "sha256",
        "user",
        "source",
        "created_at",
        "new_count",
        "updated_count",
        "unchanged_count",
        "recorded_rows",
        "undone_at",
        "rows_link",
    )
    change_form_template = "admin/programs/importbatch/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record is the audit of an import (and what undo works from): it is never deleted.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        if batch is not None:
            extra_context = {**(extra_context or {}), **batch_rows_context(request, batch)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        undo = path("<int:pk>/undo/", self.admin_site.admin_view(self.undo_view), name="programs_importbatch_undo")
        return [undo, *super().get_urls()]

    def undo_view(self, request, pk):
        """Confirmation page (GET) and the undo itself (POST)."""
        batch = get_object_or_404(ImportBatch, pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        change_url = reverse("admin:programs_importbatch_change", args=[batch.pk])
        if request.method == "POST":
            try:
                counts = import_batch_undo(batch=batch, user=request.user)
            except UndoRefused as refusal:
                messages.error(request, f"되돌리지 못했습니다: {refusal}")
            else:
                messages.success(
                    request,
                    f"가져오기를 되돌렸습니다: 지운 행 {counts['removed']:,}건, 되돌린 행 {counts['restored']:,}건.",
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "가져오기 되돌리기",
            "batch": batch,
            "recorded": batch.recorded_counts(),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/programs/importbatch/undo_confirm.html", context)

    @admin.display(description="되돌림", ordering="undone_at")
    def undone_mark(self, batch):
        return f"되돌림({timezone.localtime(batch.undone_at):%Y-%m-%d})" if batch.undone_at else "-"

    @admin.display(description="기록한 행(되돌리기 대상)")
    def recorded_rows(self, batch):
        counts = batch.recorded_counts()
        return f"신규 {counts[ImportRowAction.NEW]:,}건 · 변경 {counts[ImportRowAction.UPDATED]:,}건"

    @admin.display(description="처리한 행 전체")
    def rows_link(self, batch):
        url = reverse("admin:programs_importbatchrow_changelist") + f"?batch__id__exact={batch.pk}"
        return format_html('<a href="{}">행 목록 보기</a>', url)


class ImportBatchRowAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("batch", "row_number", "action", "object_repr", "before_column")
    list_filter = ("action", "batch__kind")
    search_fields = ("object_repr",)
    list_select_related = ("batch", "content_type")
    readonly_fields = ("batch", "row_number", "action", "content_type", "object_id", "object_repr", "before_column")
    fields = readonly_fields
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="변경 전 값")
    def before_column(self, row):
        return before_display(row) or "-"


def register_batch_admin(site=admin.site) -> None:
    for model, model_admin in ((ImportBatch, ImportBatchAdmin), (ImportBatchRow, ImportBatchRowAdmin)):
        if not site.is_registered(model):
            site.register(model, model_admin)
