# Hand-written (not made by makemigrations): plan targets follow the year-agreement rule in the
# database too (programs/year_triggers.py; programs' 0002 creates the PostgreSQL functions). It
# depends on 0001_initial only, so it survives the regeneration of the initial migration.

from django.db import migrations

from programs.year_triggers import migration_operations


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial"), ("programs", "0002_year_agreement_triggers")]

    operations = migration_operations([("centers_plantarget", "인력양성 계획 목표", False)])
