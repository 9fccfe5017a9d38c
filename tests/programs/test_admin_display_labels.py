"""Admin pages show years plainly, job kinds by their Korean names, undone imports as undone, and
no row counters for jobs that have no rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.jobs import job_start
from programs.models import BackgroundJob, ImportBatch

pytestmark = pytest.mark.django_db


def test_a_plan_years_read_only_year_has_no_thousands_separator(admin_client):
    page = admin_client.get(reverse("admin:programs_planyear_change", args=[2025])).content.decode()
    assert '<div class="readonly">2025</div>' in page
    assert "2,025" not in page


def test_background_jobs_show_the_kinds_korean_name(admin_client):
    job = job_start(action="import", kind="companies", user=None, file_name="기업.xlsx", source=b"")
    listing = admin_client.get(reverse("admin:programs_backgroundjob_changelist")).content.decode()
    assert '<td class="field-kind_label">뿌리기업</td>' in listing
    assert ">companies<" not in listing
    page = admin_client.get(reverse("admin:programs_backgroundjob_change", args=[job.pk])).content.decode()
    assert '<div class="readonly">뿌리기업</div>' in page


def test_a_reports_progress_page_has_no_row_counters(admin_client, admin_user):
    report = BackgroundJob.objects.create(action="report", kind="", user=admin_user)
    page = admin_client.get(reverse("admin:programs_backgroundjob_progress", args=[report.pk])).content.decode()
    assert "전체 행" not in page and "기록한 행" not in page
    job = job_start(action="import", kind="companies", user=admin_user, file_name="기업.xlsx", source=b"")
    page = admin_client.get(reverse("admin:programs_backgroundjob_progress", args=[job.pk])).content.decode()
    assert "전체 행" in page and "저장한 행" in page


def test_undone_imports_are_marked_and_filtered(admin_client):
    active = ImportBatch.objects.create(kind="companies", file_name="유효.xlsx", sha256="a" * 64)
    undone = ImportBatch.objects.create(
        kind="companies", file_name="되돌린.xlsx", sha256="b" * 64, undone_at=timezone.now()
    )
    url = reverse("admin:programs_importbatch_changelist")
    listing = admin_client.get(url).content.decode()
    assert f"되돌림({timezone.localtime(undone.undone_at):%Y-%m-%d})" in listing
    only_undone = admin_client.get(url, {"undone": "yes"}).content.decode()
    assert undone.file_name in only_undone and active.file_name not in only_undone
    only_active = admin_client.get(url, {"undone": "no"}).content.decode()
    assert active.file_name in only_active and undone.file_name not in only_active
