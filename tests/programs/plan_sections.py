"""Parsers of the plan document's section II tables, footnotes and section III–V passages.

Each parser finds its table by its caption or header line and reads the rows cell by cell (the
transcription's tables are tab-separated; bold cells are wrapped in <b>); prose figures are read
from the one line that states them, located by the words that open it — never by searching the
whole text for a number. The tests compare the database (load_plan) with what these return.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


def plan_lines() -> list[str]:
    return settings.PLAN_DOCUMENT.read_text(encoding="utf-8").splitlines()


def _cells(line: str) -> list[str]:
    return [re.sub(r"</?b>", "", cell).strip() for cell in line.split("\t")]


def _number(text: str) -> Decimal:
    text = text.strip()
    negative = text.startswith("△")
    value = Decimal(text.lstrip("△").replace(",", ""))
    return -value if negative else value


def _table_after(caption: str, *, header_prefix: str | None = None) -> list[list[str]]:
    """The tab-separated rows of the first table after the line containing `caption`."""
    lines = plan_lines()
    start = next(index for index, line in enumerate(lines) if caption in line)
    rows, started = [], False
    for line in lines[start + 1 :]:
        if "\t" in line:
            started = True
            rows.append(_cells(line))
        elif started and line.strip():
            break
    if header_prefix:
        assert rows[0][0].startswith(header_prefix), (caption, rows[0])
    return rows


def _line_starting(prefix: str) -> str:
    """The one line of the document that opens with `prefix` (list marks and escapes ignored)."""
    found = [line for line in plan_lines() if _plain(line).startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return _plain(found[0])


def _plain(line: str) -> str:
    return re.sub(r"^[\s\-○□◦▪]+", "", line.replace("\\*", "*")).replace("\\", "").strip()


# -- 참고 「뿌리산업 현황」 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingRow:
    label: str
    firms: Decimal
    workers: Decimal
    sales: Decimal  # 조원
    exports: Decimal  # 조원


def standing_table() -> dict[str, StandingRow]:
    """< 뿌리산업의 위상 >: 제조업, 뿌리산업 and 제조업 내 비중(%) rows."""
    rows = _table_after("< 뿌리산업의 위상 >", header_prefix="구분")
    return {row[0]: StandingRow(row[0], *map(_number, row[1:5])) for row in rows[1:]}


@dataclass(frozen=True)
class IndustryRow:
    label: str
    firms: int
    workers: int
    sales: Decimal
    exports: Decimal


def industry_table() -> list[IndustryRow]:
    """< 뿌리산업 14대 업종별 현황 >: the 뿌리산업 row, the group rows and the industry rows, in order."""
    rows = _table_after("< 뿌리산업 14대 업종별 현황 >", header_prefix="구분")
    return [
        IndustryRow(row[0], int(_number(row[1])), int(_number(row[2])), _number(row[3]), _number(row[4]))
        for row in rows[1:]
    ]


@dataclass(frozen=True)
class WorkforceColumnFigures:
    label: str
    workers: int
    shortage: int
    shortage_rate: Decimal


WORKFORCE_COLUMNS = ["계(A+B)", "연구직", "기술직", "기능직", "노무직", "기타직", "소계(A)", "외국인(B)"]


def workforce_table() -> dict[str, WorkforceColumnFigures]:
    """< 직무별 종사자 수 >: its columns (the header spans two lines) with their three rows."""
    rows = _table_after("< 직무별 종사자 수 >", header_prefix="구 분")
    assert rows[1][2:8] == ["연구직", "기술직", "기능직", "노무직", "기타직", "소계(A)"], rows[1]
    by_label = {row[0]: row[1:] for row in rows[2:]}
    workers, shortage, rates = by_label["종사자(명)"], by_label["부족인원(명)"], by_label["부족률(%)"]
    return {
        label: WorkforceColumnFigures(label, int(_number(workers[i])), int(_number(shortage[i])), _number(rates[i]))
        for i, label in enumerate(WORKFORCE_COLUMNS)
    }


def job_share_footnote() -> dict[str, Decimal]:
    """'* 직무별 비중(%) : 연구직 6.1, 기술직 15.0, ...' above the table (the footnote writes 기타)."""
    line = _line_starting("* 직무별 비중(%)")
    pairs = re.findall(r"(\S+?)\s+(\d+(?:\.\d+)?)", line.split(":", 1)[1])
    return {("기타직" if name == "기타" else name): Decimal(value) for name, value in pairs}


def region_table() -> dict[str, tuple[int, Decimal]]:
    """< 권역별 뿌리기업 분포 >: 권역 → (사업체수, 비중)."""
    rows = _table_after("< 권역별 뿌리기업 분포 >", header_prefix="구 분")
    names = rows[0][1:]
    by_label = {row[0].replace(" ", ""): row[1:] for row in rows[1:]}
    firms, shares = by_label["사업체수(개)"], by_label["비중(%)"]
    return {name: (int(_number(f)), _number(s)) for name, f, s in zip(names, firms, shares, strict=True)}


@dataclass(frozen=True)
class SizeRow:
    label: str
    firms: int
    firm_share: Decimal
    workers_10k: Decimal
    worker_share: Decimal
    sales: Decimal
    sales_share: Decimal
    exports: Decimal
    export_share: Decimal


def size_table() -> list[SizeRow]:
    """< 뿌리산업 규모별 현황 >: 전 체 and the 7 brackets (the first bracket row also carries the
    vertical heading 매 출 액 규 모 in its first cell)."""
    rows = _table_after("< 뿌리산업 규모별 현황 >", header_prefix="구 분")
    result = []
    for row in rows[2:]:
        cells = [cell for cell in row if cell != ""]
        if cells[0].replace(" ", "") == "매출액규모":
            cells = cells[1:]
        label, *figures = cells
        result.append(SizeRow(label, int(_number(figures[0])), *map(_number, figures[1:8])))
    return result


def _percent_series(line: str) -> dict[int, Decimal]:
    """('21년) 67.9 → ... or '21년 33.8%, ... → {2021: 67.9, ...}"""
    pairs = re.findall(r"'(\d\d)년\)?\s*(\d+(?:\.\d+)?)", line)
    return {2000 + int(year): Decimal(value) for year, value in pairs}


def trend_series() -> dict[str, dict[int, Decimal]]:
    """The series of the footnotes and the size paragraph, keyed by the measure's code."""
    return {
        "ageing_share": _percent_series(_line_starting("** 50대 이상 중장년층 비중은")),
        "shortage_rate": _percent_series(_line_starting("* 종사자 부족률은")),
        "large_firm_sales_share": _percent_series(_line_starting("매출액 비중(%) :")),
        "large_firm_export_share": _percent_series(_line_starting("수출액 비중(%) :")),
    }


def prose_shares() -> dict[tuple[str, str], Decimal]:
    """Shares stated in the 현황 paragraphs: (measure, subject) → value as printed."""
    workforce = _line_starting("종사자 부족률*은")
    industry = _line_starting("(업종)")
    region = _line_starting("(권역)")
    size = _line_starting("(규모)")
    aliases = {"동남권": "경남권", "대경권": "경북권"}
    shares = {
        ("foreign_share", ""): Decimal(re.search(r"종사자의 (\d+(?:\.\d+)?)%를 차지하는 외국인", workforce).group(1)),
        ("small_firm_share", ""): Decimal(re.search(r"5억원 미만 기업이[^(]*\((\d+(?:\.\d+)?)%\)", size).group(1)),
        ("large_firm_share", ""): Decimal(re.search(r"100억원 이상 기업\((\d+(?:\.\d+)?)%\)", size).group(1)),
    }
    groups = {
        "6대 기반공정산업": "기반 공정산업",
        "소재 다원화공정": "소재다원화 공정산업",
        "지능화공정": "지능화 공정산업",
    }
    for words, group in groups.items():
        match = re.search(re.escape(words) + r"[^%]*?(\d+)%", industry)
        shares[("group_firm_share", group)] = Decimal(match.group(1))
    for name, value in re.findall(r"(\S+권) (\d+(?:\.\d+)?)%", region):
        shares[("region_firm_share", aliases.get(name, name))] = Decimal(value)
    return shares


# -- sections III, IV, V ----------------------------------------------------------------------------


def task_names_of_section_three() -> dict[int, list[str]]:
    """III장 표: 추진 분야 number → its 추진 과제 (the <li> items), in order."""
    rows = _table_after("추진 분야\t추진 과제")
    result = {}
    for row in rows:
        match = re.match(r"(\d)\. ", row[0])
        if match:
            result[int(match.group(1))] = [
                item.strip("▪ ").strip() for item in re.findall(r"<li>(.*?)</li>", "\t".join(row[1:]))
            ]
    return result


def area_names_of_section_three() -> dict[int, str]:
    rows = _table_after("추진 분야\t추진 과제")
    return {int(row[0][0]): row[0][3:].strip() for row in rows if re.match(r"\d\. ", row[0])}


def task_headings_of_section_four() -> list[str]:
    """IV장 소제목 '#### 1. 수요 맞춤형 ...', '## 2. 금융지원 · ...', '### 1. 미래산업 ...' in order."""
    lines = plan_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## IV. 세부 추진과제"))
    end = next(i for i, line in enumerate(lines) if line.startswith("## V. 지원예산"))
    return [
        re.sub(r"^#+\s*\d\.\s*", "", line).strip()
        for line in lines[start:end]
        if re.match(r"^#{2,4}\s*\d\.\s+\S", line)
    ]


def schedule_rows() -> list[tuple[str, str, str]]:
    """V장 추진일정 표: (구분, 사업명, 추진내용) per ▶ line, the names carried down where blank."""
    lines = plan_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## 추진일정"))
    rows, area, program = [], "", ""
    for line in lines[start:]:
        if line.startswith("## 참고"):
            break
        if "▶" not in line:
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        texts = [cell for cell in cells if cell and not cell.startswith("▶")]
        item = next(cell for cell in cells if cell.startswith("▶"))[1:].strip()
        if len(texts) == 2:
            area, program = texts
        elif len(texts) == 1:
            program = texts[0]
        rows.append((area, program, item))
    return rows


def committee_direction_table() -> dict[str, tuple[str, str]]:
    """< 뿌리산업 특화단지 운영위원회 추진 방향 >: 구분 → (현행, '25년~)."""
    rows = _table_after("< 뿌리산업 특화단지 운영위원회 추진 방향 >", header_prefix="구분")
    return {row[0]: (row[1], row[2]) for row in rows[1:]}


def growth_menu_matches() -> list[tuple[str, str]]:
    """The 성장 메뉴판's 매칭 지원사업 row: (사업, 기관) as printed, e.g. ('지능형공정', '산업부')."""
    rows = _table_after("< 뿌리기업 성장단계별 경영목표 및 매칭 지원사업 >", header_prefix="구 분")
    row = next(row for row in rows if row[0] == "매칭 지원사업")
    items = re.findall(r"<li>(.*?)</li>", "\t".join(row[1:]))
    matches = []
    for item in items:
        found = re.match(r"(.*?)\(([^()]*)\)$", item.strip())
        matches.append((found.group(1).strip(), found.group(2)) if found else (item.strip(), ""))
    return matches


def youth_job_amounts() -> list[int]:
    """IV-1-1: '... 1년간 최대 720만원, ... 2년 이상 근속 시 최대 480만원 지원(고용부)' → won."""
    line = _line_starting("뿌리기업이 취업애로청년 등 채용 시")
    return [int(value) * 10_000 for value in re.findall(r"최대 (\d+)만원", line)]


def policy_fund_rates() -> list[Decimal]:
    """IV-1-2: '이차보전율(3%p), 시설자금 금리(△0.3%p) 등 우대' → [3, -0.3]."""
    line = _line_starting("중소기업 정책자금 지원 시")
    return [_number(value) for value in re.findall(r"\((△?\d+(?:\.\d+)?)%p\)", line)]


def smart_process_terms() -> tuple[int, int]:
    """IV-2-2: '(최대 3년, 최대 10억 내외)' → (years, won)."""
    line = _line_starting("공정 최적화와 설비통합제어 등")
    years, eok = re.search(r"최대 (\d+)년, 최대 (\d+)억 내외", line).groups()
    return int(years), int(eok) * 100_000_000


def measure_line(opening: str) -> str:
    return _line_starting(opening)
