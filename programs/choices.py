"""Choice sets of the plan app."""

from django.db import models


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "예정"
    IN_PROGRESS = "in_progress", "진행"
    DONE = "done", "완료"
    DELAYED = "delayed", "지연"


class Month(models.IntegerChoices):
    JAN = 1, "1월"
    FEB = 2, "2월"
    MAR = 3, "3월"
    APR = 4, "4월"
    MAY = 5, "5월"
    JUN = 6, "6월"
    JUL = 7, "7월"
    AUG = 8, "8월"
    SEP = 9, "9월"
    OCT = 10, "10월"
    NOV = 11, "11월"
    DEC = 12, "12월"


class ImportKind(models.TextChoices):
    COMPANIES = "companies", "뿌리기업"
    APPLICATIONS = "applications", "사업 신청"
    EXECUTIONS = "executions", "예산 집행"
    BUDGET_TABLE = "budget_table", "지원예산 표"
    CENTERS = "centers", "지원센터"
    SERVICE_REQUESTS = "service_requests", "기술지원 신청"
    INSTITUTIONS = "institutions", "인력양성기관"
    COURSES = "courses", "교육과정"
    OUTCOMES = "outcomes", "연도별 양성 실적"


class ImportRowAction(models.TextChoices):
    NEW = "new", "신규"
    UPDATED = "updated", "변경"
    UNCHANGED = "unchanged", "변경 없음"


class ImportSource(models.TextChoices):
    ADMIN = "admin", "관리 화면"
    COMMAND = "command", "명령줄"
