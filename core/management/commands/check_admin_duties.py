from django.core.management.base import BaseCommand, CommandError

from core.roles import duty_violations


class Command(BaseCommand):
    help = ("List the users who hold two separated administrator duties, or a duty and an "
            "operational role; exit with an error when there is one.")

    def handle(self, *args, **options):
        violations = duty_violations()
        for username, pairs in violations:
            self.stdout.write(f"{username}: " + "; ".join(f"{first} + {second}"
                                                          for first, second in pairs))
        if violations:
            raise CommandError(f"{len(violations)} user(s) hold roles that must be separated.")
        self.stdout.write(self.style.SUCCESS("Administrator duties are separated."))
