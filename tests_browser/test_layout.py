"""Every admin list, form and history, and every /plan/ page, at 1366 and 1920 px: nothing staff would trip over.

For each page: no sideways scrolling of the content, no table cell wrapping a short name one
character per line, no unreadable heading, no untranslated words, no console error, no failed
request (see pagecheck). Each page is loaded once at 1366×768, checked, widened to 1920×1080 and
checked again. A page with problems is saved under the failure screenshot folder, named after
the page and width.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FAILURES, HEIGHTS, WIDTHS
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from pagecheck import inspect

ADMIN_MODELS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def check(watched, url: str) -> list[str]:
    """Problems of the page at `url` at every width (the page is loaded once, then resized)."""
    page = watched.page
    watched.reset()
    response = page.goto(url)
    path = urlsplit(url).path
    if not response or response.status != 200:
        return [f"{path}: HTTP {response.status if response else '?'}"]
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
        found = inspect(watched)
        if found:
            FAILURES.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w]+", "_", path).strip("_")
            shot = FAILURES / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            problems += [f"{path} at {width}px: {problem}" for problem in found] + [f"  screenshot: {shot}"]
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHTS[WIDTHS[0]]})
    return problems


def form_paths(model, model_admin) -> list[str]:
    """The change form and history of the latest row, or the add form of an empty list (if adding is allowed)."""
    info = model._meta.app_label, model._meta.model_name
    latest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    if latest is not None:
        return [reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[latest]) for view in ("change", "history")]
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return [reverse("admin:{}_{}_add".format(*info))] if model_admin.has_add_permission(request) else []


@pytest.mark.parametrize("model,model_admin", ADMIN_MODELS, ids=[m._meta.label for m, _ in ADMIN_MODELS])
def test_admin_list_and_form(admin_page, base_url, model, model_admin):
    info = model._meta.app_label, model._meta.model_name
    paths = [reverse("admin:{}_{}_changelist".format(*info)), *form_paths(model, model_admin)]
    problems = []
    for path in paths:
        problems += check(admin_page, base_url + path)
    assert not problems, "\n".join(problems)


def test_dashboard_and_program_summary(admin_page, base_url):
    problems = check(admin_page, f"{base_url}/admin/")
    problems += check(admin_page, f"{base_url}/admin/programs/program/summary/")
    assert not problems, "\n".join(problems)


def test_every_plan_page(admin_page, base_url):
    """Every page reachable from /plan/ by its links (no downloads, no further pages of a list), as found."""
    page = admin_page.page
    seen, queue, problems = set(), ["/plan/"], []
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        problems += check(admin_page, base_url + path)
        for href in page.eval_on_selector_all("#content a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(urljoin(base_url + path, href))
            if parts.path.startswith("/plan/") and not parts.query and parts.path not in seen:
                queue.append(parts.path)
    assert len(seen) > 40, sorted(seen)  # overview, 3 areas, 7 tasks, the programs, the lists
    assert not problems, "\n".join(problems)
