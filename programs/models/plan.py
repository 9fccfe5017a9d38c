"""The plan's hierarchy: ministries, 추진분야 (areas), 추진과제 (tasks) and 사업 (programs).

Areas and tasks belong to one plan year (`PlanYear`); a program keeps its identity across years
and is placed in each year's plan by a `ProgramPlacement` (its task, its row in the budget table).
Ask for a year's programs with `Program.objects.in_year(year)`: each program then carries
`program.placement` (with its task and area) for that year. What the plan says of a program in a
year (its task, budget table row, 추진일정 표 row, whether it states the ministry) is the placement's,
and so is everything shown from it (`Program.ministry_label` reads the attached placement).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, FilteredRelation, Q

from programs import registry
from programs.audit import audit_trail
from programs.models.years import PlanYear
from programs.versioning import Versioned, VersionedQuerySet

# Shown beside a ministry the plan does not state (the lead ministry was assumed).
MINISTRY_INFERRED_MARK = "(추정)"


def ministry_text(ministry: "Ministry", stated: bool | None, *, full: bool = False) -> str:
    """A program's ministry as shown: the short name (the full one if `full`), with (추정) where the
    year's plan does not state it (`ProgramPlacement.ministry_stated` False). `stated` None: the
    program has no placement that year, so nothing to mark."""
    name = ministry.name if full else (ministry.short_name or ministry.name)
    return f"{name} {MINISTRY_INFERRED_MARK}" if stated is False else name


class PlacementNotLoaded(LookupError):
    """A year-dependent value of a program read without the year's placement (`in_year()`)."""


