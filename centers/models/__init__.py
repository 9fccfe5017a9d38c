"""Models of the support institutions: centers and their services, 특화단지, training institutions."""

from .assignments import CenterAssignment
from .centers import CenterEquipment, ServiceType, SupportCenter
from .complexes import CommitteeDirection, CommitteeMeeting, OperatingCommittee, SpecializedComplex
from .figures import PlanTarget
from .requests import ServiceRequest
from .training import TrainingCourse, TrainingInstitution, TrainingOutcome

__all__ = [
    "CenterAssignment",
    "CenterEquipment",
    "CommitteeDirection",
    "CommitteeMeeting",
    "OperatingCommittee",
    "PlanTarget",
    "ServiceRequest",
    "ServiceType",
    "SpecializedComplex",
    "SupportCenter",
    "TrainingCourse",
    "TrainingInstitution",
    "TrainingOutcome",
]
