import json

from django.core.management.base import BaseCommand

from cases.bench_search import run


class Command(BaseCommand):
    help = ("Time the people search for each kind of query (Chinese substring, other script, "
            "card spelling, ID number, phone, typo) on the current database (use the scale one).")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=40, help="queries of each kind")
        parser.add_argument("--repeats", type=int, default=3)
        parser.add_argument("--no-explain", action="store_true")
        parser.add_argument("--output", help="write the figures as JSON to this file")

    def handle(self, *args, count, repeats, no_explain, output, **options):
        results = run(count=count, repeats=repeats, explain=not no_explain,
                      out=self.stdout.write)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                json.dump(results, handle, ensure_ascii=False, indent=2)
