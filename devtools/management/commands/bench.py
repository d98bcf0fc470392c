import json
from pathlib import Path

from django.core.management.base import BaseCommand

from devtools import benchmark


class Command(BaseCommand):
    help = ("Serve the application with gunicorn on loopback and measure pages, API, a load run "
            "and the heavy jobs against the configured database; writes bench-results.json.")

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=20, help="requests per endpoint")
        parser.add_argument("--clients", type=int, default=20, help="concurrent clients in the load run")
        parser.add_argument("--seconds", type=float, default=30, help="length of the load run")
        parser.add_argument("--no-load", action="store_true", help="skip the load run")
        parser.add_argument("--no-jobs", action="store_true", help="skip the heavy jobs")
        parser.add_argument("--only-jobs", action="store_true",
                            help="run the heavy jobs only (no server, pages or load)")
        parser.add_argument("--output", default="bench-results.json")

    def handle(self, *args, **options):
        if options["only_jobs"]:
            report = {"jobs": benchmark.run_jobs(self.stdout)}
            for job in report["jobs"]:
                self.stdout.write(f"job: {job}")
            Path(options["output"]).write_text(json.dumps(report, indent=1, default=str))
            self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}"))
            return
        report = benchmark.run(repeats=options["repeats"], clients=options["clients"],
                               seconds=options["seconds"], jobs=not options["no_jobs"],
                               load=not options["no_load"], stdout=self.stdout)
        benchmark.print_report(report, self.stdout)
        Path(options["output"]).write_text(json.dumps(report, indent=1, default=str))
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}"))
