"""`manage.py import_excel KIND PATH [--dry-run]`: the admin's import, from the command line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.importing.kinds import get_kind, registered_kinds
from programs.importing.maintenance import refresh_after_import
from programs.importing.pipeline import import_file


class Command(BaseCommand):
    help = "엑셀(.xlsx)·CSV 파일을 가져옵니다. 오류가 한 행이라도 있으면 아무것도 저장하지 않습니다."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="가져오기 종류: " + ", ".join(sorted(registered_kinds())))
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="검사만 하고 저장하지 않습니다.")
        parser.add_argument("--user", help="가져오기 이력에 남길 사용자 이름")

    def handle(self, *args, kind, path, dry_run, user, **options):
        try:
            import_kind = get_kind(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        if not path.is_file():
            raise CommandError(f"파일이 없습니다: {path}")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"사용자를 찾을 수 없습니다: {user}")
        result = import_file(
            kind=import_kind,
            data=path.read_bytes(),
            file_name=path.name,
            user=account,
            source="command",
            dry_run=dry_run,
        )
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors_left_off:
            self.stderr.write(f"… 외 오류 {result.errors_left_off:,}건")
        self.stdout.write(f"{path.name}: {result.summary()}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"확인 필요: {warning}"))
        if result.errors:
            raise CommandError(f"오류 {result.error_count:,}건: 아무것도 저장하지 않았습니다.")
        if dry_run:
            self.stdout.write("검사만 했습니다(--dry-run): 저장하지 않았습니다.")
        elif not result.written:
            self.stdout.write("신규·변경된 행이 없어 저장할 것이 없습니다(가져오기 이력을 남기지 않았습니다).")
        else:
            refresh_after_import(import_kind.model, rows_written=result.counts["new"] + result.counts["updated"])
            self.stdout.write(self.style.SUCCESS(f"저장했습니다(가져오기 이력 #{result.batch.pk})."))
