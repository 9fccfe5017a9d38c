"""Parsing cells a column at a time: one pass of list comprehensions per column of a block of rows.

The per-cell parsers of `cells.py` define what a cell means and how it is refused. Parsing a row
at a time calls one of them for every cell (about 1.5 million calls for the 64,061-row companies
file), which was the largest share of an import's time. Here each column of a block goes through
a column parser that handles the cells every well-formed file is made of (text that is plain
text, whole numbers, dates, Y/N, 사업자등록번호 written 123-45-67890) in bulk, and hands every other
cell — and every cell it would refuse — to the per-cell parser, so the values and the refusals are
exactly the per-cell parser's. `tests/programs/test_columns.py` holds the two to that on a corpus
of odd cells.
"""

import datetime
import re
from collections.abc import Callable
from functools import partial

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # the characters a worksheet cannot hold

from programs.excel import CSV_TEXT_MARK
from programs.identifiers import BRN_WEIGHTS
from programs.importing import cells
from programs.importing.cells import CellError

SLOW = object()  # a cell the column parser leaves to the per-cell parser


def _text_column(column: list, max_length: int | None = None) -> list:
    """parse_text over a column: str cells stripped, blanks as "", the rest left to parse_text."""
    out = [cell.strip() if type(cell) is str else ("" if cell is None else SLOW) for cell in column]
    texts = [text for text in out if text is not SLOW and text]
    if not texts:
        return out
    joined = "\n".join(texts)  # "\n" is a character a worksheet may hold: a match is a cell's own
    suspicious = ILLEGAL_CHARACTERS_RE.search(joined) is not None
    marked = CSV_TEXT_MARK in joined
    too_long = max_length is not None and max(map(len, texts)) > max_length
    if suspicious or marked or too_long:
        for index, text in enumerate(out):
            if text is SLOW or not text:
                continue
            if (
                (too_long and len(text) > max_length)
                or (marked and text.startswith(CSV_TEXT_MARK))
                or (suspicious and ILLEGAL_CHARACTERS_RE.search(text))
            ):
                out[index] = SLOW
    return out


def _whole_number(cell):
    kind = type(cell)
    if kind is float:
        return int(cell) if cell.is_integer() else SLOW
    if kind is int:
        return cell
    return None if cell is None or cell == "" else SLOW


def _integer_column(column: list, minimum: int | None = 0) -> list:
    out = [_whole_number(cell) for cell in column]
    if minimum is not None:
        out = [SLOW if number is not SLOW and number is not None and number < minimum else number for number in out]
    return out


def _year_column(column: list) -> list:
    out = [_whole_number(cell) for cell in column]
    return [SLOW if year is not SLOW and year is not None and not 2000 <= year <= 2100 else year for year in out]


def _date_column(column: list) -> list:
    date, moment = datetime.date, datetime.datetime
    return [
        cell.date()
        if type(cell) is moment
        else cell
        if type(cell) is date
        else None
        if cell is None or cell == ""
        else SLOW
        for cell in column
    ]


_BOOLEANS = {"Y": True, "N": False, "y": True, "n": False, "": False, None: False}


def _boolean_column(column: list) -> list:
    get = _BOOLEANS.get
    return [get(cell, SLOW) if type(cell) is str or cell is None else SLOW for cell in column]


assert BRN_WEIGHTS == (1, 3, 7, 1, 3, 7, 1, 3, 5)  # written out in _brn
_BRN = re.compile(r"([0-9]{3})-?([0-9]{2})-?([0-9]{5})")
_DIGIT = {str(digit): digit for digit in range(10)}


def _brn(cell):
    if type(cell) is not str:
        return SLOW
    match = _BRN.fullmatch(cell)
    if match is None:
        return SLOW
    digits = "".join(match.groups())
    v = [_DIGIT[digit] for digit in digits]
    total = v[0] + 3 * v[1] + 7 * v[2] + v[3] + 3 * v[4] + 7 * v[5] + v[6] + 3 * v[7] + 5 * v[8] + v[8] * 5 // 10
    return digits if (10 - total % 10) % 10 == v[9] else SLOW


def _brn_column(column: list) -> list:
    return [_brn(cell) for cell in column]


def _corporate_number_column(column: list) -> list:
    # Most companies are not 법인 in a list of 뿌리기업 and leave it blank; numbers are checked one by one.
    return ["" if cell is None or cell == "" else SLOW for cell in column]


# A subset of what Django's EmailValidator accepts (dot-atom user, letters-and-digits domain with
# a letters-only top-level part): what matches is accepted without the validator, the rest is
# checked by it (parse_email).
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*"  # user: a dot-atom of the commonest characters
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"  # domain
)


def _email_column(column: list) -> list:
    out = _text_column(column, max_length=254)
    match = _PLAIN_EMAIL.fullmatch
    return [text if text is SLOW or not text or match(text) else SLOW for text in out]


COLUMN_PARSERS: dict[Callable, Callable] = {
    cells.parse_text: _text_column,
    cells.parse_integer: _integer_column,
    cells.parse_year: _year_column,
    cells.parse_date: _date_column,
    cells.parse_boolean: _boolean_column,
    cells.parse_brn: _brn_column,
    cells.parse_corporate_number: _corporate_number_column,
    cells.parse_email: _email_column,
}


def column_parser(parse: Callable | None) -> Callable[[list], list] | None:
    """The column-wise form of a per-cell parser (a partial's keywords passed on), or None."""
    if parse is None:
        return None
    if isinstance(parse, partial):
        bulk = COLUMN_PARSERS.get(parse.func)
        return partial(bulk, *parse.args, **parse.keywords) if bulk else None
    return COLUMN_PARSERS.get(parse)


def parse_column(parse: Callable | None, bulk: Callable | None, column: list, required: bool) -> tuple[list, list]:
    """(values, problems) of one column of a block: problems are (index, cell, Korean reason)."""
    problems, refused = [], set()
    if parse is None:
        values = list(column)
    else:
        if bulk is not None:
            values = bulk(column)
            slow = [index for index, value in enumerate(values) if value is SLOW]
        else:
            values, slow = [None] * len(column), range(len(column))
        for index in slow:
            try:
                values[index] = parse(column[index])
            except CellError as exc:
                problems.append((index, column[index], str(exc)))
                refused.add(index)
    if required:
        blank = [i for i, value in enumerate(values) if value is None or (isinstance(value, str) and not value.strip())]
        problems += [(i, column[i], "필수 항목이 비어 있습니다.") for i in blank if i not in refused]
        problems.sort(key=lambda problem: problem[0])
    return values, problems
