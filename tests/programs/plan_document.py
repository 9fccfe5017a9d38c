"""Read figures straight from the plan document, so tests compare the database with the source.

The plan is a text transcription whose tables are tab-separated (fixtures/plan/, settings.PLAN_DOCUMENT).
A figure is read at its place: the cell of its table row, or the number next to the words naming it
in its line, never by searching the whole text for the number.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

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


def budget_table_cells() -> tuple[list[list[str]], list[str]]:
    """Section V's 지원예산 table as printed: [구분, 사업명, '24, '25, 증감, %] per program (구분 repeated
    down the area), and the 총계 row's ['24, '25, 증감, %]."""
    text = plan_text()
    section = text[text.index("(단위: 백만원)") : text.index("## 추진일정")]
    rows, area, total = [], "", None
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 6 or not re.match(r"^[△\d,-]+$", cells[-3] or "x"):
            continue
        if cells[0].startswith("총계"):
            total = cells[2:6]
            continue
        area = cells[0] or area
        rows.append([area, *cells[1:6]])
    return rows, total


def budget_table() -> tuple[list[BudgetRow], BudgetRow]:
    """The rows of section V's 지원예산 table and its 총계 row."""
    rows, total = budget_table_cells()
    return (
        [
            BudgetRow(area, name, _amount(a), _amount(b), _amount(change), rate)
            for area, name, a, b, change, rate in rows
        ],
        BudgetRow("", "총계", _amount(total[0]), _amount(total[1]), _amount(total[2]), total[3]),
    )


@dataclass(frozen=True)
class AreaSubtotal:
    number: int  # 1, 2, 3 in the table's order
    label: str  # the table's 구분
    previous: int  # 백만원, '-' counted as 0
    current: int


def area_subtotals() -> list[AreaSubtotal]:
    """Each area's '24 and '25 sums of the 지원예산 table (the table prints no subtotal rows)."""
    rows, _ = budget_table()
    labels = list(dict.fromkeys(row.area_label for row in rows))
    return [
        AreaSubtotal(
            number,
            label,
            sum(row.previous or 0 for row in rows if row.area_label == label),
            sum(row.current for row in rows if row.area_label == label),
        )
        for number, label in enumerate(labels, start=1)
    ]


def schedule_items() -> list[str]:
    """Every ▶ line of section V's 추진일정 table, without the arrow."""
    text = plan_text()
    section = text[text.index("## 추진일정") : text.index("# 지역뿌리기술지원센터")]
    return [match.strip() for match in re.findall(r"▶\s*([^\t\n]+)", section)]


# --- Tables and lines in general -----------------------------------------------------------------


def cells_of(line: str) -> list[str]:
    """The tab-separated cells of a table line, without the transcription's <b> tags."""
    return [re.sub(r"</?b>", "", cell).strip() for cell in line.split("\t")]


def table_lines(caption: str) -> list[str]:
    """The lines of the table printed under `caption` (which must occur once), up to the blank line after it."""
    text = plan_text()
    assert text.count(caption) == 1, f"표 제목 {caption!r}이(가) 문서에 한 번만 있어야 합니다"
    lines = []
    for line in text[text.index(caption) :].splitlines()[1:]:
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line)
    return lines


def table_after(caption: str) -> list[list[str]]:
    """The rows of the table printed under `caption`, as cells."""
    return [cells_of(line) for line in table_lines(caption)]


def count(text: str) -> int:
    """A count as printed: '64,061' → 64061."""
    assert re.fullmatch(r"\d{1,3}(,\d{3})*", text), text
    return int(text.replace(",", ""))


def decimal(text: str) -> Decimal:
    """A figure with one decimal as printed: '255.3', '0.0'."""
    assert re.fullmatch(r"\d+\.\d", text), text
    return Decimal(text)


# --- II. 2024년도 실적 및 평가 -----------------------------------------------------------------------

UNITS = ("개사", "개社", "개교", "개", "명", "건", "회", "억원", "종")
_NUMBER_UNIT = r"(\d{1,3}(?:,\d{3})*|\d+)\s*(" + "|".join(UNITS) + ")"


@dataclass(frozen=True)
class Figure:
    value: int
    unit: str  # as the database writes it: 社 is 사


def _figure(number: str, unit: str) -> Figure:
    return Figure(int(number.replace(",", "")), unit.replace("社", "사"))


def section(start: str, end: str) -> str:
    """The text from the heading `start` up to the heading `end`."""
    text = plan_text()
    return text[text.index(start) : text.index(end)]


def section_two() -> str:
    return section("## II. 2024년도 실적 및 평가", "### III. 2025년도 정책 추진 방향")


def section_four() -> str:
    return section("## IV. 세부 추진과제", "## V. 지원예산 및 추진일정")


def line_with(key: str, text: str) -> str:
    """The one line of `text` that contains `key`."""
    lines = [line for line in text.splitlines() if key in line]
    assert len(lines) == 1, f"{key!r}이(가) 있는 줄이 {len(lines)}개입니다"
    return lines[0]


def section_two_line(key: str) -> str:
    """The one line of section II that contains `key`."""
    return line_with(key, section_two())


def section_four_line(key: str) -> str:
    """The one line of section IV that contains `key`."""
    return line_with(key, section_four())


def _once(line: str, label: str) -> int:
    assert line.count(label) == 1, f"{label!r}이(가) 줄에 한 번만 있어야 합니다: {line}"
    return line.index(label)


def figure_after(line: str, label: str) -> Figure:
    """The number and unit printed right after `label` in `line`: '지원\\*(16개)', '특허 8건', '동아대 18명'."""
    rest = line[_once(line, label) + len(label) :]
    match = re.match(r"[\\*\s]*\(?\s*" + _NUMBER_UNIT, rest)
    assert match, f"{label!r} 바로 뒤에 수치가 없습니다: {rest[:40]!r}"
    return _figure(*match.groups())


def figure_before(line: str, label: str) -> Figure:
    """The number and unit printed right before `label` in `line`: '8개 핵심기술', '총 438개 요소기술'."""
    head = line[: _once(line, label)]
    match = re.search(_NUMBER_UNIT + r"\s*$", head)
    assert match, f"{label!r} 바로 앞에 수치가 없습니다: {head[-40:]!r}"
    return _figure(*match.groups())


def figure_in_list(line: str, label: str) -> Figure:
    """The figure of the item named exactly `label` in a comma-separated list: '특허 8건, IP획득전략 39건 …'."""
    found = []
    for item in re.split(r",\s*", line):
        match = re.fullmatch(r"[\\*\s]*(.+?)\s+" + _NUMBER_UNIT + r"(?:\s+등)?", item.strip())
        if match and match.group(1) == label:
            found.append(_figure(match.group(2), match.group(3)))
    assert len(found) == 1, f"{label!r} 항목이 {len(found)}개입니다: {line}"
    return found[0]
