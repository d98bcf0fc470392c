"""gunicorn's settings, the same for production (Dockerfile, docker-compose.yml) and the
benchmark (``manage.py bench``): ``gunicorn -c python:zhuao.gunicorn_conf zhuao.wsgi``.

Threads let a worker serve other requests while one waits for PostgreSQL. After a worker has
loaded the application, its objects (modules, URL patterns, templates, translations) are moved
out of the garbage collector's sight (``gc.freeze``): otherwise every full collection walks
them all again, a pause of several milliseconds in the middle of some request."""
import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60


def post_worker_init(worker):
    gc.freeze()


def child_exit(server, worker):
    """prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, core.metrics):
    a finished worker's live gauges are dropped; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
