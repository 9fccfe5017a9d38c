"""The rows of an .xlsx's first sheet, streamed from the zip: what python-calamine hands out, in
memory that does not grow with the sheet.

python-calamine (calamine 0.37) builds the whole rectangle of the sheet (~31 bytes a cell) before
the first row reaches Python: 600,000 rows × 24 columns ≈ 450 MB. This module inflates the sheet
1 MB at a time and turns its XML into the same rows `files.read_table` yields through calamine:

- rows from spreadsheet row 1 to the last row holding a value, every row as long as the last
  column holding a value (empty cells and rows are ""), empty cells never overwriting a value;
- numbers are floats (calamine reads every number as f64), booleans, text; numbers whose cell
  format is a date or time (styles.xml cellXfs → numFmtId: built-in 14–22, 27–36, 45, 47, 50–58,
  or a custom code calamine's `detect_custom_number_format` calls a date; 46 and `[h]`-style codes
  are durations) become date / datetime / time / timedelta as python-calamine converts them
  (below 1: a time; whole: a date; else a datetime; 1900 and 1904 date systems; out of Python's
  range: the float); `t="d"` ISO text is parsed as chrono parses it, else kept as text;
  error cells (`t="e"`) are "" but count for the width, unknown error names refuse the file;
- text: shared strings (`t="s"`), inline strings (`<is>`), formula results (`t="str"`); rich-text
  runs joined, phonetic runs (`<rPh>`) left out, each `<t>` trimmed of XML white space unless it
  has `xml:space="preserve"`, entities and character references decoded (line ends normalised
  as XML does), then calamine's `_xHHHH_` escapes (only those up to U+00FF) decoded.

The common shapes of a cell (what Excel, LibreOffice, openpyxl and `programs.xlsx_stream` write)
are read with regular expressions over each ~1 MB piece of XML ending at a row end (findall: one
C call a piece, one Python step a cell); a piece holding anything else (cells without a place,
prefixed names, comments, CDATA, odd attributes) is read by a small event parser that follows
calamine's cell reader step by step (quick-xml's events with empty elements expanded, the first
text event of a number, the last child of a cell winning...), up to a row end past that piece.

Every row's length depends on the last column holding a value: `measure_width` finds it before
the first row. With the last column any cell occupies (measured by the size check,
xlsx_sheet.sheet_size) it only reads until a value in that column turns up (the header row, as
a rule); otherwise it reads the sheet once with C-level expressions. Rows are handed out as the
sheet goes; the last one is the last row holding a value. A sheet whose valued cells are not in
row order (no spreadsheet program writes one; calamine sorts them in memory) is refused when
the reader reaches the first one out of order, rather than held in memory.

Ill-formed XML is refused where calamine refuses it, whatever the sheet's size. calamine turns
quick-xml's check_end_names off, so an end tag closes the innermost open element whatever its
name, and only an end tag with no element open is an error: the event parser and the expressions
count the open elements (from the start of each part) and refuse that one. python-calamine also
reads the sheet a second time for its merged cells, from the start to the end of the first
<mergeCells> or of the file; the pass that hands out the rows follows it past </sheetData>
(`_read_tail`): unclosed markup, unknown `<!` markup, a stray end tag there, or a merged range
that is no range refuses the file, while anything after that </mergeCells> is not read.

Shared strings are held as one UTF-8 blob and an array of 4-byte offsets, decoded when a cell
asks for one; above 16 MB of text the blob goes to an anonymous temporary file read back with
os.pread (the 2.8 million distinct texts of a 600,000-firm list: 60 MB not held, ~0.4 µs a read).
As Python strings they would take ~250 MB.

`tests/programs/test_xlsx_rows.py` compares this reader with python-calamine file by file (and its
event parser alone, and in pieces of 29 bytes); calamine 0.37's behaviour was taken from its source
(cells_reader.rs, formats.rs, datatype.rs) and from python-calamine's output on odd files.
"""

import codecs
import datetime
import math
import os
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from itertools import accumulate, islice

from programs.importing.xlsx_sheet import SheetUnreadable, _member

CHUNK_BYTES = 1 << 20
# A shared-string table whose text is larger than this is kept in a temporary file.
SHARED_STRINGS_IN_MEMORY_BYTES = 16 << 20
# A piece of sheet XML with no row end after this many characters is read by the event parser.
LONGEST_FAST_PIECE = 1 << 25

XML_WHITESPACE = " \t\n\r"
_ERROR_NAMES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}
_BUILTIN_DATES = frozenset(str(n) for n in (*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)))
OTHER, DATETIME, TIMEDELTA = 0, 1, 2


class _Found(Exception):
    pass


class _Fallback(Exception):
    """A piece of XML the fast expressions do not cover: read it with the event parser."""


def unreadable(detail: str) -> SheetUnreadable:
    return SheetUnreadable(f"엑셀 파일의 내용을 읽을 수 없습니다({detail}).")


# --- text: entities, line ends, white space, _xHHHH_ ------------------------------------------

_REFERENCE = re.compile(r"&([^;<&]*);")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _reference(match: re.Match) -> str:
    name = match.group(1)
    if name.startswith("#"):
        digits = name[1:]
        try:
            if digits.startswith("x"):
                if not re.fullmatch(r"\+?[0-9A-Fa-f]+", digits[1:]):
                    raise ValueError
                code = int(digits[1:], 16)
            else:
                if not re.fullmatch(r"\+?[0-9]+", digits):
                    raise ValueError
                code = int(digits)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise ValueError
        except ValueError:
            raise unreadable(f"문자 참조 &{name[:20]};") from None
        return chr(code)
    try:
        return _NAMED_ENTITIES[name]
    except KeyError:
        raise unreadable(f"알 수 없는 엔티티 &{name[:20]};") from None


def unescape(raw: str) -> str:
    """Character data as quick-xml's xml10_content and unescape give it: literal CR LF / CR become
    LF, then entity and character references are decoded (a reference never makes a line end)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in raw:
        return raw
    text = _REFERENCE.sub(_reference, raw)
    if "&" in _REFERENCE.sub("", raw):
        raise unreadable("닫히지 않은 & 참조")
    return text


def _escape_char(match: re.Match) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0xFF else match.group(0)


def decode_escapes(text: str) -> str:
    """calamine's `_xHHHH_` decoding: four hex digits of a value up to 0xFF become that character."""
    return _ESCAPE.sub(_escape_char, text) if "_x" in text else text


def t_text(raw: str, preserve: bool) -> str:
    """The text of one `<t>` element from its raw character data."""
    text = unescape(raw) if ("&" in raw or "\r" in raw) else raw
    if not preserve:
        text = text.strip(XML_WHITESPACE)
    return decode_escapes(text) if "_x" in text else text


# --- the event parser: quick-xml's events as calamine reads them ---------------------------------