class Ministry(models.Model):
    code = models.SlugField("코드", max_length=20, unique=True)
    name = models.CharField("기관명", max_length=50, unique=True)
    short_name = models.CharField("약칭", max_length=20, blank=True)
    order = models.PositiveSmallIntegerField("정렬 순서", default=0)

    class Meta:
        verbose_name = "소관부처"
        verbose_name_plural = "소관부처"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PolicyArea(models.Model):
    """A 추진분야. The plan names areas in two ways; both are kept, and every screen shows one (`label`)."""

    plan_year = models.ForeignKey(
        "programs.PlanYear", on_delete=models.PROTECT, related_name="areas", verbose_name="실행계획 연도"
    )
    number = models.PositiveSmallIntegerField("번호")
    name = models.CharField(
        "추진분야명(III장 표)",
        max_length=100,
        help_text="III장 「2025년도 정책 추진 방향」 표의 추진 분야 이름(예: 생태계 강화 기반 조성)",
    )
    budget_label = models.CharField(
        "추진분야명(IV장 제목·V장 표)",
        max_length=100,
        help_text=(
            "IV장 제목과 V장 지원예산·추진일정 표의 구분 열에 적힌 이름(예: 뿌리산업 생태계 강화). "
            "화면과 보고서는 모두 이 이름을 씁니다."
        ),
    )

    history = audit_trail("추진분야")

    class Meta:
        verbose_name = "추진분야"
        verbose_name_plural = "추진분야"
        ordering = ["-plan_year_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "number"],
                name="policyarea_unique_number_in_year",
                violation_error_message="이 실행계획 연도에는 같은 번호의 추진분야가 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="policyarea_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        """The one name shown everywhere: the one of the tables the committee lays beside (V장)."""
        return self.budget_label


class TaskManager(models.Manager):
    def get_queryset(self):
        # A task's name shows its code (1-1), which needs its area: always fetch them together.
        return super().get_queryset().select_related("area")


class Task(models.Model):
    area = models.ForeignKey(PolicyArea, on_delete=models.PROTECT, related_name="tasks", verbose_name="추진분야")
    number = models.PositiveSmallIntegerField("번호")
    name = models.CharField(
        "추진과제명(III장 표)",
        max_length=100,
        help_text="III장 「2025년도 정책 추진 방향」 표의 추진 과제 이름. 화면과 보고서는 모두 이 이름을 씁니다.",
    )
    heading = models.CharField(
        "IV장 제목",
        max_length=100,
        blank=True,
        help_text="IV장 세부 추진과제의 소제목(예: 수요 맞춤형 인력 수급 및 양성체계 구축). 제목이 없으면 비움",
    )

    history = audit_trail("추진과제")
    objects = TaskManager()

    class Meta:
        verbose_name = "추진과제"
        verbose_name_plural = "추진과제"
        ordering = ["-area__plan_year_id", "area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "number"],
                name="task_unique_number_in_area",
                violation_error_message="이 추진분야에는 같은 번호의 추진과제가 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def plan_year_id(self) -> int:
        return self.area.plan_year_id

    @property
    def code(self) -> str:
        return f"{self.area.number}-{self.number}"


class ProgramQuerySet(VersionedQuerySet):
    def in_year(self, year: int):
        """The programs placed in `year`'s plan, each with `placement` (its task and area that year)."""
        return (
            self.annotate(placement=FilteredRelation("placements", condition=Q(placements__plan_year=year)))
            .filter(placement__isnull=False)
            .select_related("placement__task__area")
        )

    def ordered_for_year(self, year: int):
        """Every program (of any year): those placed in `year` first, in plan order, then by name."""
        placement = ProgramPlacement.objects.filter(program=models.OuterRef("pk"), plan_year=year)
        return self.annotate(
            year_area=models.Subquery(placement.values("task__area__number")[:1]),
            year_order=models.Subquery(placement.values("budget_order")[:1]),
            year_task=models.Subquery(placement.values("task__number")[:1]),
        ).order_by(
            F("year_area").asc(nulls_last=True),
            F("year_order").asc(nulls_last=True),
            F("year_task").asc(nulls_last=True),
            "name",
        )

    def in_plan_order(self):
        """The budget table's order; only after `in_year()`."""
        return self.order_by(
            "placement__task__area__number",
            F("placement__budget_order").asc(nulls_last=True),
            "placement__task__number",
            "name",
        )

    def in_schedule_order(self):
        """The order of the year's V장 추진일정 표; programs it does not list come after, in budget
        order. Only after `in_year()`."""
        return self.order_by(
            F("placement__schedule_order").asc(nulls_last=True),
            "placement__task__area__number",
            F("placement__budget_order").asc(nulls_last=True),
            "name",
        )

    def ministry_inferred(self):
        """Programs whose ministry the year's plan does not state (shown with (추정)). Only after `in_year()`."""
        return self.filter(placement__ministry_stated=False)


class Program(Versioned):
    code = models.SlugField("사업 코드", max_length=30, unique=True, help_text="영문 소문자·숫자·하이픈, 예: polytech")
    name = models.CharField("사업명", max_length=100, unique=True)
    aliases = models.TextField(
        "다른 이름",
        blank=True,
        help_text=(
            "계획 문서의 다른 표기(추진일정 표 등). 한 줄에 하나씩 적습니다. 가져오기에서 사업을 찾을 때 씁니다."
        ),
    )
    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="programs", verbose_name="소관부처")
    executing_agency = models.CharField("수행기관", max_length=50, blank=True)
    start_year = models.PositiveSmallIntegerField("사업 시작연도", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("사업 종료연도", null=True, blank=True, help_text="비워 두면 계속사업")
    description = models.TextField("사업 내용", blank=True)
    stated_amount_eok = models.DecimalField(
        "본문 표기 예산(억원)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="IV장 본문에 억원 단위로 적힌 '25년 예산(정합성 점검용)",
    )

    objects = ProgramQuerySet.as_manager()
    history = audit_trail("사업")

    class Meta:
        verbose_name = "사업"
        verbose_name_plural = "사업"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="program_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def period_label(self) -> str:
        """The plan's way of writing a period: '25~'30, '19~ (계속)."""
        if self.start_year is None:
            return ""
        start = f"'{self.start_year % 100:02d}"
        if self.end_year is None:
            return f"{start}~ (계속)"
        return f"{start}~'{self.end_year % 100:02d}"

    @property
    def year_placement(self) -> "ProgramPlacement":
        """The placement of the year this program was fetched for (`Program.objects.in_year(year)`)."""
        try:
            return self.placement
        except AttributeError:
            raise PlacementNotLoaded(
                f"사업 「{self.name}」의 연도별 편성이 없습니다: Program.objects.in_year(연도)로 읽으세요."
            ) from None

    @property
    def ministry_label(self) -> str:
        """The ministry's short name as shown in lists, with (추정) where the year's plan does not state it.
        Only on a program of `Program.objects.in_year(year)`; other rows use `ministry_text()`."""
        return ministry_text(self.ministry, self.year_placement.ministry_stated)

    @property
    def ministry_full_label(self) -> str:
        return ministry_text(self.ministry, self.year_placement.ministry_stated, full=True)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class ProgramPlacement(Versioned):
    """연도별 사업 편성: where a program stands in one year's plan.

    The task must belong to the same plan year. The database cannot compare columns of two tables
    in a CHECK, and a composite foreign key (task, plan_year) is not expressible in Django's
    models: `clean()` refuses a mismatch, and every write path (admin forms, services, load_plan)
    calls it.

    Rows that carry this program and year (`YearAgreement`) need the placement: the database
    refuses to delete it, or to change its program or plan year, while any exist (triggers of each
    app's hand-written migration 0002, programs/year_triggers.py), and `clean()` and the admin's
    delete page say so first (`placement_dependents`).
    """

    plan_year = models.ForeignKey(
        "programs.PlanYear", on_delete=models.PROTECT, related_name="placements", verbose_name="실행계획 연도"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="placements", verbose_name="사업")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="placements", verbose_name="추진과제")
    has_budget_line = models.BooleanField(
        "지원예산 표 포함", default=False, help_text="실행계획 V장 지원예산 표에 예산이 있는 사업"
    )
    budget_order = models.PositiveSmallIntegerField(
        "예산표 순서", null=True, blank=True, help_text="지원예산 표의 행 순서"
    )
    ended = models.BooleanField(
        "올해 종료", default=False, help_text="이 연도를 끝으로 종료하는 사업(다음 연도 계획에 복사하지 않음)"
    )
    ministry_stated = models.BooleanField(
        "소관부처 명시",
        default=True,
        help_text=(
            "계획 문서가 이 사업의 소관부처를 적었으면 예. 적지 않아 주관부처(산업통상자원부)로 추정했으면 "
            "아니오: 화면·내보내기·보고서에 소관부처 옆 '(추정)'으로 표시합니다."
        ),
    )
    schedule_order = models.PositiveSmallIntegerField(
        "추진일정 표 순서",
        null=True,
        blank=True,
        help_text="V장 추진일정 표에서 이 사업이 나오는 순서(표에 없는 사업은 비움)",
    )

    history = audit_trail("연도별 사업 편성")

    class Meta:
        verbose_name = "연도별 사업 편성"
        verbose_name_plural = "연도별 사업 편성"
        ordering = ["-plan_year_id", "task__area__number", F("budget_order").asc(nulls_last=True), "task__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "program"],
                name="placement_unique_program_in_year",
                violation_error_message="이 사업은 그 실행계획 연도에 이미 편성되어 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["plan_year", "budget_order"],
                name="placement_unique_order_in_year",
                violation_error_message="이 실행계획 연도의 예산표 순서는 이미 다른 사업이 쓰고 있습니다.",
            ),
            models.UniqueConstraint(
                fields=["plan_year", "schedule_order"],
                name="placement_unique_schedule_order_in_year",
                violation_error_message="이 실행계획 연도의 추진일정 표 순서는 이미 다른 사업이 쓰고 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(has_budget_line=False) | Q(budget_order__isnull=False),
                name="placement_budget_line_has_order",
            ),
        ]

    def __str__(self):
        return f"{self.plan_year_id}년 {self.program}"

    @property
    def ministry_label(self) -> str:
        """The program's ministry (short name) with (추정) where this year's plan does not state it."""
        return ministry_text(self.program.ministry, self.ministry_stated)

    @property
    def ministry_full_label(self) -> str:
        return ministry_text(self.program.ministry, self.ministry_stated, full=True)

    def clean(self):
        if self.task_id and self.plan_year_id and self.task.area.plan_year_id != self.plan_year_id:
            task_year = self.task.area.plan_year_id
            message = f"추진과제는 {self.plan_year_id}년 계획의 과제여야 합니다({task_year}년 과제)."
            raise ValidationError({"task": message})
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("program_id", "plan_year_id").first()
            moved = stored is not None and stored != (self.program_id, self.plan_year_id)
            if moved and (problem := placement_dependents_problem(*stored)):
                raise ValidationError(problem)
        self.clean_taken()

    def clean_taken(self):
        """The year's program, 예산표 순서 and 추진일정 표 순서 are one placement's each: a clash is
        refused naming the placement that has it (the constraints' messages cannot name it)."""
        if not self.plan_year_id:
            return
        others = type(self)._base_manager.filter(plan_year_id=self.plan_year_id).exclude(pk=self.pk)
        errors = {}
        if self.program_id and others.filter(program_id=self.program_id).exists():
            errors["plan_year"] = f"이 사업은 {self.plan_year_id}년 실행계획에 이미 편성되어 있습니다."
        for name, label in (("budget_order", "예산표 순서"), ("schedule_order", "추진일정 표 순서")):
            value = getattr(self, name)
            taken = value is not None and others.filter(**{name: value}).select_related("program").first()
            if taken:
                other = taken.program.name
                errors[name] = f"{self.plan_year_id}년 {label} {value}번은 이미 다른 사업(「{other}」)이 쓰고 있습니다."
        if errors:
            raise ValidationError(errors)


