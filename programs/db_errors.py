"""The database's reason for refusing a write, in the words a user is shown."""

from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

# A write that lost a lock to another writer: PostgreSQL's deadlock (40P01), serialization failure
# (40001) and lock not available (55P03); SQLite's busy database. The database's own text names
# processes and transaction ids, in English: the user is told what happened instead.
LOCK_STATES = frozenset(("40P01", "40001", "55P03"))
LOCK_MESSAGE = (
    "다른 가져오기나 저장이 같은 자료를 동시에 바꾸고 있어 기다리다 멈췄습니다(데이터베이스 잠금). "
    "잠시 뒤 다시 시도하세요."
)


def lost_a_lock(exc: Exception) -> bool:
    """Whether `exc` is the database giving up on a lock another writer held."""
    cause = exc.__cause__ or exc
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state in LOCK_STATES or "database is locked" in str(exc)


def database_message(exc: Exception) -> str:
    """`exc`'s text without PostgreSQL's CONTEXT lines: a trigger's refusal (programs/year_triggers.py)
    is its Korean message alone, not the PL/pgSQL function and line that raised it. A lost lock
    (`lost_a_lock`) is said in Korean."""
    if lost_a_lock(exc):
        return LOCK_MESSAGE
    return str(exc).split("\nCONTEXT:")[0].strip()


RETRY_AFTER_SECONDS = 10


def lock_lost_response() -> HttpResponse:
    """503 with the back-office's Korean "다른 작업이 저장하는 중입니다" page (500.html, rendered
    without the database) and a Retry-After."""
    context = {"busy": True, "message": LOCK_MESSAGE, "retry_after": RETRY_AFTER_SECONDS}
    body = loader.get_template("500.html").render(context)
    return HttpResponse(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class LockLostMiddleware:
    """A request that gave up on a lock another writer held, where no screen handled it (on SQLite an
    import holds the database's one write lock for up to a minute: a login, the start of an export
    or a report meanwhile), is answered 503 instead of a 500, with DEBUG on too. Other database
    errors stay errors. (What fails outside a view, e.g. a session saved after it, reaches the
    project's handler500, config/errors.py, which answers the same.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and lost_a_lock(exception):
            return lock_lost_response()
        return None
