"""`manage.py export_excel KIND PATH`: everything of a kind, as .xlsx or .csv (by the extension)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.importing.export import export_kind, format_of, write_template
from programs.importing.kinds import get_kind, registered_kinds


class Command(BaseCommand):
    help = "자료를 엑셀(.xlsx) 또는 CSV로 내보냅니다(확장자로 형식을 정합니다)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="종류: " + ", ".join(sorted(registered_kinds())))
        parser.add_argument("path", type=Path)
        parser.add_argument("--template", action="store_true", help="빈 가져오기 양식만 씁니다.")

    def handle(self, *args, kind, path, template, **options):
        try:
            export = get_kind(kind)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from exc
        file_format = format_of(path.name)
        with path.open("wb") as stream:
            if template:
                write_template(kind=export, stream=stream, file_format=file_format)
            else:
                export_kind(kind=export, stream=stream, file_format=file_format)
        self.stdout.write(self.style.SUCCESS(f"{path}에 썼습니다."))
