import pytest


class InvalidTemplateVariable(str):
    """Make an unknown template variable fail the test that renders it."""

    def __mod__(self, other):
        raise AssertionError(f"Unknown template variable: {other!r}")


def pytest_configure(config):
    from django.conf import settings

    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Background tasks run at once, in the test's thread and transaction: real and synchronous.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client's login() passes no request, which django-axes needs; the
    # throttling tests switch it back on.
    settings.AXES_ENABLED = False
    settings.WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The five seed conventions and the demo users, as `make demo` loads them."""
    from devtools.demo import load_demo

    load_demo()


# The personas of the staff pages and the two partner organisations of the portal tests,
# for the tests of every app.
from tests.browser import browser  # noqa: E402,F401 (fixture)
from tests.personas import (  # noqa: E402,F401 (fixtures)
    gestionnaire,
    lecteur,
    manager_client,
    partner,
    partner_client,
    reader_client,
)
from tests.portal_world import world  # noqa: E402,F401 (fixture)
