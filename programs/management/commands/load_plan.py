"""Load everything the 2025 plan states, from the files in fixtures/. Running it twice changes nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that ships plan data has a `plan_data` module with `load() -> dict[str, int]`;
# they run in this order because later ones refer to earlier ones (programs → companies → centers).
PLAN_DATA_MODULES = ["programs.plan_data", "companies.plan_data", "centers.plan_data"]


def plan_data_loaders():
    for module_name in PLAN_DATA_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        yield module_name, module.load


class Command(BaseCommand):
    help = "「2025년도 뿌리산업 진흥 실행계획」의 기준 자료(fixtures/)를 불러옵니다. 여러 번 실행해도 결과는 같습니다."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module_name, load in plan_data_loaders():
                counts = load()
                written = {label: counts.pop(label, 0) for label in ("새로 만든 행", "바뀐 행")}
                summary = ", ".join(f"{label} {count:,}건" for label, count in counts.items())
                if any(written.values()):
                    summary += " — " + ", ".join(f"{label} {count:,}건" for label, count in written.items())
                else:
                    summary += " — 변경 없음"
                self.stdout.write(f"{module_name}: {summary}")
        self.stdout.write(self.style.SUCCESS("실행계획 기준 자료를 불러왔습니다."))
