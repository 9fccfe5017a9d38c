"""Read the tables of a rendered page the way a reader sees them: under their heading, row by row.

Tests compare a figure in the cell where the page shows it, not anywhere in the HTML.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str
    links: list[str] = field(default_factory=list)
    header: bool = False  # a <th>


@dataclass
class Table:
    heading: str  # the table's <caption>, or else the last <h1>-<h3> before it
    rows: list[list[Cell]]
    classes: list[str]  # class of each <tr>

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]

    def row_starting(self, text: str) -> list[Cell]:
        """The one row whose first cell reads `text`."""
        found = [row for row in self.rows if row and row[0].text == text]
        assert len(found) == 1, f"첫 칸이 {text!r}인 행이 {len(found)}개입니다: {self.texts()}"
        return found[0]


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._stack: list[Table] = []
        self._heading, self._in_heading = "", False
        self._cell: Cell | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "caption"):
            self._in_heading, self._heading = True, ""
        elif tag == "table":
            self._stack.append(Table(self._heading, [], []))
        elif tag == "tr" and self._stack:
            self._stack[-1].rows.append([])
            self._stack[-1].classes.append(attrs.get("class") or "")
        elif tag in ("td", "th") and self._stack:
            self._cell = Cell("", header=tag == "th")
            self._stack[-1].rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None and attrs.get("href"):
            self._cell.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "caption"):
            self._in_heading = False
            self._heading = " ".join(self._heading.split())
            if tag == "caption" and self._stack:
                self._stack[-1].heading = self._heading
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag in ("td", "th") and self._cell is not None:
            self._cell.text = " ".join(self._cell.text.split())
            self._cell = None

    def handle_data(self, data):
        if self._in_heading:
            self._heading += data
        if self._cell is not None:
            self._cell.text += data


def tables(html: str | bytes) -> list[Table]:
    parser = _TableParser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.tables


def table_under(html: str | bytes, heading: str) -> Table:
    """The one table whose heading starts with `heading`."""
    found = [table for table in tables(html) if table.heading.startswith(heading)]
    assert len(found) == 1, f"제목이 {heading!r}(으)로 시작하는 표가 {len(found)}개입니다"
    return found[0]