class YearAgreement:
    """The one rule tying a row that carries a program and a year to that year's plan.

    Budgets, milestones, 실적, targets and applications carry a year: when the system holds a plan
    year (`PlanYear`) for it, the program must be placed in that year's plan (`ProgramPlacement`).
    A year without a plan year is not checked: the 2024 budgets and 실적 the 2025 plan cites come
    from the year before the first plan year. Budget execution is stricter (`execution_years`:
    placed and not 종료, and only plan years).

    Every model's `clean()` asks `year_problem()` and every import asks a preloaded
    `YearAgreement.load()` once per file, so that forms and files are refused in these words. The
    database holds the rule too, for every other write (`objects.create`, bulk writes, races): a
    CHECK cannot read other tables, so triggers do (programs/year_triggers.py, created by each
    app's migration 0002 for the models registered in `registry.year_bound`): rows are refused
    without their placement, and placements cannot go while such rows need them. For execution
    the database holds "placed in a plan year"; 종료 stays with clean() and the import.
    Creating a plan year is not checked against rows already stored for that year.
    """

    def __init__(self, plan_years: set[int], placed_years: dict[int, list[int]]):
        self.plan_years = plan_years
        self.placed_years = placed_years

    @classmethod
    def load(cls, program_ids=None) -> "YearAgreement":
        placements = ProgramPlacement.objects.all()
        if program_ids is not None:
            placements = placements.filter(program_id__in=program_ids)
        placed_years: dict[int, list[int]] = {}
        for program_id, year in placements.order_by("plan_year_id").values_list("program_id", "plan_year_id"):
            placed_years.setdefault(program_id, []).append(year)
        return cls(set(PlanYear.objects.values_list("year", flat=True)), placed_years)

    def problem(self, program_id: int, year: int) -> str | None:
        """The Korean refusal when `program_id` is not placed in `year`'s plan, else None."""
        placed = self.placed_years.get(program_id, [])
        if year not in self.plan_years or year in placed:
            return None
        listed = ", ".join(str(y) for y in placed) or "없음"
        return f"이 사업은 {year}년 실행계획에 편성되어 있지 않습니다(편성 연도: {listed})."


def placement_dependents(program_id: int, year: int) -> list[tuple[type[models.Model], int]]:
    """(model, count) of the rows that need `program_id`'s placement in `year` (`YearAgreement`)."""
    found = []
    for model in registry.year_bound:
        count = model._default_manager.filter(program_id=program_id, year=year).count()
        if count:
            found.append((model, count))
    return found


def placement_dependents_problem(program_id: int, year: int) -> str | None:
    """The Korean refusal to delete (or move) the placement of `program_id` in `year`, else None."""
    found = placement_dependents(program_id, year)
    if not found:
        return None
    listed = ", ".join(f"{model._meta.verbose_name} {count:,}건" for model, count in found)
    name = Program.objects.filter(pk=program_id).values_list("name", flat=True).first()
    return (
        f"{year}년 「{name}」에 딸린 자료({listed})가 있어 연도별 사업 편성을 지우거나 사업·연도를 바꿀 수 "
        "없습니다. 그 자료를 먼저 옮기거나 지우세요."
    )


def year_problem(program_id: int | None, year: int | None) -> str | None:
    """`YearAgreement` for one row (a model's clean()); None when program or year is missing."""
    if program_id is None or year is None:
        return None
    return YearAgreement.load(program_ids=[program_id]).problem(program_id, year)
