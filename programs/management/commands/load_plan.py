"""Load everything the plan states, from the files in fixtures/. Running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from programs import registry


class Command(BaseCommand):
    help = "「2025년도 뿌리산업 진흥 실행계획」의 기준 자료(fixtures/)를 불러옵니다. 여러 번 실행해도 결과는 같습니다."

    def handle(self, *args, **options):
        # Each app registered its loader in AppConfig.ready(), in INSTALLED_APPS order: later
        # loaders refer to what earlier ones loaded (programs → companies → centers).
        with transaction.atomic():
            for data in registry.plan_data:
                counts = data.load()
                written = {label: counts.pop(label, 0) for label in ("새로 만든 행", "바뀐 행")}
                summary = ", ".join(f"{label} {count:,}건" for label, count in counts.items())
                if any(written.values()):
                    summary += " — " + ", ".join(f"{label} {count:,}건" for label, count in written.items())
                else:
                    summary += " — 변경 없음"
                self.stdout.write(f"{data.label}: {summary}")
        self.stdout.write(self.style.SUCCESS("실행계획 기준 자료를 불러왔습니다."))
