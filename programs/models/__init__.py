"""Models of the plan: 추진분야 → 추진과제 → 사업, budgets, execution, schedule, achievements."""

from .access import StaffAssignment
from .achievements import Achievement, FocusTechnology
from .budget import BudgetExecution, ProgramBudget
from .imports import ImportBatch, ImportBatchRow, PendingUpload
from .jobs import BackgroundJob
from .measures import Measure, ProgramTerm, TermKind
from .plan import Ministry, PolicyArea, Program, ProgramPlacement, Task
from .reports import ReportSnapshot
from .schedule import Milestone
from .years import PlanYear, PlanYearStatus

__all__ = [
    "Achievement",
    "BudgetExecution",
    "FocusTechnology",
    "ImportBatch",
    "BackgroundJob",
    "ImportBatchRow",
    "Measure",
    "Milestone",
    "Ministry",
    "PendingUpload",
    "PolicyArea",
    "Program",
    "ProgramBudget",
    "ProgramPlacement",
    "PlanYear",
    "PlanYearStatus",
    "ProgramTerm",
    "ReportSnapshot",
    "StaffAssignment",
    "Task",
    "TermKind",
]
