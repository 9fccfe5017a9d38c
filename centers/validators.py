"""Validation rules shared by models, services and imports, written once with Korean messages."""

import datetime

from django.core.exceptions import ValidationError

from centers.choices import SERVICE_REQUEST_TRANSITIONS, ServiceRequestStatus

MIN_PLAUSIBLE_YEAR = 1990
MAX_PLAUSIBLE_YEAR = 2100


def validate_plausible_year(value: int | None) -> None:
    if value is not None and not MIN_PLAUSIBLE_YEAR <= value <= MAX_PLAUSIBLE_YEAR:
        raise ValidationError(f"연도는 {MIN_PLAUSIBLE_YEAR}~{MAX_PLAUSIBLE_YEAR} 사이여야 합니다.", code="year_range")


def validate_service_request_transition(old_status: str, new_status: str) -> None:
    """Refuse a status change that the 기술지원 신청 workflow does not allow."""
    if old_status == new_status:
        return
    allowed = SERVICE_REQUEST_TRANSITIONS[ServiceRequestStatus(old_status)]
    if new_status not in allowed:
        old_label = ServiceRequestStatus(old_status).label
        new_label = ServiceRequestStatus(new_status).label
        allowed_labels = ", ".join(sorted(status.label for status in allowed)) or "없음"
        message = f"'{old_label}' 상태에서 '{new_label}'(으)로 바꿀 수 없습니다(가능: {allowed_labels})."
        raise ValidationError({"status": message}, code="invalid_transition")


def validate_service_request_dates(
    status: str, requested_on: datetime.date | None, completed_on: datetime.date | None
) -> None:
    """완료 needs a 완료일, only 완료 has one, and it cannot come before the 신청일."""
    errors = {}
    if status == ServiceRequestStatus.COMPLETED and completed_on is None:
        errors["completed_on"] = "완료 처리하려면 완료일을 입력해야 합니다."
    elif completed_on is not None and status != ServiceRequestStatus.COMPLETED:
        errors["completed_on"] = "완료일은 '완료' 상태에서만 입력할 수 있습니다."
    elif completed_on and requested_on and completed_on < requested_on:
        errors["completed_on"] = "완료일은 신청일보다 앞설 수 없습니다."
    if errors:
        raise ValidationError(errors, code="dates")


def service_type_not_offered_message(center, service_type) -> str:
    return f"'{center}'은(는) '{service_type}' 서비스를 제공하지 않습니다."
