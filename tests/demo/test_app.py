"""The demo app is installed by the development and test settings only: production has no
`load_demo` command and no demo module loaded."""

import pytest

from tests.config.test_settings import run_manage

INSTALLED = (
    "from django.apps import apps; import sys; "
    "print(apps.is_installed('demo'), any(name.startswith('demo') for name in sys.modules))"
)


@pytest.mark.parametrize(
    ("settings_module", "expected"),
    [("config.settings.production", "False False"), ("config.settings.dev", "True True")],
)
def test_only_the_development_settings_install_the_demo(settings_module, expected):
    result = run_manage(
        "shell",
        "-c",
        INSTALLED,
        env_overrides={
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "k3y-for-the-check-only-8f9a7d6e5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0",
            "DATABASE_URL": "sqlite:///:memory:",
            "ALLOWED_HOSTS": "pas-a-pas.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
