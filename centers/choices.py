"""Choice sets of the support-institutions app (센터, 특화단지, 인력양성기관)."""

from django.db import models


class CenterKind(models.TextChoices):
    REGIONAL = "regional", "지역뿌리기술지원센터"
    DX = "dx", "제조공정혁신 DX지원센터"
    SIMULATION = "simulation", "공정혁신 시뮬레이션센터"
    DEMO_PLATFORM = "demo_platform", "실증 플랫폼"
    JOINT_TRAINING = "joint_training", "공동훈련센터"
    OTHER = "other", "기타"


class CenterStatus(models.TextChoices):
    BUILDING = "building", "구축중"
    OPERATING = "operating", "운영중"


class ServiceRequestStatus(models.TextChoices):
    RECEIVED = "received", "접수"
    IN_PROGRESS = "in_progress", "진행"
    COMPLETED = "completed", "완료"
    REJECTED = "rejected", "반려"


# Allowed status changes of a 기술지원 신청: 접수 → 진행 → 완료, 반려 from 접수 or 진행.
# A request is completed only through 진행, i.e. after it was received and taken on.
SERVICE_REQUEST_TRANSITIONS = {
    ServiceRequestStatus.RECEIVED: {ServiceRequestStatus.IN_PROGRESS, ServiceRequestStatus.REJECTED},
    ServiceRequestStatus.IN_PROGRESS: {ServiceRequestStatus.COMPLETED, ServiceRequestStatus.REJECTED},
    ServiceRequestStatus.COMPLETED: set(),
    ServiceRequestStatus.REJECTED: set(),
}


class CommitteeUnit(models.TextChoices):
    """특화단지 운영위원회 운영단위: 광역지자체 단위 (until 2024) → 권역 단위 (from 2025)."""

    PROVINCE = "province", "광역지자체 단위"
    REGION = "region", "권역 단위"


class InstitutionKind(models.TextChoices):
    FOREIGN_UNIVERSITY = "foreign_university", "외국인 기술인력 양성대학"
    RND_UNIVERSITY = "rnd_university", "뿌리산업 전문인력 양성대학(석박사)"
    POLYTECH = "polytech", "폴리텍 캠퍼스/교육센터"
    MEISTER = "meister", "마이스터대"
    SPECIALIST = "specialist", "전문인력 양성기관"
    JOINT_TRAINING = "joint_training", "공동훈련센터"


class InstitutionStatus(models.TextChoices):
    DESIGNATED = "designated", "지정"
    OPERATING = "operating", "운영"
    REVOKED = "revoked", "지정취소"


class CourseType(models.TextChoices):
    DEGREE = "degree", "학위"
    NON_DEGREE = "non_degree", "비학위"


class FigureSubject(models.TextChoices):
    """Whom a target of the plan counts: the plan gives counts where it does not name institutions."""

    FOREIGN_UNIVERSITY = "foreign_university", "외국인 기술인력 양성대학"
    RND_UNIVERSITY = "rnd_university", "뿌리산업 전문인력 양성대학(석박사)"
    POLYTECH = "polytech", "한국폴리텍대학"
    MEISTER = "meister", "마이스터대"


class FigureIndicator(models.TextChoices):
    NEW_DESIGNATIONS = "new_designations", "신규 지정"
    DEGREE_COURSES = "degree_courses", "학위과정 수"
    NON_DEGREE_COURSES = "non_degree_courses", "비학위과정 수"
    TRAINEES = "trainees", "양성 인원"
