"""The plan's table of 지역뿌리기술지원센터, read straight from the plan document (settings.PLAN_DOCUMENT)."""

from dataclasses import dataclass

from django.conf import settings

TABLE_HEADER = "지역\t지원 분야\t구축장비수(종)\t센터 위치"


@dataclass(frozen=True)
class CenterRow:
    locality: str
    fields: str  # as printed: '6대 기반공정', '금형, 소성가공'
    equipment_count: int
    site: str


def regional_center_table() -> list[CenterRow]:
    text = settings.PLAN_DOCUMENT.read_text(encoding="utf-8")
    lines = text[text.index(TABLE_HEADER) :].splitlines()[1:]
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 4:
            break
        rows.append(CenterRow(cells[0], cells[1], int(cells[2]), cells[3]))
    return rows
