"""Admin pages of background jobs: the list, a progress page that follows one job, its download."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header

from programs.admin_conflicts import ConflictSafeAdminMixin
from programs.choices import ImportKind
from programs.jobs import job_status, visible_jobs
from programs.models import BackgroundJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "action", "kind_label", "file_name", "user", "state", "progress_link")
    list_filter = ("action", "state")
    list_select_related = ("user",)
    fields = (
        "action",
        "kind_label",
        "file_name",
        "user",
        "state",
        "stage",
        "rows_total",
        "rows_read",
        "rows_checked",
        "rows_written",
        "message",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_jobs(request.user).defer("source", "result")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    @admin.display(description="종류", ordering="kind")
    def kind_label(self, job):
        """The kind's Korean name (「뿌리기업」), not its code (「companies」)."""
        return dict(ImportKind.choices).get(job.kind, job.kind) or "-"

    @admin.display(description="진행 상황")
    def progress_link(self, job):
        return format_html('<a href="{}">보기</a>', reverse("admin:programs_backgroundjob_progress", args=[job.pk]))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", wrap(self.progress_view), name="programs_backgroundjob_progress"),
            path("<int:pk>/status/", wrap(self.status_view), name="programs_backgroundjob_status"),
            path("<int:pk>/download/", wrap(self.download_view), name="programs_backgroundjob_download"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> BackgroundJob:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(visible_jobs(request.user).defer("source", "result"), pk=pk)

    def progress_view(self, request, pk):
        job = self._job(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{job.get_action_display()} 진행 상황",
            "job": job,
            "status": job_status(job),
            "status_url": reverse("admin:programs_backgroundjob_status", args=[job.pk]),
        }
        return TemplateResponse(request, "admin/programs/backgroundjob/progress.html", context)

    def status_view(self, request, pk):
        return JsonResponse(job_status(self._job(request, pk)))

    def download_view(self, request, pk):
        job = get_object_or_404(visible_jobs(request.user), pk=self._job(request, pk).pk)
        if job.state != BackgroundJob.State.DONE or job.result is None:
            raise PermissionDenied
        response = HttpResponse(bytes(job.result), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, job.file_name or "내보내기.xlsx")
        return response
