"""Korean names for what third-party apps show staff (applied by config.apps.ProjectConfig.ready).

django-axes names its admin section "Axes" and describes its records in English
("Access Log for admin @ 2026-11-25 16:21:57.958571+00:00"), which the admin uses as page titles,
breadcrumbs and delete confirmations. Its field labels come from config/locale.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def apply() -> None:
    # The task backend's own table (English, internal): staff follow their work on the
    # 「백그라운드 작업」 pages (programs.jobs_admin) instead. Its permissions are named in Korean too.
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    apps.get_app_config("django_tasks_database").verbose_name = "작업 처리기"
    DBTaskResult._meta.verbose_name = "작업 처리 기록"
    DBTaskResult._meta.verbose_name_plural = "작업 처리 기록"
    apps.get_app_config("axes").verbose_name = "로그인 잠금 관리"
    AccessLog.__str__ = lambda self: f"{self.username} 접속 기록 ({_when(self.attempt_time)})"
    AccessAttempt.__str__ = lambda self: f"{self.username} 로그인 시도 ({_when(self.attempt_time)})"
    AccessFailureLog.__str__ = lambda self: (
        f"{self.username} 로그인 실패{' (잠김)' if self.locked_out else ''} "
        f"({_when(self.attempt_time)}, {self.ip_address})"
    )
