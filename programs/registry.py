"""What the apps built on the core add to it: plan data, committee sheets, checks, page panels.

`programs` is the core and knows none of the apps built on it. Each app registers what it
contributes from its `AppConfig.ready()` by handing over the function itself (no module names as
strings, so nothing can be silently missing). Apps are ready in `INSTALLED_APPS` order, so
contributions run in that order too (programs → companies → centers), which is the order the plan
data needs: later apps refer to what earlier apps loaded.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


class Hook:
    """One extension point: an ordered list of contributions, each registered once."""

    def __init__(self, name: str, contract: str):
        self.name = name
        self.contract = contract
        self._items: list = []

    def register(self, item):
        if item in self._items:
            raise ValueError(f"{self.name}: {item!r} is registered twice")
        self._items.append(item)
        return item

    def __iter__(self) -> Iterator:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class PlanData:
    label: str  # shown by load_plan, e.g. "뿌리기업 기준 자료"
    load: Callable[[], dict[str, int]]


@dataclass(frozen=True)
class Panel:
    """A block of a core page rendered by an app: its template and the context it needs."""

    template: str
    context: Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class AreaFigure:
    """Columns an app adds to the committee summary, one value per 추진분야 (by area id)."""

    headers: tuple[str, ...]
    values: Callable[..., dict[int, tuple]]  # (report) -> {area_id: values}; missing areas are 0


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str


@dataclass(frozen=True)
class RoleChanges:
    """Model permissions of one role in one app, besides viewing everything (setup_roles)."""

    role: str
    app_label: str
    actions: dict[str, tuple[str, ...]]  # model name → ("add", "change", "delete")


plan_data = Hook("plan_data", "PlanData(label, load() -> counts), loaded in this order by load_plan")
committee_sheets = Hook("committee_sheets", "callable(report) adding sheets after 추진일정, before 검증")
summary_figures = Hook("summary_figures", "AreaFigure added to the 요약 sheet, after the budget columns")
checks = Hook("checks", "callable(*, year, ministry) -> list[Finding] for the 검증 sheet")
dashboard_panels = Hook("dashboard_panels", "Panel with context(*, request, year), shown on the admin index")
program_panels = Hook("program_panels", "Panel with context(*, request, program), shown on /plan/ program pages")
plan_nav = Hook("plan_nav", "NavLink shown in the /plan/ pages' menu, after the core's")
role_changes = Hook("role_changes", "RoleChanges: model permissions a role gets besides viewing (setup_roles)")
user_admin_inlines = Hook("user_admin_inlines", "inline admin classes on the user page (담당 범위 of an app)")
year_bound = Hook(
    "year_bound",
    "models whose rows carry program and year under YearAgreement (programs.models.plan); their tables "
    "have the year triggers of their app's 0002 migration (programs/year_triggers.py)",
)


def panel_contexts(hook: Hook, **kwargs) -> list[dict[str, Any]]:
    """The registered panels of a page, each with its context computed now, for `{% include %}`."""
    return [{"template": panel.template, "context": panel.context(**kwargs)} for panel in hook]
