"""Who may change what. The admin, the staff pages, the exports and the imports all ask here.

Roles are Django groups (created by `manage.py setup_roles`):
- 시스템 관리자: everything;
- 부처 담당자: changes only the programs, budgets, executions, milestones and applications of the
  ministry in their StaffAssignment; sees everything else read-only;
- 위원: read-only everywhere, may download the committee report and filtered exports;
- 센터 담당자: manages only the service requests of their 담당 센터 (the centers app's owner).
Model permissions (from the groups) say what kind of object a user may change; the scope rules
below say which ones. Each app registers its scoped models (`register_scope`) in AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

SYSTEM_ADMIN = "시스템 관리자"
MINISTRY_OFFICER = "부처 담당자"
COMMITTEE_MEMBER = "위원"
CENTER_OFFICER = "센터 담당자"


@dataclass(frozen=True)
class Owner:
    """Who owns scoped rows: a ministry (the core's) or what an app registers (the centers app: a center)."""

    name: str
    assigned_id: Callable  # (user) -> id of the owner the user works for, or None
    user_relation: str  # from the user to the assigned owner, for list pages (select_related)
    refusal: str  # shown when a form or action is refused
    import_column: str  # column named by an import refusal
    import_refusal: str


@dataclass(frozen=True)
class Scope:
    owner: Owner
    path: str  # from the scoped model to its owner's id, e.g. "program__ministry_id"


_scopes: dict[type[Model], Scope] = {}
_owners: dict[str, Owner] = {}


def register_scope(model: type[Model], *, owner: Owner, path: str) -> None:
    """Rows of `model` may be changed only by staff assigned to their owner (system admins aside)."""
    _owners.setdefault(owner.name, owner)
    _scopes[model] = Scope(owner, path)


def owners() -> list[Owner]:
    return list(_owners.values())


def _groups(user) -> set[str]:
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def is_system_admin(user) -> bool:
    return user.is_active and (user.is_superuser or SYSTEM_ADMIN in _groups(user))


def assignment_reader(model_label: str, attname: str) -> Callable:
    """(user) -> the owner id in the user's one-to-one assignment row (`model_label`), cached on the user."""
    cache = f"_assigned_{model_label.replace('.', '_')}_{attname}"

    def assigned_id(user) -> int | None:
        if not hasattr(user, cache):
            assignments = apps.get_model(model_label).objects.filter(user_id=user.pk)
            setattr(user, cache, assignments.values_list(attname, flat=True).first())
        return getattr(user, cache)

    return assigned_id


assigned_ministry_id = assignment_reader("programs.StaffAssignment", "ministry_id")

MINISTRY = Owner(
    name="ministry",
    assigned_id=assigned_ministry_id,
    user_relation="staff_assignment__ministry",
    refusal="다른 부처 소관 사업의 자료는 수정할 수 없습니다. 담당 부처 사업만 수정할 수 있습니다.",
    import_column="사업",
    import_refusal="담당 부처 소관이 아닌 사업의 자료는 가져올 수 없습니다.",
)


def _scope(model) -> Scope | None:
    return _scopes.get(model._meta.concrete_model)


def changeable_filter(user, model) -> Q:
    """The rows of `model` the user may change, as a filter (model permissions aside)."""
    scope = _scope(model)
    if scope is None or is_system_admin(user):
        return Q()
    owner = scope.owner.assigned_id(user)
    if owner is None:
        return Q(pk__in=[])
    return Q(**{scope.path: owner})


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
    owner = scope.owner.assigned_id(user)
    return owner is not None and _owner_id(obj, scope.path) == owner


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
    return (scope.owner if scope else MINISTRY).refusal


def import_scope_checker(user, model) -> Callable[[list], list[tuple[int, str, object, str]]] | None:
    """What refuses the rows of an import that would create or change something outside the
    user's scope: a function of the pipeline's new and updated rows (their `row.values` hold
    attnames) giving (row number, column, value, reason) each; None when nothing is scoped (a
    command run without a user, a 시스템 관리자, a model without a scope). The whole file is
    refused when any row is listed."""
    if user is None or not getattr(user, "is_authenticated", False) or is_system_admin(user):
        return None
    scope = _scope(model)
    if scope is None:
        return None
    owner, owner_of = scope.owner.assigned_id(user), _owner_lookup(model, scope.path)

    def problems(changes) -> list[tuple[int, str, object, str]]:
        refused = []
        for change in changes:
            values = {**change.before, **change.row.values}
            if owner is None or owner_of(values) != owner:
                refused.append(
                    (change.row.row_number, scope.owner.import_column, change.label, scope.owner.import_refusal)
                )
        return refused

    return problems


def _owner_lookup(model, path: str) -> Callable[[dict], object]:
    """Owner id of an import row's values (attnames): direct, or through one foreign key."""
    head, _, rest = path.partition("__")
    if not rest:
        return lambda values: values.get(head)
    field = model._meta.get_field(head)
    owner_by_pk = dict(field.related_model._base_manager.values_list("pk", rest))
    return lambda values: owner_by_pk.get(values.get(field.attname))
