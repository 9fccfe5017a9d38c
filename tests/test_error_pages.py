"""A request that fails is answered in Korean, and a write that ran out of waiting for the database's
lock (SQLite while an import writes) as 503 "잠시 뒤 다시 시도하세요", not as a server error."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import get_resolver, path

from config import errors


def busy(request):
    raise OperationalError("database is locked")


def broken(request):
    raise ValueError("a bug")


urlpatterns = [path("busy/", busy), path("broken/", broken)]
handler500 = "config.errors.server_error"


def test_the_project_answers_failures_with_its_own_page():
    assert get_resolver("config.urls").resolve_error_handler(500) is errors.server_error


@pytest.mark.urls("tests.test_error_pages")
def test_a_write_that_could_not_get_the_lock_is_asked_to_retry():
    response = Client(raise_request_exception=False).get("/busy/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "다른 작업이 저장하는 중입니다" in page and "아무것도 저장되지 않았습니다" in page


@pytest.mark.urls("tests.test_error_pages")
def test_any_other_failure_is_a_korean_server_error_page():
    response = Client(raise_request_exception=False).get("/broken/")
    page = response.content.decode()
    assert response.status_code == 500 and "Retry-After" not in response
    assert '<html lang="ko">' in page and "요청을 처리하지 못했습니다" in page and "a bug" not in page
