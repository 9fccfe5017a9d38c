"""기술지원 신청: a company's request for one service of one center."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from centers.choices import ServiceRequestStatus
from centers.validators import (
    service_type_not_offered_message,
    validate_service_request_dates,
    validate_service_request_transition,
)
from programs.audit import audit_trail
from programs.versioning import Versioned


class ServiceRequest(Versioned):
    center = models.ForeignKey(
        "centers.SupportCenter",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name="센터",
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="center_service_requests",
        verbose_name="뿌리기업",
    )
    service_type = models.ForeignKey(
        "centers.ServiceType",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name="서비스 유형",
    )
    requested_on = models.DateField("신청일")
    completed_on = models.DateField("완료일", null=True, blank=True)
    status = models.CharField(
        "상태",
        max_length=20,
        choices=ServiceRequestStatus.choices,
        default=ServiceRequestStatus.RECEIVED,
    )
    memo = models.TextField("메모", blank=True)
    created_at = models.DateTimeField("등록 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    history = audit_trail("기술지원 신청")

    class Meta:
        verbose_name = "기술지원 신청"
        verbose_name_plural = "기술지원 신청"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "company", "service_type", "requested_on"],
                name="servicerequest_unique_natural_key",
                violation_error_message="같은 센터·기업·서비스 유형·신청일의 기술지원 신청이 이미 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ServiceRequestStatus.values), name="servicerequest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("requested_on")),
                name="servicerequest_completed_after_requested",
            ),
            models.CheckConstraint(
                condition=~Q(status=ServiceRequestStatus.COMPLETED) | Q(completed_on__isnull=False),
                name="servicerequest_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status=ServiceRequestStatus.COMPLETED),
                name="servicerequest_date_only_when_completed",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"], name="servicerequest_center_idx")]

    def __str__(self):
        return f"{self.company} — {self.center} {self.service_type} ({self.requested_on})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored status, so clean() can check the status change (not only the end state).
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def stored_status(self) -> str | None:
        return getattr(self, "_stored_status", None)

    def clean(self):
        validate_service_request_dates(self.status, self.requested_on, self.completed_on)
        if self.center_id and self.service_type_id and not self._center_offers_service_type():
            raise ValidationError({"service_type": service_type_not_offered_message(self.center, self.service_type)})
        if self.stored_status is not None:
            validate_service_request_transition(self.stored_status, self.status)

    def _center_offers_service_type(self) -> bool:
        return self.center.service_types.filter(pk=self.service_type_id).exists()