_ATTRIBUTES = re.compile(r"""\s+([^\s=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# quick-xml's start tag: to the first ">" outside quotes; its name is what comes before the first
# white space, the rest its attributes (read only when asked for); a "/" before ">" makes it empty.
# An end tag runs to the first ">" and is all name (white space at its end left out).
_START_TAG = re.compile(r"""<([^ \t\r\n>"']*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")

START, END, TEXT, CDATA, COMMENT = 0, 1, 2, 3, 4
# markup that never becomes an event of its own (Events hands out (COMMENT,) for PI and DOCTYPE)
PI, DOCTYPE, BANG = 5, 6, 7
# calamine's merged-cell pass (_merge_step): looking for <mergeCells>, inside it; 0: not followed
MERGE_LOOKING, MERGE_INSIDE = 1, 2


def local_name(name: str) -> str:
    return name.split(":", 1)[-1] if ":" in name else name


def attributes(raw: str) -> list[tuple[str, str]]:
    """(key, raw value) pairs; values are not unescaped (calamine reads r, s, t and the format
    attributes raw)."""
    pairs = []
    end = 0
    for match in _ATTRIBUTES.finditer(raw):
        if raw[end : match.start()].strip():
            raise unreadable("속성")
        pairs.append((match.group(1), match.group(2) if match.group(2) is not None else match.group(3)))
        end = match.end()
    if raw[end:].strip():
        raise unreadable("속성")
    return pairs


def attribute(raw: str, key: str) -> str | None:
    """The first attribute named exactly `key` (quick-xml's get_attribute: what follows is not read)."""
    end = 0
    for match in _ATTRIBUTES.finditer(raw):
        if raw[end : match.start()].strip():
            raise unreadable("속성")
        if match.group(1) == key:
            return match.group(2) if match.group(2) is not None else match.group(3)
        end = match.end()
    if raw[end:].strip():
        raise unreadable("속성")
    return None


class Events:
    """quick-xml's events over a stream of text pieces, with empty elements expanded to a start and
    an end (calamine's reader configuration). Text is handed out raw (entities not decoded). Tags
    are delimited as quick-xml delimits them (_START_TAG): any name, attributes read only when
    asked for (`attribute`, `attributes`), an end tag's rest part of its name.

    `depth` counts the elements open: calamine turns quick-xml's check_end_names off (an end tag
    closes the innermost open element whatever its name) but an end tag with none open is an
    error, so the events refuse it. Events read from the middle of a part start at the depth
    there. `merge` follows calamine's merged-cell pass while it is not 0 (_merge_step)."""

    def __init__(self, pieces: Iterator[str], buffer: str = "", depth: int = 0, merge: int = 0):
        self.pieces = pieces
        self.buffer = buffer
        self.position = 0
        self.pending_end: tuple | None = None
        self.refills = 0
        self.depth = depth
        self.merge = merge

    def _more(self) -> bool:
        piece = next(self.pieces, None)
        if piece is None:
            return False
        self.buffer = self.buffer[self.position :] + piece
        self.position = 0
        self.refills += 1
        return True

    def rest(self) -> str:
        """What has not been read yet of the current buffer (the stream continues with `pieces`)."""
        return self.buffer[self.position :]

    def __iter__(self):
        return self

    def __next__(self) -> tuple:
        if self.pending_end is not None:
            event, self.pending_end = self.pending_end, None
            self.depth -= 1
            if self.merge:
                self.merge = _merge_step(self.merge, END, event[1], "")
            return event
        while True:
            buffer, position = self.buffer, self.position
            if position >= len(buffer):
                if not self._more():
                    raise StopIteration
                continue
            if buffer[position] != "<":
                end = buffer.find("<", position)
                if end < 0:
                    if self._more():
                        continue
                    end = len(self.buffer)
                    buffer = self.buffer
                    position = self.position
                self.position = end
                return (TEXT, buffer[position:end])
            if buffer.startswith(("<!", "<?"), position):
                # a DOCTYPE is skipped as quick-xml does (its entities are never expanded; a
                # reference to one is refused where text is decoded, as calamine refuses it)
                kind, end = _special_end(buffer, position)
                if end < 0:
                    if self._more():
                        continue
                    raise unreadable(_UNCLOSED[kind])
                self.position = end
                return (CDATA, buffer[position + 9 : end - 3]) if kind == CDATA else (COMMENT,)
            if buffer.startswith("</", position):
                close = buffer.find(">", position)
                if close < 0:
                    if self._more():
                        continue
                    raise unreadable("태그")
                self.position = close + 1
                name = buffer[position + 2 : close].rstrip(" \t\r\n")
                if not self.depth:
                    raise _unmatched(name)
                self.depth -= 1
                event = (END, name)
            else:
                match = _START_TAG.match(buffer, position)
                if match is None:  # a tag not complete in this buffer
                    if self._more():
                        continue
                    raise unreadable("태그")
                self.position = match.end()
                name, attrs = match.groups()
                self.depth += 1
                if attrs.endswith("/"):
                    attrs = attrs[:-1]
                    self.pending_end = (END, name)
                elif not attrs and name.endswith("/"):
                    name = name[:-1]
                    self.pending_end = (END, name)
                event = (START, name, attrs)
            if self.merge:
                self.merge = _merge_step(self.merge, event[0], name, event[-1] if event[0] == START else "")
            return event


# Markup that is no element, as quick-xml delimits it: what closes it, from how far in.
_SPECIAL_CLOSE = {COMMENT: ("-->", 4), CDATA: ("]]>", 9), PI: ("?>", 2)}
_UNCLOSED = {
    COMMENT: "닫히지 않은 주석",
    CDATA: "닫히지 않은 CDATA",
    PI: "닫히지 않은 처리 지시",
    DOCTYPE: "닫히지 않은 DOCTYPE",
    BANG: "<! 선언",
    START: "태그",
}


def _special_end(buffer: str, position: int) -> tuple[int, int]:
    """A comment, CDATA section, processing instruction or DOCTYPE starting at `position` (at "<!"
    or "<?"): its kind and the index after it, -1 when the buffer ends first. "<!" followed by
    anything else is refused, as quick-xml refuses it (DOCTYPE in any case)."""
    if buffer[position + 1] == "?":
        kind = PI
    elif buffer.startswith("<!--", position):
        kind = COMMENT
    elif buffer.startswith("<![CDATA[", position):
        kind = CDATA
    elif len(buffer) - position < 9:
        return BANG, -1  # too short to tell yet
    elif buffer[position + 2 : position + 9].upper() == "DOCTYPE":
        end = _doctype_end(buffer, position)
        return DOCTYPE, (end + 1 if end >= 0 else -1)
    else:
        raise unreadable("<! 선언")
    closing, start = _SPECIAL_CLOSE[kind]
    end = buffer.find(closing, position + start)
    return kind, (end + len(closing) if end >= 0 else -1)


def _doctype_end(buffer: str, position: int) -> int:
    """The closing ">" of a DOCTYPE (its internal subset in brackets), -1 when the buffer ends first."""
    depth = 0
    quote = ""
    for index in range(position + 9, len(buffer)):
        char = buffer[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ">" and depth <= 0:
            return index
    return -1


def _unmatched(name: str) -> SheetUnreadable:
    return unreadable(f"열린 요소가 없는 닫는 태그 </{name[:20]}>")


def _range(reference: str) -> None:
    """calamine's get_dimension: one cell place or two joined by ":", each with a column and a row."""
    parts = reference.split(":")
    if len(parts) > 2:
        raise unreadable(f"범위 '{reference[:40]}'")
    for part in parts:
        cell_place(part)


def _merge_step(merge: int, kind: int, name: str, attrs: str) -> int:
    """calamine's merged-cell pass after one event (python-calamine reads a sheet's merged cells
    with a second reader over its XML): from the start it looks for the first <mergeCells>, then
    reads the ref of each <mergeCell> (its first well-formed attribute named ref; a range that is
    not one refuses the file) up to the first </mergeCells>, where it stops (0)."""
    local = local_name(name)
    if merge == MERGE_LOOKING:
        return MERGE_INSIDE if kind == START and local == "mergeCells" else merge
    if kind == START:
        if local == "mergeCell":
            for match in _ATTRIBUTES.finditer(attrs):
                if match.group(1) == "ref":
                    _range(match.group(2) if match.group(2) is not None else match.group(3))
                    break
        return merge
    return 0 if local == "mergeCells" else merge


_TAIL_NAME = re.compile(r"[^ \t\r\n]*")


def _read_tail(buffer: str, pieces: Iterator[str], depth: int, merge: int) -> None:
    """The sheet after </sheetData>, as calamine's merged-cell pass reads it (_merge_step): while
    that pass goes on (to the end of the first <mergeCells>, or of the file), what quick-xml
    refuses refuses the file: an end tag with no element open (`depth` elements are open at the
    start), markup the file ends in, "<!" that is no comment, CDATA or DOCTYPE. As in calamine,
    end tags are not compared with start tags, and attributes and text are not read (but a
    mergeCell's ref)."""
    position = 0
    while merge:
        start = buffer.find("<", position)
        if start < 0:
            buffer, position = next(pieces, None), 0
            if buffer is None:
                if merge == MERGE_INSIDE:
                    raise unreadable("</mergeCells> 없음")
                return
            continue
        if buffer.startswith(("<!", "<?"), start):
            kind, end = _special_end(buffer, start)
        elif buffer.startswith("</", start):
            kind, close = START, buffer.find(">", start)
            end = close + 1 if close >= 0 else -1
        else:
            kind, match = START, _START_TAG.match(buffer, start)
            end = match.end() if match else -1
        if end < 0:
            more = next(pieces, None)
            if more is None:
                raise unreadable(_UNCLOSED[kind])
            buffer, position = buffer[start:] + more, 0
            continue
        position = end
        if kind != START:
            continue
        if buffer[start + 1] == "/":
            name = buffer[start + 2 : end - 1].rstrip(" \t\r\n")
            if not depth:
                raise _unmatched(name)
            depth -= 1
            merge = _merge_step(merge, END, name, "")
            continue
        content = buffer[start + 1 : end - 1]
        empty = content.endswith("/")
        if empty:
            content = content[:-1]
        name = _TAIL_NAME.match(content).group()
        merge = _merge_step(merge, START, name, content[len(name) :])
        if empty:
            merge = _merge_step(merge, END, name, "")
        else:
            depth += 1


def read_to_end(events: Events, name: str) -> None:
    """quick-xml's read_to_end: skip to the end of the element `name` just started."""
    depth = 0
    for event in events:
        if event[0] == START and event[1] == name:
            depth += 1
        elif event[0] == END and event[1] == name:
            if depth == 0:
                return
            depth -= 1
    raise unreadable(f"</{name}> 없음")


def read_string(events: Events, closing: str) -> str:
    """calamine's read_string for `<si>` and `<is>`: the `<t>` texts, phonetic runs left out."""
    parts = []
    phonetic = False
    for event in events:
        kind = event[0]
        if kind == START:
            local = local_name(event[1])
            if local == "rPh":
                phonetic = True
            elif local == "t" and not phonetic:
                parts.append(_read_t(events, event[1], event[2]))
        elif kind == END:
            if event[1] == closing:
                return "".join(parts)
            if local_name(event[1]) == "rPh":
                phonetic = False
    raise unreadable(f"</{closing}> 없음")


class _Matched:
    """No pieces after a piece of XML the expressions matched: needing one, the event parser has to
    read on past the match (_Fallback)."""

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raise _Fallback


def matched_string(content: str, closing: str, depth: int, merge: int = 0) -> tuple[str, Events]:
    """read_string over what an expression matched as an <is> or <si> after its start tag, and the
    events (their depth and merged-cell pass after it). _Fallback if calamine would read it
    otherwise: its text runs past the match (a <t> closed later), or it ends before (an <is/>)."""
    inner = Events(_Matched(), content, depth, merge)
    text = read_string(inner, closing)
    if inner.position < len(inner.buffer) or inner.pending_end is not None:
        raise _Fallback
    return text, inner


def _read_t(events: Events, name: str, attrs: str) -> str:
    raw = []
    for event in events:
        kind = event[0]
        if kind == TEXT:
            raw.append(unescape(event[1]))
        elif kind == CDATA:
            raw.append(event[1])
        elif kind == END and event[1] == name:
            text = "".join(raw)
            if attribute(attrs, "xml:space") != "preserve":
                text = text.strip(XML_WHITESPACE)
            return decode_escapes(text)
    raise unreadable("</t> 없음")


def _read_full_text(events: Events, name: str) -> str:
    """All the character data up to the end of `name` (Text and references; CDATA left out)."""
    parts = []
    for event in events:
        kind = event[0]
        if kind == TEXT:
            parts.append(unescape(event[1]))
        elif kind == END and event[1] == name:
            return "".join(parts)
    raise unreadable(f"</{name}> 없음")


# --- numbers, dates ---------------------------------------------------------------------------

# fast_float2's grammar: what calamine parses as a number (Python's float() takes more: spaces,
# underscores, other scripts' digits).
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))")
_EPOCH = datetime.datetime(1899, 12, 30)
_MS_A_DAY = 86_400_000.0
_I64_MAX = (1 << 63) - 1
# chrono's NaiveDateTime range, in milliseconds from 1899-12-30 (years -262144 … 262143)
_CHRONO_MIN_DAYS = -96_433_230  # -262144-01-01
_CHRONO_MAX_DAYS = 95_052_005  # 262143-12-31
_PY_MIN_DAYS = (datetime.date(1, 1, 1) - _EPOCH.date()).days
_PY_MAX_DAYS = (datetime.date(9999, 12, 31) - _EPOCH.date()).days


def parse_number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _rust_round_to_i64(value: float) -> int:
    """`(value).round() as i64`: half away from zero, saturating, NaN → 0."""
    if value != value:
        return 0
    if math.isinf(value):
        return _I64_MAX if value > 0 else -_I64_MAX - 1
    whole = math.trunc(value)
    if abs(value - whole) >= 0.5:
        whole += 1 if value > 0 else -1
    return max(-_I64_MAX - 1, min(_I64_MAX, int(whole)))


def _as_u64(value: float) -> int:
    """`value as u64`: truncated, saturating, NaN → 0."""
    if value != value or value <= 0:
        return 0
    if value >= 18446744073709551615.0:
        return (1 << 64) - 1
    return int(value)


def excel_date(value: float, kind: int, is_1904: bool):
    """python-calamine's conversion of a number with a date or duration format."""
    if kind == TIMEDELTA:
        milliseconds = _rust_round_to_i64(value * _MS_A_DAY)
        if milliseconds == -_I64_MAX - 1:
            raise unreadable("기간 값이 너무 큽니다")
        days = milliseconds // 86_400_000
        if not -999_999_999 <= days <= 999_999_999:
            raise unreadable("기간 값이 너무 큽니다")
        return datetime.timedelta(milliseconds=milliseconds)
    shifted = value + 1462.0 if is_1904 else value
    if not shifted >= 60.0:
        shifted += 1.0
    milliseconds = _rust_round_to_i64(shifted * _MS_A_DAY)
    if milliseconds == -_I64_MAX - 1:  # chrono's TimeDelta::milliseconds panics there
        raise unreadable("날짜 값이 너무 작습니다")
    days, rest = divmod(milliseconds, 86_400_000)
    if not _CHRONO_MIN_DAYS <= days <= _CHRONO_MAX_DAYS:
        return value
    if value < 1.0:
        return (datetime.datetime.min + datetime.timedelta(milliseconds=rest)).time()
    if not _PY_MIN_DAYS <= days <= _PY_MAX_DAYS:
        return value
    moment = _EPOCH + datetime.timedelta(days=days, milliseconds=rest)
    if value == float(_as_u64(value)):
        return moment.date()
    return moment


# chrono's FromStr for NaiveDateTime / NaiveDate / NaiveTime, as python-calamine uses them for
# t="d" cells (ISO 8601 text).
_RUST_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))


