"""Models of the plan: 추진분야 → 추진과제 → 사업, budgets, execution, schedule, achievements."""

from .access import StaffAssignment
from .achievements import Achievement, FocusTechnology
from .budget import BudgetExecution, ProgramBudget
from .imports import ImportBatch, ImportBatchRow, PendingUpload
from .jobs import BackgroundJob
from .measures import Measure, ProgramTerm, TermKind
from .plan import Ministry, PolicyArea, Program, Task
from .reports import ReportSnapshot
from .schedule import Milestone

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
    "ProgramTerm",
    "ReportSnapshot",
    "StaffAssignment",
    "Task",
    "TermKind",
]
