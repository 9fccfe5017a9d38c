"""Indexes behind the 사업 신청 and 뿌리기업 changelists at full population (~100,000 applications).

- (company, year, status, program): 중복지원 — "selected for another program in the same year" —
  is a seek per (company, year) and the GROUP BY of the company filter a scan of this index alone.
- (year DESC, program, company): the admin's default order of applications, so that a page is read
  in index order instead of sorting every application.

Plain SQL (valid on SQLite and PostgreSQL) because the models' Meta is not declared here; the
migration state is unchanged, so `makemigrations` sees nothing to add or remove.
"""

from django.db import migrations

INDEXES = {
    "application_company_year_idx": "(company_id, year, status, program_id)",
    "application_year_program_company_idx": "(year DESC, program_id, company_id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0004_audit_history"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{name}" ON "companies_application" {columns}',
            reverse_sql=f'DROP INDEX "{name}"',
        )
        for name, columns in INDEXES.items()
    ]
