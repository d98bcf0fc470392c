"""Compare two ``bench`` results (``--output`` files): each page and endpoint's p50 and queries in
the second run against the first, matched by role and path (a detail page's id is not part of
the match, so runs on databases of different sizes compare too).

    python manage.py bench_compare before.json after.json --limit 1.10
"""
import json
import re
import statistics

from django.core.management.base import BaseCommand

ID = re.compile(r"/\d+/")


def _key(row: dict) -> tuple[str, str, str]:
    return row["kind"], row["role"], ID.sub("/{id}/", row["path"])


def _rows(path: str) -> tuple[dict, dict]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    measured = {_key(row): row for kind in ("pages", "api") for row in data[kind]
                if row["status"] == 200 and row["p50_ms"]}
    return data, measured


class Command(BaseCommand):
    help = "Compare two bench results: p50 and queries per page and endpoint."

    def add_arguments(self, parser):
        parser.add_argument("first")
        parser.add_argument("second")
        parser.add_argument("--limit", type=float, default=1.10,
                            help="the ratio of p50s a page or endpoint may reach (default 1.10)")
        parser.add_argument("--worst", type=int, default=10)

    def handle(self, *args, first: str, second: str, limit: float, worst: int, **options):
        first_data, before = _rows(first)
        second_data, after = _rows(second)
        common = sorted(before.keys() & after.keys())
        write = self.stdout.write
        write(f"{len(common)} pages and endpoints in both runs "
              f"({len(before.keys() - after.keys())} only in the first, "
              f"{len(after.keys() - before.keys())} only in the second)")
        for kind in sorted({key[0] for key in common}):
            keys = [key for key in common if key[0] == kind]
            ratios = [after[key]["p50_ms"] / before[key]["p50_ms"] for key in keys]
            over = [(ratio, key) for ratio, key in zip(ratios, keys, strict=True) if ratio > limit]
            more_queries = [key for key in keys if after[key]["queries"] > before[key]["queries"]]
            write(f"{kind}: median p50 {statistics.median(before[k]['p50_ms'] for k in keys):.1f}"
                  f" -> {statistics.median(after[k]['p50_ms'] for k in keys):.1f} ms; median ratio "
                  f"{statistics.median(ratios):.2f}; {len(over)} of {len(keys)} over {limit:.2f}; "
                  f"{len(more_queries)} with more queries")
            for ratio, key in sorted(over, reverse=True)[:worst]:
                write(f"  {ratio:5.2f}  {key[1]:9} {key[2]}  {before[key]['p50_ms']} -> "
                      f"{after[key]['p50_ms']} ms, queries {before[key]['queries']} -> "
                      f"{after[key]['queries']}")
            for key in more_queries[:worst]:
                write(f"  queries {before[key]['queries']} -> {after[key]['queries']}  "
                      f"{key[1]:9} {key[2]}")
        for kind in ("page", "api"):
            write(f"baseline {kind}: " + ", ".join(
                f"{role} {first_data['baseline'][kind].get(role)} -> {value}"
                for role, value in second_data["baseline"][kind].items()))
        jobs_before = {job["job"]: job for job in first_data["jobs"] if "seconds" in job}
        for job in second_data["jobs"]:
            if "seconds" in job and job["job"] in jobs_before:
                old = jobs_before[job["job"]]
                write(f"job {job['job']}: {old['seconds']} -> {job['seconds']} s, "
                      f"{old['rows']} -> {job['rows']} rows {job['error']}".rstrip())
        for name in ("load_baseline", "load_mix"):
            if name not in first_data or name not in second_data:  # a run with --no-load
                continue
            write(f"{name}: {first_data[name]['throughput_rps']} -> "
                  f"{second_data[name]['throughput_rps']} rps, p50 {first_data[name]['p50_ms']} -> "
                  f"{second_data[name]['p50_ms']} ms")
