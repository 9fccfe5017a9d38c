"""The column-wise parsers (programs/importing/columns.py) give exactly what the per-cell parsers
give — the same values and the same Korean refusals — on odd cells and on random ones."""

import datetime
import random

import pytest

from programs.importing import cells
from programs.importing.cells import CellError
from programs.importing.columns import COLUMN_PARSERS, column_parser, parse_column

ODD_CELLS = [
    None,
    "",
    "   ",
    "\t",
    "가상뿌리기업",
    "  앞뒤 공백  ",
    "줄\n바꿈",
    "제어\x0b문자",
    "\x00",
    "'=1+2",
    "'",
    "''",
    "'평범한 인용",
    "=SUM(A1)",
    "가" * 100,
    "가" * 101,
    "a" * 254,
    "a" * 255,
    0,
    1,
    -1,
    7,
    2023,
    1999,
    2101,
    0.0,
    1.0,
    -1.0,
    1.5,
    2023.0,
    993000000.0,
    1e20,
    1e300,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    False,
    "1,500,000",
    "1,500,000원",
    "１５００",
    "△300",
    "-5",
    "5명",
    "1E+30",
    "Infinity",
    "NaN",
    "12.0",
    "12.5",
    datetime.date(2024, 3, 15),
    datetime.datetime(1976, 9, 5, 0, 0),
    datetime.datetime(2024, 3, 15, 13, 45),
    datetime.time(12, 0),
    "2024-03-15",
    "20240315",
    "2024년 3월 15일",
    "2024-02-30",
    45000,
    45000.5,
    "Y",
    "N",
    "y",
    "n",
    "예",
    "아니오",
    "O",
    "X",
    "TRUE",
    "maybe",
    "990-00-00019",
    "9900000019",
    "990-00-00018",
    "990 00 00019",
    "９９０－００－０００１９",
    "990-0000019",
    "99-000-00019",
    "990-00-000190",
    9900000019,
    9900000019.0,
    "123-45-67890",
    "110111-1234567",
    "1101111234567",
    "110111-1234568",
    1101111234567,
    "contact1@example.com",
    "A.B+c_d-e@sub.example.co.kr",
    "a@b",
    "a@localhost",
    "a@-example.com",
    "a@example-.com",
    "a..b@example.com",
    ".a@example.com",
    "a@example.c",
    "a@example.123",
    "담당@example.com",
    "a@예시.kr",
    '"quoted"@example.com',
    "a@[127.0.0.1]",
    "a b@example.com",
    " contact1@example.com ",
    "a@" + "b" * 63 + ".com",
    "a@" + "b" * 64 + ".com",
    ("x" * 64) + "@" + ("d" * 60 + ".") * 3 + "com",
]

PARSERS = {
    "text": cells.parse_text,
    "text(100)": cells.text(100),
    "text(20)": cells.text(20),
    "integer": cells.parse_integer,
    "year": cells.parse_year,
    "date": cells.parse_date,
    "boolean": cells.parse_boolean,
    "brn": cells.parse_brn,
    "corporate_number": cells.parse_corporate_number,
    "email": cells.parse_email,
}


def per_cell(parse, column, required):
    values, problems = [], []
    for index, cell in enumerate(column):
        try:
            value = parse(cell)
        except CellError as exc:
            values.append(None)
            problems.append((index, cell, str(exc)))
            continue
        values.append(value)
        if required and cells.is_blank(value):
            problems.append((index, cell, "필수 항목이 비어 있습니다."))
    return values, problems


def same(parse, column, required):
    bulk = column_parser(parse)
    assert bulk is not None
    values, problems = parse_column(parse, bulk, list(column), required)
    expected_values, expected_problems = per_cell(parse, column, required)
    refused = {index for index, *_ in expected_problems}
    assert [(index, str(cell), message) for index, cell, message in problems] == [
        (index, str(cell), message) for index, cell, message in expected_problems
    ]
    for index, (value, expected) in enumerate(zip(values, expected_values, strict=True)):
        if index in refused:
            continue  # a refused cell's row is not given
        assert type(value) is type(expected) and value == expected, (column[index], value, expected)


def test_every_column_parser_is_covered():
    assert {getattr(parse, "func", parse) for parse in PARSERS.values()} == set(COLUMN_PARSERS)


@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("name", PARSERS)
def test_odd_cells_are_parsed_and_refused_as_cell_by_cell(name, required):
    same(PARSERS[name], ODD_CELLS, required)


@pytest.mark.parametrize("name", PARSERS)
def test_one_odd_cell_among_plain_ones(name):
    parse = PARSERS[name]
    plain = {
        "date": datetime.date(2020, 1, 1),
        "boolean": "N",
        "brn": "990-00-00019",
        "email": "contact1@example.com",
    }.get(name.split("(")[0], "2023" if name in ("integer", "year") else "가상")
    for odd in ODD_CELLS:
        same(parse, [plain, odd, plain], required=True)


def test_random_cells():
    alphabet = ["0", "1", "9", "-", " ", ".", ",", "@", "a", "Z", "가", "'", "=", "\x0b", "\n", "원", "년", "e", "+"]
    generator = random.Random(20261126)
    for _ in range(300):
        column = []
        for _ in range(40):
            choice = generator.random()
            if choice < 0.5:
                column.append("".join(generator.choice(alphabet) for _ in range(generator.randint(0, 14))))
            elif choice < 0.8:
                column.append(generator.choice([generator.uniform(-1e6, 1e10), float(generator.randint(-5, 3000))]))
            elif choice < 0.9:
                column.append(generator.randint(-5, 3_000_000_000))
            else:
                column.append(generator.choice([None, True, datetime.date(2021, 5, 5)]))
        for parse in PARSERS.values():
            same(parse, column, required=generator.random() < 0.5)
