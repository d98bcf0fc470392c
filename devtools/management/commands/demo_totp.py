import base64

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from devtools.demo import USERS
from core.two_factor import DEMO_TOTP_SECRET, current_code, totp_device


class Command(BaseCommand):
    help = ("Print the current two-factor code of a demo user (testers without an "
            "authenticator app). Demo accounts enrolled with the public demo secret only.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if username not in {row[0] for row in USERS}:
            raise CommandError(f"{username} is not a demo account.")
        user = get_user_model().objects.filter(username=username).first()
        device = totp_device(user) if user is not None else None
        if device is None or device.key != base64.b32decode(DEMO_TOTP_SECRET).hex():
            raise CommandError(f"{username} is not enrolled with the demo secret.")
        self.stdout.write(current_code(device))