class _ChronoError(Exception):
    pass


def _digits(text: str, position: int, most: int) -> tuple[int, int]:
    end = position
    while end < len(text) and end - position < most and "0" <= text[end] <= "9":
        end += 1
    if end == position:
        raise _ChronoError
    return int(text[position:end]), end


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _RUST_SPACE:
        position += 1
    return position


def _literal(text: str, position: int, literal: str) -> int:
    if not text.startswith(literal, position):
        raise _ChronoError
    return position + len(literal)


def _numeric(text: str, position: int, width: int, signed: bool = False) -> tuple[int, int]:
    position = _skip_space(text, position)
    if signed and position < len(text) and text[position] in "+-":
        negative = text[position] == "-"
        value, position = _digits(text, position + 1, 1 << 30)
        return (-value if negative else value), position
    return _digits(text, position, width)


def _chrono_date_part(text: str, position: int) -> tuple[tuple[int, int, int], int]:
    year, position = _numeric(text, position, 4, signed=True)
    position = _literal(text, _skip_space(text, position), "-")
    month, position = _numeric(text, position, 2)
    position = _literal(text, _skip_space(text, position), "-")
    day, position = _numeric(text, position, 2)
    return (year, month, day), position


def _nanosecond(text: str, position: int) -> tuple[int, int]:
    if position < len(text) and text[position] == ".":
        start = position + 1
        end = start
        while end < len(text) and end - start < 9 and "0" <= text[end] <= "9":
            end += 1
        if end == start:
            raise _ChronoError
        nano = int(text[start:end]) * 10 ** (9 - (end - start))
        while end < len(text) and "0" <= text[end] <= "9":
            end += 1
        return nano, end
    return 0, position


