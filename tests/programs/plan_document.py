"""Read figures straight from the plan document, so tests compare the database with the source.

The plan is a text transcription whose tables are tab-separated (../shared/plan/...).
"""

import re
from dataclasses import dataclass

from django.conf import settings


def plan_text() -> str:
    return settings.PLAN_DOCUMENT.read_text(encoding="utf-8")


@dataclass(frozen=True)
class BudgetRow:
    area_label: str
    name: str
    previous: int | None  # 백만원; None where the plan prints '-'
    current: int
    change: int
    rate: str  # as printed: '1.0', '△36.7', '신규'


def _amount(text: str) -> int | None:
    text = text.strip()
    if text == "-":
        return None
    negative = text.startswith("△")
    value = int(text.lstrip("△").replace(",", ""))
    return -value if negative else value


def budget_table() -> tuple[list[BudgetRow], BudgetRow]:
    """The rows of section V's 지원예산 table and its 총계 row."""
    text = plan_text()
    section = text[text.index("(단위: 백만원)") : text.index("## 추진일정")]
    rows, area = [], ""
    total = None
    for line in section.splitlines():
        cells = line.split("\t")
        if len(cells) < 6 or not re.match(r"^[△\d,-]+$", cells[-3].strip() or "x"):
            continue
        if cells[0].startswith("총계"):
            total = BudgetRow("", "총계", _amount(cells[2]), _amount(cells[3]), _amount(cells[4]), cells[5].strip())
            continue
        area = cells[0].strip() or area
        rows.append(
            BudgetRow(
                area,
                cells[1].strip(),
                _amount(cells[2]),
                _amount(cells[3]),
                _amount(cells[4]),
                cells[5].strip(),
            )
        )
    return rows, total


def schedule_items() -> list[str]:
    """Every ▶ line of section V's 추진일정 table, without the arrow."""
    text = plan_text()
    section = text[text.index("## 추진일정") : text.index("# 지역뿌리기술지원센터")]
    return [match.strip() for match in re.findall(r"▶\s*([^\t\n]+)", section)]
