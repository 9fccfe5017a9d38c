"""Tests (pytest, see pyproject.toml): the dev settings with a fast password hasher.

Django's default PBKDF2 hasher is deliberately slow (~0.2 s per password on a small machine);
tests create many users, and none of them tests the hasher's strength.
"""

from .base import client_ip_settings
from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests decide about proxies themselves (tests/hardening): a BEHIND_PROXY in the developer's
# environment must not change which client address the login lockout sees.
BEHIND_PROXY = False
_client_ip = client_ip_settings(behind_proxy=False, proxy_count=1)
AXES_IPWARE_PROXY_COUNT = _client_ip["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_ip["AXES_IPWARE_META_PRECEDENCE_ORDER"]