def _time_value(hour: int, minute: int, second: int, nano: int) -> datetime.time:
    if hour > 23 or minute > 59 or second > 60:
        raise _ChronoError
    if second == 60:  # a leap second: pyo3 drops it (with a warning)
        second = 59
    return datetime.time(hour, minute, second, nano // 1000)


def _check_date(year: int, month: int, day: int) -> datetime.date:
    if not 1 <= year <= 9999:
        raise _ChronoError  # python-calamine keeps the text
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _ChronoError from None


def chrono_datetime(text: str) -> datetime.datetime:
    (year, month, day), position = _chrono_date_part(text, 0)
    position = _literal(text, _skip_space(text, position), "T")
    hour, position = _numeric(text, position, 2)
    position = _literal(text, _skip_space(text, position), ":")
    minute, position = _numeric(text, position, 2)
    position = _literal(text, _skip_space(text, position), ":")
    second, position = _numeric(text, position, 2)
    nano, position = _nanosecond(text, position)
    if _skip_space(text, position) != len(text):
        raise _ChronoError
    moment = _time_value(hour, minute, second, nano)
    return datetime.datetime.combine(_check_date(year, month, day), moment)


def chrono_date(text: str) -> datetime.date:
    (year, month, day), position = _chrono_date_part(text, 0)
    if _skip_space(text, position) != len(text):
        raise _ChronoError
    return _check_date(year, month, day)


def chrono_time(text: str) -> datetime.time:
    hour, position = _numeric(text, 0, 2)
    position = _literal(text, _skip_space(text, position), ":")
    minute, position = _numeric(text, position, 2)
    second = nano = 0
    try:  # seconds (and their fraction) are optional
        after = _literal(text, _skip_space(text, position), ":")
        second, after = _numeric(text, after, 2)
        nano, position = _nanosecond(text, after)
    except _ChronoError:
        second = nano = 0
    if _skip_space(text, position) != len(text):
        raise _ChronoError
    return _time_value(hour, minute, second, nano)


def iso_value(text: str):
    """python-calamine's value of a t="d" cell: a datetime, date or time chrono can read, else the text."""
    for parse in (chrono_datetime, chrono_date, chrono_time):
        try:
            return parse(text)
        except (_ChronoError, ValueError, OverflowError):
            continue
    return text


# --- the workbook's parts ---------------------------------------------------------------------


def _pieces(archive: zipfile.ZipFile, member: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield decoder.decode(chunk)
            yield decoder.decode(b"", True)
    except UnicodeDecodeError as exc:
        raise unreadable(f"{member}: UTF-8이 아닌 내용") from exc


class SharedStrings:
    """The shared-string table: one UTF-8 blob and an array of end offsets; decoded on access.

    A blob larger than `in_memory_bytes` is moved to an anonymous temporary file and read back
    with os.pread (~0.4 µs a string): the 2.8 million distinct texts of a 600,000-firm list are
    ~60 MB the process does not hold."""

    def __init__(self, in_memory_bytes: int | None = None):
        self.blob = bytearray()
        self.offsets = array("I" if array("I").itemsize == 4 else "L", [0])
        self.in_memory_bytes = SHARED_STRINGS_IN_MEMORY_BYTES if in_memory_bytes is None else in_memory_bytes
        self.file = None
        self.size = 0

    def append(self, text: str) -> None:
        self.extend([text])

    def extend(self, texts: list[str]) -> None:
        encoded = [text.encode() for text in texts]
        data = b"".join(encoded)
        start = self.size
        self.size += len(data)
        if self.file is None and self.size > self.in_memory_bytes:
            self.file = tempfile.TemporaryFile()
            self.file.write(self.blob)
            self.blob = bytearray()
        if self.file is not None:
            self.file.write(data)
        else:
            self.blob += data
        if self.size > 0xFFFFFFFF and self.offsets.itemsize < 8:
            self.offsets = array("Q", self.offsets)
        self.offsets.extend(islice(accumulate(map(len, encoded), initial=start), 1, None))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        start, end = self.offsets[index], self.offsets[index + 1]
        if self.file is not None:
            return os.pread(self.file.fileno(), end - start, start).decode()
        return self.blob[start:end].decode()

    def freeze(self) -> "SharedStrings":
        if self.file is not None:
            self.file.flush()
        return self

    def nbytes(self) -> int:
        """Bytes held in memory."""
        return len(self.blob) + self.offsets.itemsize * len(self.offsets)


# <si> elements in their common shapes; anything else goes to the event parser.
_SI = re.compile(
    r'<si><t>([^<]*</t>)</si>|<si><t xml:space="preserve">([^<]*</t>)</si>'
    r"|(<si>[^<]*(?:<(?![!?]|/si>)[^<]*)*</si>|<si/>)|(</sst>)|(<)"
)


def read_shared_strings(archive: zipfile.ZipFile, limit: int) -> SharedStrings:
    """calamine's shared-string table (every `<si>`, empty ones too, up to `</sst>`), streamed.
    More than `limit` strings refuse the file (100 MB of `<si/>` would be 20 million offsets)."""
    strings = SharedStrings()
    member = _member(archive, "xl/sharedStrings.xml")
    if member is None:
        return strings.freeze()
    pieces = _pieces(archive, member)
    events = Events(pieces)
    for event in events:  # up to the first <si>
        if event[0] == START and local_name(event[1]) == "si":
            if event[1] != "si":
                strings.append(read_string(events, event[1]))
                _slow_strings(events, strings, limit)
                return strings.freeze()
            empty = events.pending_end is not None
            events.pending_end = None
            depth = events.depth - 1  # the <si> is read again below
            buffer = f"<si{event[2]}{'/' if empty else ''}>" + events.rest()
            break
        if event[0] == END and local_name(event[1]) == "sst":
            return strings.freeze()
    else:
        raise unreadable("sharedStrings.xml: </sst> 없음")
    while True:
        done = buffer.find("</sst>")
        cut = done + 6 if done >= 0 else max(buffer.rfind("</si>") + 5, buffer.rfind("<si/>") + 5, 0)
        piece, rest = buffer[:cut], buffer[cut:]
        found = _fast_strings(piece, depth) if cut else ([], depth)
        if found is None:  # something the expressions do not cover: the event parser reads on
            _slow_strings(Events(_Prepended(rest, pieces), piece, depth), strings, limit)
            return strings.freeze()
        values, depth = found
        if len(strings) + len(values) > limit:
            raise SheetUnreadable(f"공유 문자열이 {limit:,}개를 넘어 읽지 않습니다.")
        strings.extend(values)
        if done >= 0:
            return strings.freeze()
        more = next(pieces, None)
        if more is None:
            raise unreadable("sharedStrings.xml: </sst> 없음")
        buffer = rest + more
        if len(buffer) > LONGEST_FAST_PIECE:
            _slow_strings(Events(pieces, buffer, depth), strings, limit)
            return strings.freeze()


class _Prepended:
    """`first`, then the rest of `pieces` (not a generator: closing one that delegates with
    `yield from` would close `pieces` too, and the sheet's pieces are read on afterwards)."""

    def __init__(self, first: str, pieces: Iterator[str]):
        self.first: str | None = first
        self.pieces = pieces

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.first is not None:
            first, self.first = self.first, None
            return first
        return next(self.pieces)


def _fast_strings(piece: str, depth: int) -> tuple[list[str], int] | None:
    """The strings of the `<si>` elements of `piece` and the elements open after it (`depth` before
    it); None if it holds anything else."""
    values = []
    append = values.append
    for simple, preserved, other, end, _odd in _SI.findall(piece):
        if preserved:
            text = preserved[:-4]
            if "&" in text or "\r" in text or "_x" in text:
                text = t_text(text, True)
            append(text)
        elif simple:
            text = simple[:-4]
            if "&" in text or "\r" in text or "_x" in text:
                text = t_text(text, False)
            else:
                text = text.strip(XML_WHITESPACE)
            append(text)
        elif other:
            if other == "<si/>":
                append("")
            else:  # what is inside need not balance
                try:
                    text, inner = matched_string(other[4:], "si", depth + 1)
                except _Fallback:
                    return None
                append(text)
                depth = inner.depth
        elif end:
            if not depth:
                raise _unmatched("sst")
            return values, depth - 1
        else:
            return None
    return values, depth


def _slow_strings(events: Events, strings: SharedStrings, limit: int) -> None:
    for event in events:
        if event[0] == START and local_name(event[1]) == "si":
            if len(strings) >= limit:
                raise SheetUnreadable(f"공유 문자열이 {limit:,}개를 넘어 읽지 않습니다.")
            strings.append(read_string(events, event[1]))
        elif event[0] == END and local_name(event[1]) == "sst":
            return
    raise unreadable("sharedStrings.xml: </sst> 없음")


# --- styles and the date system -----------------------------------------------------------------


def custom_format_kind(code: str) -> int:
    """calamine's detect_custom_number_format: is this number format code a date or a duration?"""
    escaped = quoted = ap = hms = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif quoted:
            if char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == ";":
            return OTHER
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and hms:
            return TIMEDELTA
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not ap and brackets == 0:
            ap = True
        elif char in "pm/PM" and ap and brackets == 0:
            return DATETIME
        elif char in "dmhysDMHYS" and not ap and brackets == 0:
            return DATETIME
        elif hms and char.lower() == previous.lower():
            pass
        else:
            hms = previous == "[" and char in "mhsMHS"
        previous = char
    return OTHER


def read_formats(archive: zipfile.ZipFile) -> list[int]:
    """The date kind of every cellXfs entry (calamine's read_styles); [] without styles.xml."""
    member = _member(archive, "xl/styles.xml")
    formats: list[int] = []
    if member is None:
        return formats
    codes: dict[str, str] = {}
    events = Events(_pieces(archive, member))
    for event in events:
        if event[0] == START and local_name(event[1]) == "numFmts":
            for inner in events:
                if inner[0] == START and local_name(inner[1]) == "numFmt":
                    ids, code = [], ""
                    for key, value in attributes(inner[2]):
                        if key == "numFmtId":
                            ids.append(value)
                        elif key == "formatCode":
                            code = _unescape_attribute(value)
                    if code:
                        codes["".join(ids)] = code
                elif inner[0] == END and local_name(inner[1]) == "numFmts":
                    break
            else:
                raise unreadable("styles.xml: </numFmts> 없음")
        elif event[0] == START and local_name(event[1]) == "cellXfs":
            for inner in events:
                if inner[0] == START and local_name(inner[1]) == "xf":
                    kind = OTHER
                    for key, value in _attributes_lenient(inner[2]):
                        if key == "numFmtId":
                            if value in codes:
                                kind = custom_format_kind(codes[value])
                            elif value == "46":
                                kind = TIMEDELTA
                            elif value in _BUILTIN_DATES:
                                kind = DATETIME
                            break
                    formats.append(kind)
                elif inner[0] == END and local_name(inner[1]) == "cellXfs":
                    break
            else:
                raise unreadable("styles.xml: </cellXfs> 없음")
        elif event[0] == END and local_name(event[1]) == "styleSheet":
            return formats
    raise unreadable("styles.xml: </styleSheet> 없음")


def _unescape_attribute(value: str) -> str:
    return _REFERENCE.sub(_reference, value) if "&" in value else value


def _attributes_lenient(raw: str) -> list[tuple[str, str]]:
    """The well-formed attributes (calamine filters the others out for numFmtId of <xf>)."""
    return [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTRIBUTES.finditer(raw)]


def read_workbook(archive: zipfile.ZipFile) -> bool:
    """The date system (workbookPr date1904 "1" or "true"), after the checks calamine makes when it
    opens the workbook: every sheet's state is known, its relationship exists and points to a
    worksheet, chartsheet or dialogsheet."""
    targets: dict[str, str] = {}
    member = _member(archive, "xl/_rels/workbook.xml.rels")
    if member is not None:
        for event in Events(_pieces(archive, member)):
            if event[0] == START and local_name(event[1]) == "Relationship":
                key = target = ""
                for name, value in attributes(event[2]):
                    if name == "Id":
                        key += value
                    elif name == "Target":
                        target = value
                targets[key] = target
    member = _member(archive, "xl/workbook.xml")
    if member is None:
        return False
    is_1904 = False
    for event in Events(_pieces(archive, member)):
        if event[0] == START and local_name(event[1]) == "sheet":
            path = ""
            for name, value in attributes(event[2]):
                if name == "state" and _unescape_attribute(value) not in ("visible", "hidden", "veryHidden"):
                    raise unreadable(f"시트 상태 '{value[:20]}'")
                if name in ("r:id", "relationships:id"):
                    if value not in targets:
                        raise unreadable("시트의 관계 정보가 없습니다")
                    target = targets[value]
                    path = (
                        target[1:]
                        if target.startswith("/xl/")
                        else target
                        if target.startswith("xl/")
                        else f"xl/{target}"
                    )
            kind = path.split("/")[1] if "/" in path else ""
            if kind not in ("worksheets", "chartsheets", "dialogsheets"):
                raise unreadable(f"시트 경로 '{path[:40]}'")
        elif event[0] == START and event[1] == "workbookPr":
            value = attribute(event[2], "date1904")
            is_1904 = value is not None and _unescape_attribute(value) in ("1", "true")
        elif event[0] == END and local_name(event[1]) == "workbook":
            return is_1904
    raise unreadable("workbook.xml: </workbook> 없음")


# --- cell places ------------------------------------------------------------------------------


def row_and_column(reference: str) -> tuple[int, int | None]:
    """calamine's get_row_and_optional_column: 0-based (row, column or None); u32 arithmetic."""
    row = column = 0
    power = 1
    reading_row = True
    for char in reversed(reference):
        if "0" <= char <= "9":
            if not reading_row:
                raise unreadable(f"셀 위치 '{reference[:20]}'")
            row = (row + (ord(char) - 48) * power) & 0xFFFFFFFF
            power = (power * 10) & 0xFFFFFFFF
        elif "A" <= char <= "Z" or "a" <= char <= "z":
            if reading_row:
                power = 1
                reading_row = False
            column = (column + (ord(char) & 0x1F) * power) & 0xFFFFFFFF
            power = (power * 26) & 0xFFFFFFFF
        else:
            raise unreadable(f"셀 위치 '{reference[:20]}'")
    if row == 0:
        raise unreadable(f"셀 위치 '{reference[:20]}'")
    return row - 1, (column - 1 if column else None)


def cell_place(reference: str) -> tuple[int, int]:
    row, column = row_and_column(reference)
    if column is None:
        raise unreadable(f"셀 위치 '{reference[:20]}'")
    return row, column


def _atoi(text: str) -> int:
    """atoi_simd::parse::<usize>(...).unwrap_or(0)."""
    if text.isascii() and text.isdigit() and len(text) <= 20:
        value = int(text)
        return value if value < (1 << 64) else 0
    return 0


# --- the sheet --------------------------------------------------------------------------------

_CELL_ATTRIBUTES = r'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?'
_CELL_ATTRIBUTES_PLAIN = r'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: s="[0-9]{1,9}")?(?: t="[a-zA-Z]{1,9}")?'
_CELL_EXTRA = r'(?: (?:cm|vm|ph)="[0-9]{1,9}")*\s*'
_FORMULA = r"(?:<f(?:\s[^<>]*)?(?:/>|>[^<]*</f>)\s*)?"
# Markup inside an <is> of rich text; a cell or row tag there (an <is> calamine reads across
# cells) sends the piece to the event parser, which counts cells and rows as calamine does.
_IN_RICH = r"(?![!?]|/is>|c[\s/>]|/?row[\s/>])"
# One cell in the shapes spreadsheet programs write, row tags, the end of the data, or any other
# markup ("<": the piece goes to the event parser).
_SHEET = re.compile(
    _CELL_ATTRIBUTES + _CELL_EXTRA + r"(?:/>|>\s*" + _FORMULA + r"(?:<v(>[^<]*</v>|\s*/>)"
    r"|<is><t>([^<]*</t>)</is>"
    r'|<is><t xml:space="preserve">([^<]*</t>)</is>'
    r"|(<is>[^<]*(?:<" + _IN_RICH + r"[^<]*)*</is>|<is\s*/>)"
    r")?\s*</c>)"
    r"""|(<row\b(?:[^<>"']|"[^"]*"|'[^']*')*>|</row>|</sheetData>|<)"""
)
# The commonest shapes with the same groups, ~35% faster to match: tried first on each piece.
_SHEET_COMMON = re.compile(
    _CELL_ATTRIBUTES + r"(?:/>|>(?:<v(>[^<]*</v>)"
    r"|<is><t>([^<]*</t>)</is>"
    r'|<is><t xml:space="preserve">([^<]*</t>)</is>'
    r")?</c>)()"
    r"""|(<row\b(?:[^<>"']|"[^"]*"|'[^']*')*>|</row>|</sheetData>|<)"""
)
# The same shapes without groups (to check that a piece holds nothing else) ...
_SHEET_TOKENS = re.compile(
    _CELL_ATTRIBUTES_PLAIN + _CELL_EXTRA + r"(?:/>|>\s*" + _FORMULA + r"(?:<v>[^<]*</v>|<v\s*/>"
    r"|<is>[^<]*(?:<" + _IN_RICH + r"[^<]*)*</is>|<is\s*/>)?\s*</c>)"
    r"""|<row\b(?:[^<>"']|"[^"]*"|'[^']*')*>|</row>|</sheetData>"""
)
# ... and only the cells that hold a value (calamine drops the empty ones), their column letters:
# a number, shared string, boolean or error whose <v> text is not empty and does not start with a
# reference; a formula string, ISO date or unknown type with any <v>; any cell with <is>.
_BODY = _CELL_EXTRA + r">\s*" + _FORMULA


def _valued(column: str) -> re.Pattern:
    prefix = r'<c r="' + column + r'[1-9][0-9]{0,6}"(?: s="[0-9]{1,9}")?'
    return re.compile(
        prefix + r"(?:"
        r'(?: t="[nsbe]")?' + _BODY + r"<v>[^<&]"
        r'| t="(?!(?:n|s|b|e|inlineStr|is)")[a-zA-Z]{1,9}"' + _BODY + r"<v[\s/>]"
        r'|(?: t="[a-zA-Z]{1,9}")?' + _BODY + r"<is[\s/>])"
    )


_VALUED = _valued("([A-Z]{1,3})")
_ROW_PLACE = re.compile(r'<row r="([1-9][0-9]{0,6})"(?:\s+[A-Za-z:]+="[^"<>]*")*\s*/?>')
EMPTY = None


def _letters(column: int) -> str:
    """0 → A, 26 → AA."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


# The depth the passes that do not check the open elements count from (SheetRows._drive).
UNCHECKED = 1 << 62


class _State:
    """calamine's counters (row_index, col_index) between the fast and the event-parsed pieces,
    and the open elements and merged-cell pass of the events (Events.depth, Events.merge)."""

    __slots__ = ("row", "column", "done", "depth", "merge")

    def __init__(self):
        self.row = 0
        self.column = 0
        self.done = False
        self.depth = UNCHECKED  # the elements open (Events.depth)
        self.merge = 0  # calamine's merged-cell pass (_merge_step)


class SheetRows:
    """The first sheet of an .xlsx read as python-calamine reads it, one row at a time.

    The shared strings, number formats and date system are read when it is made; `measure_width()`
    finds the last column holding a value; `rows()` yields lists that long from row 1 to the last
    row holding a value. Errors are SheetUnreadable (Korean message)."""

    def __init__(
        self,
        archive: zipfile.ZipFile,
        member: str,
        *,
        max_strings: int,
        used_columns: int | None = None,
        events_only: bool = False,
    ):
        """`used_columns`: the last column any cell occupies (xlsx_sheet.sheet_size), if known;
        `events_only`: read every piece with the event parser (the tests compare both readers)."""
        self.events_only = events_only
        self.archive = archive
        self.member = member
        self.used_columns = used_columns
        self.strings = read_shared_strings(archive, max_strings)
        self.formats = read_formats(archive)
        self.is_1904 = read_workbook(archive)
        self.style_kinds: dict[str, int] = {}
        self.width: int | None = None

    # -- values -----------------------------------------------------------------------------

    def _style_kind(self, style: str | None) -> int:
        if style is None:
            return OTHER
        kind = self.style_kinds.get(style)
        if kind is None:
            index = _atoi(style)
            kind = self.formats[index] if index < len(self.formats) else OTHER
            self.style_kinds[style] = kind
        return kind

    def _number(self, number: float, style: str | None):
        kind = self._style_kind(style)
        return number if kind == OTHER else excel_date(number, kind, self.is_1904)

    def _value(self, text: str, style: str | None, kind: str | None):
        """calamine's read_v for the text of a <v> (raw for numbers, decoded for the others)."""
        if kind == "s":
            if not text:
                return EMPTY
            index = _atoi(text)
            if index >= len(self.strings):
                raise unreadable("공유 문자열 번호가 표에 없습니다")
            return self.strings[index]
        if kind is None or kind == "n":
            if not text:
                return EMPTY
            number = parse_number(text)
            if number is None:
                if kind is None:
                    return text
                raise unreadable(f"숫자가 아닌 값 '{text[:20]}'")
            return self._number(number, style)
        if kind == "b":
            flag = text.strip(" \t\n\r\x0c").lower()
            if flag in ("1", "true"):
                return True
            if flag in ("0", "false"):
                return False
            raise unreadable(f"참/거짓 값 '{text[:20]}'")
        if kind == "e":
            if text in _ERROR_NAMES:
                return ""
            raise unreadable(f"오류 값 '{text[:20]}'")
        if kind == "str":
            return decode_escapes(text)
        if kind == "d":
            return iso_value(text)
        raise unreadable(f'셀 형식 t="{kind[:20]}"')

    # -- the event parser's cells (calamine's XlsxCellReader) --------------------------------

    def _slow_cells(self, events: Events, state: _State, hand_back: bool) -> Iterator[tuple]:
        """(row, column, value) of the valued cells; returns at </sheetData>, or (hand_back) at a
        row end once the piece it started in has been read."""
        start_refills = events.refills
        for event in events:
            kind = event[0]
            if kind == START:
                local = local_name(event[1])
                if local == "row":
                    place = attribute(event[2], "r")
                    if place is not None:
                        state.row = row_and_column(place)[0]
                elif local == "c":
                    row, column, value = self._slow_cell(events, event, state)
                    if value is not EMPTY:
                        yield row, column, value
            elif kind == END:
                local = local_name(event[1])
                if local == "row":
                    state.row = (state.row + 1) & 0xFFFFFFFF
                    state.column = 0
                    if hand_back and events.refills > start_refills:
                        return
                elif local == "sheetData":
                    state.done = True
                    return
        raise unreadable("</sheetData> 없음")

    def _slow_cell(self, events: Events, start: tuple, state: _State) -> tuple:
        place = style = kind = None
        for key, value in attributes(start[2]):
            if key == "r":
                place = value
            elif key == "s":
                style = value
            elif key == "t":
                kind = value
        if place is not None:
            row, column = cell_place(place)
            state.column = column
        else:
            row, column = state.row, state.column
        value = EMPTY
        for event in events:
            if event[0] == START:
                value = self._slow_child(events, event, style, kind)
            elif event[0] == END and local_name(event[1]) == "c":
                break
        else:
            raise unreadable("</c> 없음")
        state.column = (state.column + 1) & 0xFFFFFFFF
        return row, column, value

    def _slow_child(self, events: Events, start: tuple, style, kind):
        name = start[1]
        local = local_name(name)
        if local == "is":
            return read_string(events, name)
        if local == "f":
            read_to_end(events, name)
            return EMPTY
        if local != "v":
            raise unreadable(f"셀 안의 <{local[:20]}>")
        if kind in ("inlineStr", "is"):
            read_to_end(events, name)
            return EMPTY
        if kind in (None, "n", "s", "b", "e"):
            first = next(events, None)
            if first is None:
                raise unreadable("</v> 없음")
            value = EMPTY
            if first[0] == TEXT:
                raw = first[1]
                if not raw.startswith("&"):
                    _check_references(raw)
                    value = self._value(raw.split("&", 1)[0], style, kind)
            elif first[0] == END and first[1] == name:
                return EMPTY
            read_to_end(events, name)
            return value
        return self._value(_read_full_text(events, name), style, kind)

    # -- pieces of the sheet -----------------------------------------------------------------

    def _drive(self, fast, cell, check: bool = False) -> Iterator[None]:
        """Read the sheet: `fast(piece, state)` for each ~1 MB piece of <sheetData> ending at a row
        end (it raises _Fallback if the piece holds markup the expressions do not cover), else
        `cell(row, column, value)` for each valued cell the event parser reads, until a row end
        past that piece. Yields after each piece.

        `check` (the pass that reads every row): the open elements are counted from the start of
        the file to </sheetData> (`fast` counts them in state.depth) and past it as far as
        calamine's merged-cell pass reads (_read_tail), so that what quick-xml refuses there is
        refused. The other passes count from the depth UNCHECKED, which no stray end tag exhausts."""
        pieces = _pieces(self.archive, self.member)
        events = Events(pieces, merge=MERGE_LOOKING if check else 0)
        typed = False  # an element that is no <dimension> started before <sheetData>
        for event in events:
            if event[0] == START:
                local = local_name(event[1])
                if local == "dimension":
                    reference = attribute(event[2], "ref")
                    if reference is None:
                        raise unreadable("<dimension>에 ref가 없습니다")
                    _range(reference)
                elif local == "sheetData":
                    break
                else:
                    typed = True
        else:
            # no <sheetData>: calamine takes the sheet for another kind (a chart sheet, say) and
            # reads no rows, unless no element started at all
            if not typed:
                raise unreadable("<sheetData> 없음")
            if events.merge == MERGE_INSIDE:
                raise unreadable("</mergeCells> 없음")
            return
        if events.pending_end is not None:  # <sheetData/>
            next(events)
            if check:
                _read_tail(events.rest(), pieces, events.depth, events.merge)
            return
        state = _State()
        state.depth = events.depth if check else UNCHECKED
        state.merge = events.merge
        buffer = events.rest()
        while True:
            done = buffer.find("</sheetData>")
            if done >= 0:
                cut = done + 12
            else:
                cut = buffer.rfind("</row>")
                cut = cut + 6 if cut >= 0 else 0
            if cut:
                try:
                    if self.events_only:
                        raise _Fallback
                    fast(buffer, cut, state)
                except _Fallback:
                    stream = pieces
                    text = buffer
                else:
                    if done >= 0:
                        if check:
                            _read_tail(buffer[cut:], pieces, state.depth, state.merge)
                        yield
                        return
                    yield
                    more = next(pieces, None)
                    if more is None:
                        raise unreadable("</sheetData> 없음")
                    buffer = buffer[cut:] + more
                    continue
            else:
                more = next(pieces, None)
                if more is not None and len(buffer) <= LONGEST_FAST_PIECE:
                    buffer += more
                    continue
                stream = _Prepended(more, pieces) if more is not None else pieces
                text = buffer
            # the event parser reads from here to a row end past this piece, then hands back
            slow = Events(stream, text, state.depth, state.merge)
            for row, column, value in self._slow_cells(slow, state, hand_back=True):
                cell(row, column, value)
            state.depth, state.merge = slow.depth, slow.merge
            if state.done:
                if check:
                    _read_tail(slow.rest(), slow.pieces, slow.depth, slow.merge)
                yield
                return
            yield
            buffer = slow.rest()

    # -- first pass: the last column holding a value ----------------------------------------

    def measure_width(self) -> int:
        """How many columns python-calamine hands out: up to the last one holding a value.

        With `used_columns` (the last column any cell occupies, from the size check) the common
        case reads only until a value in that column is found; otherwise, or if that column holds
        no value, the whole sheet is read for the valued columns."""
        if self.width is None:
            if self.used_columns and self._column_has_value(self.used_columns - 1):
                self.width = self.used_columns
            else:
                self.width = self._widest() + 1
        return self.width

    def _column_has_value(self, column: int) -> bool:
        pattern = _valued(_letters(column))

        def fast(buffer: str, end: int, state: _State) -> None:
            hit = pattern.search(buffer, 0, end) is not None
            if _weird(buffer, end):
                raise _Fallback
            if hit:
                raise _Found
            _advance_rows(buffer, end, state)

        def cell(row: int, at: int, value) -> None:
            if at == column:
                raise _Found

        try:
            for _ in self._drive(fast, cell):
                pass
        except _Found:
            return True
        return False

    def _widest(self) -> int:
        widest = [-1]

        def fast(buffer: str, end: int, state: _State) -> None:
            if _weird(buffer, end):
                raise _Fallback
            letters = set(_VALUED.findall(buffer, 0, end))
            if letters:
                widest[0] = max(widest[0], *map(column_index, letters))
            _advance_rows(buffer, end, state)

        def cell(row: int, column: int, value) -> None:
            widest[0] = max(widest[0], column)

        for _ in self._drive(fast, cell):
            pass
        return widest[0]

    # -- second pass: the rows ---------------------------------------------------------------

    def rows(self) -> Iterator[list]:
        width = self.measure_width()  # 0: no cell holds a value; the sheet is still read, checked
        strings = self.strings
        blob, offsets, count = strings.blob, strings.offsets, len(strings)
        spilled = strings.file.fileno() if strings.file is not None else None
        recent: dict[str, str] = {}  # shared strings by their <v> text, the last few thousand
        style_kinds = self.style_kinds
        is_1904 = self.is_1904
        numbers: dict[str, float] = {}
        dates: tuple[dict, dict, dict] = ({}, {}, {})
        columns: dict[str, int] = {}
        out: list[list] = []
        # the row being filled: its 0-based number, its cells, its r digits; rows handed out so far
        assembly = [-1, None, "", 0]

        def put(row: int, column: int, value) -> None:
            index, current, _, emitted = assembly
            if row != index:
                if row < index:
                    raise _out_of_order()
                if current is not None:
                    out.append(current)
                    emitted = index + 1
                while emitted < row:
                    out.append([""] * width)
                    emitted += 1
                current = [""] * width
                assembly[:] = [row, current, "", emitted]
            current[column] = value

        def fast(buffer: str, end: int, state: _State) -> None:
            try:  # the shapes most files hold only, else all the shapes, else the event parser
                consume(_SHEET_COMMON.findall(buffer, 0, end), state)
            except _Fallback:
                consume(_SHEET.findall(buffer, 0, end), state)

        def consume(found: list[tuple], state: _State) -> None:
            index, current, current_text, emitted = assembly
            kept, kept_cells = len(out), (current[:] if current is not None else None)
            row_number, depth, merge = state.row, state.depth, state.merge
            try:
                for letters, digits, style, kind, v, simple, preserved, rich, markup in found:
                    if letters:
                        if v:
                            text = v[1:-4] if v[0] == ">" else ""
                            if not kind:
                                if not text or text[0] == "&":
                                    continue
                                if "&" in text:
                                    _check_references(text)
                                    text = text[: text.index("&")]
                                value = numbers.get(text)
                                if value is None:
                                    value = parse_number(text)
                                    if value is None:
                                        value = text
                                    else:
                                        if len(numbers) >= 4096:
                                            numbers.clear()
                                        numbers[text] = value
                                if style and value.__class__ is float:
                                    date_kind = style_kinds.get(style)
                                    if date_kind is None:
                                        date_kind = self._style_kind(style)
                                    if date_kind:
                                        cache = dates[date_kind]
                                        date = cache.get(text)
                                        if date is None:
                                            date = excel_date(value, date_kind, is_1904)
                                            if len(cache) >= 4096:
                                                cache.clear()
                                            cache[text] = date
                                        value = date
                            elif kind == "s":
                                if not text or text[0] == "&":
                                    continue
                                if "&" in text:
                                    _check_references(text)
                                    text = text[: text.index("&")]
                                value = recent.get(text)
                                if value is None:
                                    position = int(text) if text.isdigit() and len(text) < 20 else _atoi(text)
                                    if position >= count:
                                        raise unreadable("공유 문자열 번호가 표에 없습니다")
                                    start = offsets[position]
                                    if spilled is None:
                                        value = blob[start : offsets[position + 1]].decode()
                                    else:
                                        value = os.pread(spilled, offsets[position + 1] - start, start).decode()
                                    if len(recent) >= 4096:
                                        recent.clear()
                                    recent[text] = value
                            elif kind == "inlineStr" or kind == "is":
                                continue
                            elif kind == "n" or kind == "b" or kind == "e":
                                if not text or text[0] == "&":
                                    continue
                                if "&" in text:
                                    _check_references(text)
                                    text = text[: text.index("&")]
                                value = self._value(text, style or None, kind)
                            else:
                                value = self._value(unescape(text), style or None, kind)
                        elif preserved:
                            value = preserved[:-4]
                            if "&" in value or "\r" in value:
                                value = unescape(value)
                            if "_x" in value:
                                value = decode_escapes(value)
                        elif simple:
                            value = simple[:-4]
                            if "&" in value or "\r" in value:
                                value = unescape(value)
                            value = value.strip(XML_WHITESPACE)
                            if "_x" in value:
                                value = decode_escapes(value)
                        elif rich:
                            if rich[3] == ">":  # <c> and <is> open; what is inside need not balance
                                value, inner = matched_string(rich[4:], "is", depth + 2, merge)
                                if not inner.depth:
                                    raise _unmatched("c")
                                depth, merge = inner.depth - 1, inner.merge
                            else:
                                value = ""
                        else:
                            continue
                        if digits != current_text:
                            row = int(digits) - 1
                            if row != index:
                                if row < index:
                                    raise _out_of_order()
                                if current is not None:
                                    out.append(current)
                                    emitted = index + 1
                                while emitted < row:
                                    out.append([""] * width)
                                    emitted += 1
                                index = row
                                current = [""] * width
                            current_text = digits
                        column = columns.get(letters)
                        if column is None:
                            column = columns[letters] = column_index(letters)
                        current[column] = value
                    elif markup == "</row>":
                        if not depth:
                            raise _unmatched("row")
                        depth -= 1
                        row_number = (row_number + 1) & 0xFFFFFFFF
                    elif markup.startswith("<row"):
                        row_number = _row_tag(markup, row_number)
                        if markup[-2] != "/":
                            depth += 1
                    elif markup == "</sheetData>":
                        if not depth:
                            raise _unmatched("sheetData")
                        depth -= 1
                        state.done = True
                        break
                    else:
                        raise _Fallback
            except _Fallback:
                del out[kept:]
                if kept_cells is not None:
                    assembly[1][:] = kept_cells
                raise
            assembly[:] = [index, current, current_text, emitted]
            state.row, state.depth, state.merge = row_number, depth, merge
            state.column = 0

        for _ in self._drive(fast, put, check=True):
            if out:
                yield from out
                out.clear()
        if assembly[1] is not None:
            yield assembly[1]


def _row_tag(tag: str, row_number: int) -> int:
    """calamine's row counter after a <row> start tag (and its end, if the tag is empty)."""
    match = _ROW_PLACE.fullmatch(tag)
    if match:
        row_number = int(match.group(1)) - 1
    else:
        body = tag[4:-2] if tag.endswith("/>") else tag[4:-1]
        place = attribute(body, "r")
        if place is not None:
            row_number = row_and_column(place)[0]
    if tag.endswith("/>"):
        row_number = (row_number + 1) & 0xFFFFFFFF
    return row_number


_ROW_EVENT = re.compile(r"""<row\b(?:[^<>"']|"[^"]*"|'[^']*')*>|</row>""")


# The inside of an <is> that is not one plain <t>.
_RICH_INSIDE = re.compile(
    r'<is>(?!<t>[^<]*</t></is>|<t xml:space="preserve">[^<]*</t></is>)([^<]*(?:<' + _IN_RICH + r"[^<]*)*</is>)"
)


def _weird(buffer: str, end: int) -> bool:
    """Whether the piece holds markup the expressions do not cover, or rich text calamine reads
    past its </is> (a <t> closed in a later cell) or not to it."""
    piece = buffer[:end]
    if "<" in _SHEET_TOKENS.sub("", piece):
        return True
    for match in _RICH_INSIDE.finditer(piece):
        try:
            matched_string(match.group(1), "is", UNCHECKED)
        except _Fallback:
            return True
    return False


def _advance_rows(buffer: str, end: int, state: _State) -> None:
    """calamine's row counter after a piece the expressions read (measure_width)."""
    piece = buffer[:end]
    last_tag = piece.rfind("<row")
    while last_tag >= 0 and piece[last_tag + 4 : last_tag + 5] not in (" ", "\t", "\n", "\r", ">", "/"):
        last_tag = piece.rfind("<row", 0, last_tag)
    if last_tag >= 0:
        match = _ROW_PLACE.match(piece, last_tag)
        if match:
            row = int(match.group(1)) - 1
            if piece[match.end() - 2] == "/":
                row += 1
            state.row = row + piece.count("</row>", match.end())
            state.column = 0
            return
    row = state.row
    for tag in _ROW_EVENT.findall(piece):
        row = (row + 1) & 0xFFFFFFFF if tag == "</row>" else _row_tag(tag, row)
    state.row = row
    state.column = 0


def _check_references(text: str) -> None:
    """quick-xml refuses a `&` that no `;` closes, even where calamine then ignores the text."""
    if "&" in _REFERENCE.sub("", text):
        raise unreadable("닫히지 않은 & 참조")


def _out_of_order() -> SheetUnreadable:
    return SheetUnreadable(
        "시트의 행이 순서대로 저장되어 있지 않아 큰 파일로 읽을 수 없습니다. 엑셀에서 다시 저장해 주세요."
    )
