"""Write the 뿌리산업발전위원회 workbook to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.models import Ministry
from programs.reports.committee import committee_report_bytes


class Command(BaseCommand):
    help = "뿌리산업발전위원회 보고용 엑셀 파일을 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="기준연도(예: 2025)")
        parser.add_argument("--output", required=True, help="저장할 .xlsx 경로")
        parser.add_argument("--ministry", help="소관부처 코드(예: motie). 지정하면 그 부처 사업만 담습니다.")

    def handle(self, *args, year, output, ministry=None, **options):
        scope = None
        if ministry:
            scope = Ministry.objects.filter(code=ministry).first()
            if scope is None:
                codes = ", ".join(Ministry.objects.values_list("code", flat=True))
                raise CommandError(f"알 수 없는 소관부처 코드입니다: {ministry} (가능한 코드: {codes})")
        path = Path(output)
        path.write_bytes(committee_report_bytes(year=year, ministry=scope))
        self.stdout.write(self.style.SUCCESS(f"위원회 보고서를 저장했습니다: {path}"))
