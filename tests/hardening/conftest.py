import pytest


class Seeded(dict):
    """The demo users by username; ``media_root`` holds the demo's uploaded files."""

    media_root = None


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo data (every workstream), committed once for the module and flushed
    afterwards so that other modules start from an empty database. Tests using it set
    ``settings.MEDIA_ROOT = seeded.media_root`` (the ``seeded_media`` fixture does)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("seeded-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        users = Seeded({user.username: user for user in get_user_model().objects.all()})
    users.media_root = media
    yield users
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def seeded_media(seeded, settings):
    settings.MEDIA_ROOT = seeded.media_root
    return seeded
