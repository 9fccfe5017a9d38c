"""The pages for a request that failed, in Korean, without touching the database.

A write that waited for the database's lock and gave up (SQLite while an import writes: one writer
at a time; a PostgreSQL lock timeout) is no fault of the request: it is answered 503 with
"잠시 뒤 다시 시도하세요" and a Retry-After, not as a server error.
"""

import sys

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from programs.db_errors import lock_lost_response, lost_a_lock


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    exc = sys.exc_info()[1]  # Django calls this from inside its except block
    if exc is not None and lost_a_lock(exc):
        return lock_lost_response()
    return HttpResponseServerError(loader.get_template("500.html").render({"busy": False}))
