"""Login lockout (django-axes) through the real admin login page, its reset, and client IPs."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from config.settings.base import client_ip_settings
from tests import html_tables

LOGIN_URL = "/admin/login/"
PASSWORD = "pw-for-tests"  # tests/conftest.py's admin_user


def post_login(client, username, password, **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **headers)


def fail_until_locked(client, username):
    responses = [post_login(client, username, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


@pytest.mark.django_db
def test_failures_below_the_limit_show_the_login_form_again(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, admin_user.username, "wrong-password")

    assert response.status_code == 200
    assert "관리자 계정의" in response.content.decode()  # Django's Korean "wrong credentials" note
    assert post_login(client, admin_user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_nth_failure_locks_the_account_with_a_korean_page(client, admin_user):
    response = fail_until_locked(client, admin_user.username)

    assert response.status_code == 429
    page = response.content.decode()
    assert "로그인이 잠겼습니다" in page
    assert "30분 뒤에 다시 시도하십시오" in page


@pytest.mark.django_db
def test_locked_account_is_refused_even_with_the_correct_password(client, admin_user):
    fail_until_locked(client, admin_user.username)

    response = post_login(client, admin_user.username, PASSWORD)

    assert response.status_code == 429
    assert "로그인이 잠겼습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, admin_user, django_user_model):
    django_user_model.objects.create_superuser("담당자", "staff@example.com", PASSWORD)
    fail_until_locked(client, admin_user.username)

    assert post_login(client, "담당자", PASSWORD).status_code == 302
    assert post_login(client, admin_user.username, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


@pytest.mark.django_db
def test_administrator_reset_unlocks_the_account(client, admin_user):
    fail_until_locked(client, admin_user.username)

    call_command("axes_reset_username", admin_user.username, stdout=open("/dev/null", "w"))

    response = post_login(client, admin_user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/admin/"


@pytest.mark.django_db
def test_lockouts_are_listed_in_korean_in_the_admin(admin_client):
    AccessAttempt.objects.create(username="담당자", ip_address="198.51.100.1", failures_since_start=5)

    app_list = admin_client.get("/admin/").context["app_list"]
    attempts = admin_client.get("/admin/axes/accessattempt/").content

    (axes,) = [app for app in app_list if app["app_label"] == "axes"]
    assert axes["name"] == "로그인 잠금 관리"
    assert "로그인 시도·잠금" in [model["name"] for model in axes["models"]]
    table = html_tables.table_under(attempts, "변경할 로그인 시도 선택")
    header, *rows = table.texts()
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert (row["사용자 이름"], row["IP 주소"], row["실패 횟수"]) == ("담당자", "198.51.100.1", "5")


@pytest.mark.django_db
def test_forwarded_for_is_ignored_without_a_proxy(client, admin_user):
    post_login(
        client,
        admin_user.username,
        "wrong-password",
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


@pytest.mark.django_db
def test_forwarded_for_is_honoured_behind_the_proxy(client, admin_user):
    with override_settings(**client_ip_settings(behind_proxy=True, proxy_count=1)):
        post_login(
            client,
            admin_user.username,
            "wrong-password",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


@pytest.mark.django_db
def test_addresses_a_client_prepends_behind_the_proxy_are_not_trusted(client, admin_user):
    with override_settings(**client_ip_settings(behind_proxy=True, proxy_count=1)):
        post_login(
            client,
            admin_user.username,
            "wrong-password",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.7",
        )

    assert AccessAttempt.objects.get().ip_address != "192.0.2.66"


def fail_with_usernames(client, count, **headers):
    return [post_login(client, f"guess-{index}", "wrong-password", **headers) for index in range(count)][-1]


@pytest.mark.django_db
def test_an_address_trying_many_usernames_is_locked_at_its_own_limit(client, admin_user):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT  # colleagues behind one address are not locked by a few typos

    below = fail_with_usernames(client, limit - 1)
    assert below.status_code == 200 and "관리자 계정의" in below.content.decode()

    locked = post_login(client, "guess-last", "wrong-password")
    assert locked.status_code == 429 and "로그인이 잠겼습니다" in locked.content.decode()
    assert post_login(client, admin_user.username, PASSWORD).status_code == 429  # the address, any account
    assert post_login(client, admin_user.username, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


@pytest.mark.django_db
def test_thirty_usernames_from_one_address_do_not_get_thirty_tries(client):
    responses = [post_login(client, f"guess-{index}", "wrong-password") for index in range(30)]

    statuses = [response.status_code for response in responses]
    assert statuses.index(429) == settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    assert set(statuses[settings.AXES_ADDRESS_FAILURE_LIMIT :]) == {429}


@pytest.mark.django_db
def test_a_colleagues_login_unlocks_neither_the_address_nor_a_locked_account(client, admin_user, django_user_model):
    django_user_model.objects.create_superuser("담당자", "staff@example.com", PASSWORD)
    fail_until_locked(client, admin_user.username)
    fail_with_usernames(client, settings.AXES_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT - 1)

    assert post_login(client, "담당자", PASSWORD).status_code == 302
    client.logout()

    assert post_login(client, admin_user.username, PASSWORD).status_code == 429  # still locked
    assert post_login(client, "another-guess", "wrong-password").status_code == 429  # the address's last try


@pytest.mark.django_db
def test_a_refused_offsite_next_lands_on_the_admin_index(client, admin_user):
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": admin_user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get(response.url).status_code == 200
