"""Rewrite an .xlsx's inline strings into a shared-string table, as Excel and LibreOffice store text.

    .venv/bin/python bench/shared_strings.py companies.xlsx companies_sst.xlsx

`programs.xlsx_stream` (our exports, `generate_companies --xlsx`) writes every text inline
(`<c t="inlineStr"><is>…</is></c>`); a file saved by Excel holds each distinct text once in
xl/sharedStrings.xml and cells point to it (`<c t="s"><v>index</v></c>`). The bench reads both.
Each `<is>` body is copied verbatim into its `<si>` (the two elements have the same content), so
the converted file holds exactly the same values. The sheet is rewritten 1 MB at a time; the
distinct strings are kept in a dict while converting (a bench tool, not part of the import).
"""

import codecs
import re
import sys
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_INLINE = re.compile(r'(<c\b[^<>]*?)\s+t="inlineStr"([^<>]*)><is>((?:[^<]|<(?!/is>))*)</is></c>')
CHUNK = 1 << 20


def _rewrite(source, target, strings: dict[str, int]) -> int:
    """Copy the sheet XML from `source` to `target` with inline strings as indexes; the cell count."""
    cells = 0

    def shared(match: re.Match) -> str:
        nonlocal cells
        cells += 1
        index = strings.setdefault(match.group(3), len(strings))
        return f'{match.group(1)} t="s"{match.group(2)}><v>{index}</v></c>'

    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = ""
    while chunk := source.read(CHUNK):
        text = tail + decoder.decode(chunk)
        cut = text.rfind("</row>")
        cut = cut + 6 if cut >= 0 else 0
        target.write(_INLINE.sub(shared, text[:cut]).encode())
        tail = text[cut:]
    target.write(_INLINE.sub(shared, tail + decoder.decode(b"", True)).encode())
    return cells


def to_shared_strings(source_path: Path, target_path: Path) -> tuple[int, int]:
    """Write the converted workbook; (strings rewritten, distinct strings)."""
    strings: dict[str, int] = {}
    cells = 0
    with (
        zipfile.ZipFile(source_path) as source,
        zipfile.ZipFile(target_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        names = source.namelist()
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with source.open(name) as reader, target.open(name, "w", force_zip64=True) as writer:
                    cells += _rewrite(reader, writer, strings)
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                continue
            content = source.read(name).decode()
            if name == "[Content_Types].xml" and SHARED_STRINGS_TYPE not in content:
                content = content.replace(
                    "</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/></Types>',
                )
            elif name == "xl/_rels/workbook.xml.rels" and SHARED_STRINGS_RELATION not in content:
                content = content.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdSharedStrings" Type="{SHARED_STRINGS_RELATION}" '
                    'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(name, content)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as writer:
            writer.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                f'count="{cells}" uniqueCount="{len(strings)}">'.encode()
            )
            parts, size = [], 0
            for body in strings:  # a dict keeps the order of the indexes
                parts.append(f"<si>{body}</si>")
                size += len(body)
                if size > CHUNK:
                    writer.write("".join(parts).encode())
                    parts, size = [], 0
            parts.append("</sst>")
            writer.write("".join(parts).encode())
    return cells, len(strings)


if __name__ == "__main__":
    rewritten, distinct = to_shared_strings(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {rewritten:,} strings as {distinct:,} shared strings")
