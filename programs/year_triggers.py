"""The year-agreement rule (`programs.models.plan.YearAgreement`) held by the database, as triggers.

A row that carries a program and a year (a budget, an execution, a milestone, 실적, a target, an
application) must, when the year is a plan year, have the program placed in that year's plan. A
CHECK cannot read other tables, so each such table gets two BEFORE triggers (INSERT, and UPDATE
that changes program or year), and `programs_programplacement` gets two per such table (DELETE,
and UPDATE that changes program or plan year) refusing to leave those rows without a placement.
Budget execution is stricter: its year must be a plan year the program is placed in. Whether
that year is 종료 (closed) is a workflow state that changes later and stays with `clean()` and
the import (`execution_years`): rows entered before closing stay valid.

Each app's hand-written migration (`0002_year_agreement_triggers`, depending on its
`0001_initial`, so it survives the regeneration of the initial migrations) creates the triggers of
its own tables with `create_statements`; programs' also creates the two PostgreSQL functions all
of them call (`FUNCTIONS`). `programs` names no other app's table: companies and centers pass
theirs.

Both databases answer IntegrityError (PostgreSQL: SQLSTATE 23514 / 23001; SQLite: a trigger's
RAISE(ABORT) is a constraint failure). PostgreSQL's message is `YearAgreement.problem`'s, with the
year and the years the program is placed in; SQLite's RAISE takes only a literal, so its message
names no year. Forms and imports refuse first with their own words (`clean()`, `YearAgreement`):
these are the last line, for `objects.create`, bulk writes and races.

Flush: SQLite's flush deletes table by table in an order that changes from process to process;
`config/sqlite3` empties tables guarded by a DELETE trigger last. PostgreSQL truncates, which
fires no row trigger.
"""

from django.db import migrations

PLACEMENT = "programs_programplacement"
PLAN_YEAR = "programs_planyear"

NOT_PLACED_SQLITE = "이 사업은 그 연도의 실행계획에 편성되어 있지 않습니다(연도별 사업 편성이 먼저 있어야 합니다)."
EXECUTION_SQLITE = "집행은 사업이 편성된 실행계획 연도에만 입력할 수 있습니다."


def placement_refusal_sqlite(label: str) -> str:
    return f"이 사업·연도의 {label} 자료가 있어 연도별 사업 편성을 지우거나 사업·연도를 바꿀 수 없습니다."


# PostgreSQL: one function for every table's rows (NEW.program_id, NEW.year; TG_ARGV[0] is
# 'plan_year' or 'plan_year_required'), one for the placement guards (TG_ARGV: table, label).
FUNCTIONS = [
    """
CREATE OR REPLACE FUNCTION programs_year_agreement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    placed text;
BEGIN
    IF NEW.program_id IS NULL OR NEW.year IS NULL THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM programs_programplacement
               WHERE program_id = NEW.program_id AND plan_year_id = NEW.year) THEN
        RETURN NEW;
    END IF;
    IF TG_ARGV[0] = 'plan_year' AND NOT EXISTS (SELECT 1 FROM programs_planyear WHERE year = NEW.year) THEN
        RETURN NEW;
    END IF;
    SELECT string_agg(plan_year_id::text, ', ' ORDER BY plan_year_id) INTO placed
      FROM programs_programplacement WHERE program_id = NEW.program_id;
    IF TG_ARGV[0] = 'plan_year_required' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(
            '집행은 실행계획 연도(%s)에만 입력할 수 있습니다.', coalesce(placed || '년', '없음'));
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(
        '이 사업은 %s년 실행계획에 편성되어 있지 않습니다(편성 연도: %s).', NEW.year, coalesce(placed, '없음'));
END
$$
""",
    """
CREATE OR REPLACE FUNCTION programs_placement_dependents() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found boolean;
    program_name text;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE program_id = $1 AND year = $2)', TG_ARGV[0])
        INTO found USING OLD.program_id, OLD.plan_year_id;
    IF found THEN
        SELECT name INTO program_name FROM programs_program WHERE id = OLD.program_id;
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = format(
            '%s년 「%s」의 %s 자료가 있어 연도별 사업 편성을 지우거나 사업·연도를 바꿀 수 없습니다.',
            OLD.plan_year_id, program_name, TG_ARGV[1]);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
""",
]
DROP_FUNCTIONS = [
    "DROP FUNCTION IF EXISTS programs_year_agreement()",
    "DROP FUNCTION IF EXISTS programs_placement_dependents()",
]


