"""Shared test fixtures: the plan and the role groups loaded once per test database, staff users."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres` tests run only against PostgreSQL (`make test-postgres`)."""
    if item.get_closest_marker("postgres") and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("PostgreSQL에서만 실행합니다(make test-postgres).")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the plan's reference data and the role groups, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=StringIO())
        call_command("setup_roles", stdout=StringIO())


@pytest.fixture(autouse=True)
def tasks_run_in_request(settings):
    """Background jobs run inside the request in tests (tests/programs/test_jobs.py also runs the
    database backend with its worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("관리자", "admin@example.com", "pw-for-tests")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def role_user(db, django_user_model):
    """A staff user in one of the role groups (made by setup_roles, above), optionally tied to a ministry or center."""
    from django.contrib.auth.models import Group

    from centers.models import CenterAssignment
    from programs.models import Ministry, StaffAssignment

    def make(role: str, *, ministry: str | None = None, center=None, name: str | None = None):
        user = django_user_model.objects.create_user(
            name or f"{role}-{ministry or center or ''}", password="pw", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        if ministry:
            StaffAssignment.objects.create(user=user, ministry=Ministry.objects.get(code=ministry))
        if center:
            CenterAssignment.objects.create(user=user, center=center)
        return user

    return make
