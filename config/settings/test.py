"""Tests (pytest, see pyproject.toml): the dev settings with a fast password hasher.

Django's default PBKDF2 hasher is deliberately slow (~0.2 s per password on a small machine);
tests create many users, and none of them tests the hasher's strength.
"""

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