def function_statements(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the shared functions: PostgreSQL only."""
    return (FUNCTIONS, DROP_FUNCTIONS) if vendor == "postgresql" else ([], [])


def _names(table: str) -> dict[str, str]:
    return {
        "insert": f"{table}_year_insert",
        "update": f"{table}_year_update",
        "placement_delete": f"{table}_placement_delete",
        "placement_update": f"{table}_placement_update",
    }


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_statements(vendor: str, table: str, label: str, *, plan_year_required: bool = False) -> list[str]:
    """The four triggers of `table` (columns program_id, year): its rows need a placement, and
    placements refuse to go while its rows need them. `label` names the rows in refusals (Korean)."""
    names = _names(table)
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"  # null-safe; SQLite's before 3.39
    changed = f"(OLD.program_id {differs} NEW.program_id OR OLD.year {differs} NEW.year)"
    placement_changed = f"(OLD.program_id {differs} NEW.program_id OR OLD.plan_year_id {differs} NEW.plan_year_id)"
    if vendor == "postgresql":
        mode = _quoted("plan_year_required" if plan_year_required else "plan_year")
        guard = f"programs_placement_dependents({_quoted(table)}, {_quoted(label)})"
        return [
            f"CREATE TRIGGER {names['insert']} BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION programs_year_agreement({mode})",
            f"CREATE TRIGGER {names['update']} BEFORE UPDATE OF program_id, year ON {table} "
            f"FOR EACH ROW WHEN {changed} EXECUTE FUNCTION programs_year_agreement({mode})",
            f"CREATE TRIGGER {names['placement_delete']} BEFORE DELETE ON {PLACEMENT} "
            f"FOR EACH ROW EXECUTE FUNCTION {guard}",
            f"CREATE TRIGGER {names['placement_update']} BEFORE UPDATE OF program_id, plan_year_id ON {PLACEMENT} "
            f"FOR EACH ROW WHEN {placement_changed} EXECUTE FUNCTION {guard}",
        ]
    if vendor != "sqlite":
        raise NotImplementedError(f"year-agreement triggers for {vendor}")
    placed = f"EXISTS (SELECT 1 FROM {PLACEMENT} WHERE program_id = NEW.program_id AND plan_year_id = NEW.year)"
    if plan_year_required:
        broken, message = f"NOT {placed}", EXECUTION_SQLITE
    else:
        plan_year = f"EXISTS (SELECT 1 FROM {PLAN_YEAR} WHERE year = NEW.year)"
        broken, message = f"NEW.program_id IS NOT NULL AND {plan_year} AND NOT {placed}", NOT_PLACED_SQLITE
    dependents = f"EXISTS (SELECT 1 FROM {table} WHERE program_id = OLD.program_id AND year = OLD.plan_year_id)"
    refuse = f"BEGIN SELECT RAISE(ABORT, {_quoted(message)}); END"
    refuse_placement = f"BEGIN SELECT RAISE(ABORT, {_quoted(placement_refusal_sqlite(label))}); END"
    return [
        f"CREATE TRIGGER {names['insert']} BEFORE INSERT ON {table} WHEN {broken} {refuse}",
        f"CREATE TRIGGER {names['update']} BEFORE UPDATE OF program_id, year ON {table} "
        f"WHEN {changed} AND {broken} {refuse}",
        f"CREATE TRIGGER {names['placement_delete']} BEFORE DELETE ON {PLACEMENT} WHEN {dependents} {refuse_placement}",
        f"CREATE TRIGGER {names['placement_update']} BEFORE UPDATE OF program_id, plan_year_id ON {PLACEMENT} "
        f"WHEN {placement_changed} AND {dependents} {refuse_placement}",
    ]


def drop_statements(vendor: str, table: str) -> list[str]:
    names = _names(table)
    on = {"insert": table, "update": table, "placement_delete": PLACEMENT, "placement_update": PLACEMENT}
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {names[key]} ON {on[key]}" for key in names]
    return [f"DROP TRIGGER IF EXISTS {names[key]}" for key in names]


def migration_operations(tables: list[tuple[str, str, bool]], *, functions: bool = False) -> list:
    """RunPython operations for a hand-written migration: [(table, label, plan_year_required)]."""

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = list(function_statements(vendor)[0]) if functions else []
        for table, label, required in tables:
            statements += create_statements(vendor, table, label, plan_year_required=required)
        for statement in statements:
            schema_editor.execute(statement, params=None)

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = [statement for table, _, _ in tables for statement in drop_statements(vendor, table)]
        statements += function_statements(vendor)[1] if functions else []
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return [migrations.RunPython(forwards, backwards, elidable=False)]
