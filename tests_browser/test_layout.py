"""Every admin list and form, and every /plan/ page, at 1366 and 1920 px: nothing a staff member would trip over.

For each page: no sideways scrolling of the content, no table cell wrapping a short name one
character per line, no untranslated words, no console error, no failed request (see pagecheck).
A page with problems is saved under the failure screenshot folder, named after the page.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FAILURES, WIDTHS
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from pagecheck import inspect

ADMIN_MODELS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def check(watched, url: str, width: int) -> list[str]:
    watched.reset()
    response = watched.page.goto(url)
    problems = [] if response and response.status == 200 else [f"HTTP {response.status if response else '?'}"]
    problems += inspect(watched)
    if problems:
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w]+", "_", urlsplit(url).path).strip("_")
        path = FAILURES / f"{name}-{width}.png"
        watched.page.screenshot(path=str(path), full_page=True)
        problems.append(f"screenshot: {path}")
    return [f"{urlsplit(url).path} at {width}px: {problem}" for problem in problems]


def change_form_path(model, model_admin) -> str | None:
    """The change form of the first row the list shows, or the add form of an empty list."""
    info = model._meta.app_label, model._meta.model_name
    first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        return reverse("admin:{}_{}_change".format(*info), args=[first])
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return reverse("admin:{}_{}_add".format(*info)) if model_admin.has_add_permission(request) else None


@pytest.mark.parametrize("model,model_admin", ADMIN_MODELS, ids=[m._meta.label for m, _ in ADMIN_MODELS])
def test_admin_list_and_form(admin_pages, base_url, model, model_admin):
    info = model._meta.app_label, model._meta.model_name
    paths = [reverse("admin:{}_{}_changelist".format(*info)), change_form_path(model, model_admin)]
    problems = []
    for width in WIDTHS:
        for path in filter(None, paths):
            problems += check(admin_pages[width], base_url + path, width)
    assert not problems, "\n".join(problems)


def plan_pages(page, base_url: str) -> list[str]:
    """Every page reachable from /plan/ by the links on /plan/ pages (no downloads, no other pages of a list)."""
    seen, queue = set(), ["/plan/"]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(base_url + path)
        for href in page.eval_on_selector_all("#content a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(urljoin(base_url + path, href))
            if parts.path.startswith("/plan/") and not parts.query and parts.path not in seen:
                queue.append(parts.path)
    return sorted(seen)


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_pages(admin_pages, base_url, width):
    watched = admin_pages[width]
    paths = plan_pages(watched.page, base_url)
    assert len(paths) > 40, paths  # overview, 3 areas, 7 tasks, the programs, the lists
    problems = []
    for path in paths:
        problems += check(watched, base_url + path, width)
    assert not problems, "\n".join(problems)
