"""Writes of the support-institutions app: 기술지원 신청 and its status changes.

Admin actions, forms and imports call these, so a rule (types a center offers, date order,
allowed status changes) is written once, in the model's clean() and validators.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from centers.choices import ServiceRequestStatus
from centers.models import ServiceRequest, ServiceType, SupportCenter
from centers.validators import validate_service_request_transition
from companies.models import Company


@transaction.atomic
def service_request_create(
    *,
    center: SupportCenter,
    company: Company,
    service_type: ServiceType,
    requested_on: datetime.date,
    memo: str = "",
) -> ServiceRequest:
    """접수: a new request, refused when the center does not offer the service type."""
    service_request = ServiceRequest(
        center=center,
        company=company,
        service_type=service_type,
        requested_on=requested_on,
        memo=memo,
        status=ServiceRequestStatus.RECEIVED,
    )
    service_request.full_clean()
    service_request.save()
    return service_request


@transaction.atomic
def service_request_set_status(
    *,
    service_request: ServiceRequest,
    status: str,
    completed_on: datetime.date | None = None,
) -> ServiceRequest:
    """Move a request along 접수 → 진행 → 완료 (or 반려); 완료 records the 완료일 (today by default)."""
    validate_service_request_transition(service_request.status, status)
    if status == ServiceRequestStatus.COMPLETED:
        service_request.completed_on = completed_on or timezone.localdate()
    service_request.status = status
    service_request.full_clean()
    service_request.save(update_fields=["status", "completed_on", "updated_at"])
    return service_request
