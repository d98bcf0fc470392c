"""Export a whole list as its background job does (``web.exports.export_job_run``, the code the
Celery worker runs), in this fresh process, and print the time, the rows, the file's size and
the process's peak memory. Use a scale database:

    python manage.py bench_export                        # every case, CSV, as the city officer
    python manage.py bench_export --list people --format xlsx
"""
import resource
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.models import ExportJob
from web.exports import FORMATS, export_job_run
from web.listing import spec_for


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = ("Export a whole list as the background job does and print its time and the "
            "process's peak memory (use a scale database).")

    def add_arguments(self, parser):
        parser.add_argument("--list", default="cases", help="the list's key (default: cases)")
        parser.add_argument("--user", default="city", help="whose list (default: city)")
        parser.add_argument("--format", default="csv", choices=FORMATS)

    def handle(self, *args, list: str, user: str, format: str, **options):
        spec = spec_for(list)
        if spec is None:
            raise CommandError(f"No list {list!r}.")
        owner = get_user_model().objects.get(username=user)
        at_start = _peak_mb()
        job = ExportJob.objects.create(owner=owner, list_key=spec.key, file_format=format,
                                       params="", rows_total=0)
        started = time.perf_counter()
        job = export_job_run(job_id=job.pk)
        seconds = time.perf_counter() - started
        if job.error:
            raise CommandError(job.error)
        size = job.file.size
        job.file.delete(save=True)  # the figures are the point, not the file
        self.stdout.write(f"{spec.key} {format} as {user}: {job.rows_done} rows in {seconds:.1f} s "
                          f"({job.rows_done / seconds:,.0f} rows/s), file {size / 1e6:.1f} MB, "
                          f"process peak {_peak_mb():.0f} MB (after start-up {at_start:.0f} MB)")
