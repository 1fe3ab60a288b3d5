"""Settings of the real worker in tests/integration/test_notices_worker.py: the test
settings, with the URLconf that names `agenda:booking` (tests/learners/notices_urls.py)
until the agenda app's own provides it."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.learners.notices_urls"
