"""Writes of the companies app: application status changes (the only state machine here).

Company and application rows are written by the admin forms (which call the validators) and by the
import pipeline (programs.importing, kinds in companies/resources.py); both refuse what the
database would refuse.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from companies.choices import APPLICATION_TRANSITIONS, ApplicationStatus
from companies.models import Application

DECISION_STATUSES = {ApplicationStatus.SELECTED, ApplicationStatus.REJECTED}


def application_transition_error(current: str, new: str) -> str | None:
    """Korean reason why `current` → `new` is refused, or None when it is allowed."""
    if current == new:
        return None
    if new in APPLICATION_TRANSITIONS[ApplicationStatus(current)]:
        return None
    allowed = ", ".join(ApplicationStatus(s).label for s in APPLICATION_TRANSITIONS[current]) or "없음"
    return (
        f"'{ApplicationStatus(current).label}'에서 '{ApplicationStatus(new).label}'(으)로 바꿀 수 없습니다"
        f"(가능한 다음 상태: {allowed})."
    )


def application_status_reachable(current: str, new: str) -> bool:
    """Whether `new` can be reached from `current` through allowed transitions (imports of results)."""
    seen, frontier = {current}, [current]
    while frontier:
        for following in APPLICATION_TRANSITIONS[ApplicationStatus(frontier.pop())]:
            if following == new:
                return True
            if following not in seen:
                seen.add(following)
                frontier.append(following)
    return False


def application_set_status(*, application: Application, status: str, user=None) -> Application:
    """Move one application to `status`; refuses transitions the plan's process does not allow."""
    error = application_transition_error(application.status, status)
    if error:
        raise ValidationError({"status": error})
    if status == application.status:
        return application
    application.status = status
    fields = ["status", "updated_at"]
    if status in DECISION_STATUSES and application.decided_on is None:
        application.decided_on = timezone.localdate()
        fields.append("decided_on")
    application.save(update_fields=fields)
    return application


def application_bulk_set_status(*, applications, status: str, user=None) -> tuple[int, list[tuple]]:
    """Apply `status` where allowed; return (changed count, [(application, reason)] refused)."""
    changed, refused = 0, []
    with transaction.atomic():
        for application in applications.select_for_update().select_related("company", "program"):
            error = application_transition_error(application.status, status)
            if error:
                refused.append((application, error))
            elif application.status != status:
                application_set_status(application=application, status=status, user=user)
                changed += 1
    return changed, refused
