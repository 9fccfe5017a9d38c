# Hand-written (not made by makemigrations): applications follow the year-agreement rule in the
# database too (programs/year_triggers.py; programs' 0002 creates the PostgreSQL functions). It
# depends on 0001_initial only, so it survives the regeneration of the initial migration.

from django.db import migrations

from programs.year_triggers import migration_operations


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial"), ("programs", "0002_year_agreement_triggers")]

    operations = migration_operations([("companies_application", "사업 신청", False)])
