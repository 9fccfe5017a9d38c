"""What a staff member would notice on a page, measured in the browser.

`inspect(page)` returns the problems of the page as it is laid out now:
- the content scrolls sideways: the page is wider than the window, a box that scrolls or clips
  (a list's .results wrapper, an inline's fieldset) is wider than itself, or a table ends past
  the content area;
- a table cell wraps a short text to one or two characters per line;
- a heading, caption or link that cannot be read against its background (contrast < 3:1);
- words that are not Korean (untranslated labels), apart from a short allow-list of names
  and units the plan itself uses.
Console errors and failed requests are collected by conftest.Watched.
"""

import re
from pathlib import Path

# Latin words that belong on a Korean page: names in the plan, units, file formats, user names.
ALLOWED_WORDS = {
    "kotra", "dx", "r&d", "ip-r&d", "csv", "excel", "xlsx", "biz", "gp", "sw", "ip", "id", "kb", "mb",
    "sha-256", "admin", "officer-msme", "3d", "e-7-4", "d-2", "e-9", "ai", "it", "pdf", "url", "email",
    "db", "n-tier", "esh", "iot", "mpa", "b-a",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&\-]+")
CHAPTER = re.compile(r"^[IVX]+(-\d+)*-?$")  # the plan's chapters: IV-1-2

LAYOUT_SCRIPT = (Path(__file__).with_name("pagecheck.js")).read_text(encoding="utf-8")


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_SCRIPT)


# Data that is Latin by nature, not a label to translate: browser user agents and request
# headers in the login records, password hashes, machine codes of import files, a plan year's
# source document (a file path).
DATA_SELECTORS = ", ".join(
    f'[class*="field-{name}"]'
    for name in ("user_agent", "http_accept", "path_info", "password", "code", "sha256", "source_document")
)
TEXT_SCRIPT = """
(selectors) => {
  let text = document.body.innerText;
  for (const el of document.querySelectorAll(selectors)) {
    const data = el.innerText.trim();
    if (data) text = text.split(data).join(' ');
  }
  return text;
}
"""


def untranslated_words(page) -> list[str]:
    text = page.evaluate(TEXT_SCRIPT, DATA_SELECTORS) + " " + page.title()
    return sorted({w for w in LATIN_WORD.findall(text) if w.lower() not in ALLOWED_WORDS and not CHAPTER.match(w)})


def inspect(watched) -> list[str]:
    page = watched.page
    problems = layout_problems(page)
    words = untranslated_words(page)
    if words:
        problems.append("untranslated words: " + ", ".join(words[:30]))
    problems += [f"console error: {error}" for error in watched.console_errors]
    problems += [f"failed request: {failed}" for failed in watched.failed_requests]
    return problems
