# Hand-written (not made by makemigrations): the year-agreement rule as database triggers
# (programs/year_triggers.py). It depends on 0001_initial only, so it survives the regeneration of
# the initial migration; regenerate with `make migrations`, which sets these files aside meanwhile.

from django.db import migrations

from programs.year_triggers import migration_operations


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = migration_operations(
        [
            ("programs_programbudget", "연도별 예산", False),
            ("programs_budgetexecution", "예산 집행", True),
            ("programs_milestone", "추진일정", False),
            ("programs_achievement", "실적", False),
        ],
        functions=True,
    )
