"""Who may change what. The admin, the staff pages, the exports and the imports all ask here.

Roles are Django groups (created by `manage.py setup_roles`):
- 시스템 관리자: everything;
- 부처 담당자: changes only the programs, budgets, executions, milestones and applications of the
  ministry in their StaffAssignment; sees everything else read-only;
- 위원: read-only everywhere, may download the committee report and filtered exports;
- 센터 담당자: manages only the service requests of the center in their StaffAssignment.
Model permissions (from the groups) say what kind of object a user may change; the scope rules
below say which ones.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

SYSTEM_ADMIN = "시스템 관리자"
MINISTRY_OFFICER = "부처 담당자"
COMMITTEE_MEMBER = "위원"
CENTER_OFFICER = "센터 담당자"

# Model label → path from the model to the owning ministry's id.
MINISTRY_SCOPED = {
    "programs.program": "ministry_id",
    "programs.programbudget": "program__ministry_id",
    "programs.budgetexecution": "program__ministry_id",
    "programs.milestone": "program__ministry_id",
    "companies.application": "program__ministry_id",
}
# Model label → path from the model to the owning center's id.
CENTER_SCOPED = {
    "centers.servicerequest": "center_id",
}


def _groups(user) -> set[str]:
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def is_system_admin(user) -> bool:
    return user.is_active and (user.is_superuser or SYSTEM_ADMIN in _groups(user))


def _assignment(user):
    if not hasattr(user, "_assignment_cache"):
        from programs.models import StaffAssignment

        user._assignment_cache = StaffAssignment.objects.filter(user_id=user.pk).first()
    return user._assignment_cache


def assigned_ministry_id(user) -> int | None:
    assignment = _assignment(user)
    return assignment.ministry_id if assignment else None


def assigned_center_id(user) -> int | None:
    assignment = _assignment(user)
    return assignment.center_id if assignment else None


def _scope(model) -> tuple[str, str] | None:
    label = model._meta.label_lower
    if label in MINISTRY_SCOPED:
        return "ministry", MINISTRY_SCOPED[label]
    if label in CENTER_SCOPED:
        return "center", CENTER_SCOPED[label]
    return None


def changeable_filter(user, model) -> Q:
    """The rows of `model` the user may change, as a filter (model permissions aside)."""
    scope = _scope(model)
    if scope is None or is_system_admin(user):
        return Q()
    kind, path = scope
    owner = assigned_ministry_id(user) if kind == "ministry" else assigned_center_id(user)
    if owner is None:
        return Q(pk__in=[])
    return Q(**{path: owner})


def _owner_id(obj: Model, path: str):
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def can_change(user, obj: Model) -> bool:
    """May the user change (or delete) this object? Unsaved objects are judged by what they refer to."""
    scope = _scope(type(obj))
    if scope is None or is_system_admin(user):
        return True
    kind, path = scope
    owner = assigned_ministry_id(user) if kind == "ministry" else assigned_center_id(user)
    return owner is not None and _owner_id(obj, path) == owner


def all_changeable(user, queryset: QuerySet) -> bool:
    """Are all rows of `queryset` inside the user's scope?"""
    allowed = changeable_filter(user, queryset.model)
    return not allowed or not queryset.exclude(allowed).exists()


def ensure_changeable(user, queryset: QuerySet) -> None:
    """Refuse a bulk change (action, delete) when any selected row is outside the user's scope."""
    if not all_changeable(user, queryset):
        raise PermissionDenied("담당 범위 밖의 항목이 포함되어 있어 처리할 수 없습니다.")


def refusal_message(obj: Model) -> str:
    scope = _scope(type(obj))
    if scope and scope[0] == "center":
        return "다른 센터의 기술지원 신청은 수정할 수 없습니다. 담당 센터의 신청만 관리할 수 있습니다."
    return "다른 부처 소관 사업의 자료는 수정할 수 없습니다. 담당 부처 사업만 수정할 수 있습니다."


def import_scope_problems(user, model, changes) -> list[tuple[int, str, object, str]]:
    """Rows of an import that would create or change something outside the user's scope.

    `changes` are the pipeline's new and updated rows (their `row.values` hold attnames). The whole
    file is refused when any row is listed; a command run without a user is not scoped.
    """
    if user is None or not getattr(user, "is_authenticated", False) or is_system_admin(user):
        return []
    scope = _scope(model)
    if scope is None:
        return []
    kind, path = scope
    if kind == "ministry":
        owner = assigned_ministry_id(user)
        if path == "ministry_id":
            owner_of = lambda values: values.get("ministry_id")  # noqa: E731
        else:  # program__ministry_id
            from programs.models import Program

            ministries = dict(Program.objects.values_list("pk", "ministry_id"))
            owner_of = lambda values: ministries.get(values.get("program_id"))  # noqa: E731
        column, message = "사업", "담당 부처 소관이 아닌 사업의 자료는 가져올 수 없습니다."
    else:
        owner = assigned_center_id(user)
        owner_of = lambda values: values.get("center_id")  # noqa: E731
        column, message = "센터", "담당 센터가 아닌 센터의 기술지원 신청은 가져올 수 없습니다."
    problems = []
    for change in changes:
        values = {**change.before, **change.row.values}
        if owner is None or owner_of(values) != owner:
            problems.append((change.row.row_number, column, change.label, message))
    return problems
