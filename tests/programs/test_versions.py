"""Every write of a versioned row raises its version by one; a save based on an older one writes nothing."""

import pytest
from django.db import transaction

from companies.choices import ApplicationStatus
from companies.models import Application, Company
from companies.services import application_set_status
from programs.models import ImportBatchRow, Program
from programs.versioning import VersionConflict
from tests.companies.helpers import make_application, make_company, valid_brn
from tests.programs.conflicts import company_file, import_companies

pytestmark = pytest.mark.django_db


def test_a_save_from_an_older_copy_is_refused_and_writes_nothing():
    company = make_company(employees=2)
    stale = Company.objects.get(pk=company.pk)
    company.employees = 7
    company.save()
    stale.employees = 3
    with pytest.raises(VersionConflict), transaction.atomic():
        stale.save()
    company.refresh_from_db()
    assert (company.employees, company.version) == (7, 2)


def test_saves_with_update_fields_queryset_updates_and_bulk_updates_all_raise_the_version():
    application = make_application(make_company(), Program.objects.get(code="polytech"))
    application_set_status(application=application, status=ApplicationStatus.REVIEWING)  # save(update_fields=…)
    assert Application.objects.get(pk=application.pk).version == 2
    Application.objects.filter(pk=application.pk).update(memo="일괄")
    assert Application.objects.get(pk=application.pk).version == 3
    application.refresh_from_db()
    application.memo = "bulk"
    Application.objects.bulk_update([application], ["memo"])
    assert Application.objects.get(pk=application.pk).version == 4


def test_imports_raise_the_version_once_and_record_it_for_undo(admin_user):
    company = make_company(name="버전정밀", employees=2)
    batch = import_companies(company_file([[company.brn, "버전정밀", "경기", "주조", 9]]), user=admin_user).batch
    brn = valid_brn()
    created = import_companies(company_file([[brn, "새기업", "경기", "주조", 1]]), user=admin_user).batch
    company.refresh_from_db()
    assert company.version == 2
    assert ImportBatchRow.objects.get(batch=batch).version == 2
    assert ImportBatchRow.objects.get(batch=created).version == Company.objects.get(brn=brn).version == 1
    assert company.history.order_by("-history_date").first().version == 2


def test_fixture_style_blind_writes_still_load():
    program = Program.objects.get(code="polytech")
    blind = Program(**{f.attname: getattr(program, f.attname) for f in Program._meta.concrete_fields})
    loaded = program.version
    blind.version = 1
    blind.description = "다시 불러옴"
    Program.objects.filter(pk=program.pk).update(description="먼저")  # loaded + 1
    blind.save()
    program.refresh_from_db()
    assert (program.description, program.version) == ("다시 불러옴", loaded + 2)
