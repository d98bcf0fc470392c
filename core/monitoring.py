"""Operations endpoints: ``/healthz`` (liveness), ``/readyz`` (readiness), ``/metrics``
(Prometheus) and the system administrators' status page.

The first three are outside every sign-in (a load balancer and Prometheus have no session):
they are listed in ``PUBLIC_PATHS`` for any middleware that guards pages, exempt from the
HTTPS redirect (``SECURE_REDIRECT_EXEMPT`` in production settings) and hold no personal data.
``/metrics`` answers only the monitoring system: a bearer token equal to
``ZHUAO_METRICS_TOKEN``, or a client address inside ``ZHUAO_METRICS_NETWORKS``. With neither
configured it answers 404, as if it did not exist; a wrong or missing token gets 401. Those
refusals are not audited (no user and no personal data are involved, and a misconfigured
scraper would fill the audit trail every 15 seconds): the request log line records them."""
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from core import health, metrics
from core.roles import Role
from web.decorators import role_required
from web.request_context import client_ip

#: Paths answered without a session: middleware that sends users elsewhere (sign-in, a
#: second factor, a password change) must let these through.
PUBLIC_PATHS = ("/healthz", "/readyz", "/metrics")


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. No database, no Redis."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database, Redis, the file storage and a worker all answer,
    else 503 with the failed checks."""
    ready, checks = health.readiness()
    return JsonResponse({"status": "ready" if ready else "not_ready", "checks": checks},
                        status=200 if ready else 503)


def _from_allowed_network(request) -> bool:
    networks = settings.ZHUAO_METRICS_NETWORKS
    address = client_ip(request)
    if not networks or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


def _bearer_token(request) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_GET
def metrics_view(request):
    expected = settings.ZHUAO_METRICS_TOKEN
    if not expected and not settings.ZHUAO_METRICS_NETWORKS:
        return HttpResponse(status=404)
    given = _bearer_token(request)
    allowed = (bool(expected) and bool(given) and hmac.compare_digest(given.encode(),
                                                                      expected.encode())) \
        or _from_allowed_network(request)
    if not allowed:
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.scrape(), content_type=CONTENT_TYPE_LATEST)


def _status_rows() -> dict:
    """The status page's figures: the readiness checks and what ``/metrics`` reports (its
    figures read from the database once, by ``state_figures``)."""
    ready, checks = health.readiness()
    requests: dict[str, dict] = {}
    for family in text_string_to_metric_families(metrics.scrape(with_state=False).decode()):
        if family.name != "zhuao_http_request_duration_seconds":
            continue
        for sample in family.samples:
            view = sample.labels.get("view")
            row = requests.setdefault(view, {"view": view, "count": 0, "sum": 0.0, "errors": 0})
            if sample.name.endswith("_count"):
                row["count"] += int(sample.value)
                if sample.labels.get("status") == "5xx":
                    row["errors"] += int(sample.value)
            elif sample.name.endswith("_sum"):
                row["sum"] += sample.value
    request_rows = sorted(requests.values(), key=lambda row: -row["count"])[:20]
    for row in request_rows:
        row["mean_ms"] = round(row["sum"] / row["count"] * 1000, 1) if row["count"] else None
    tasks = metrics.task_figures()
    for row in tasks:
        row["mean_ms"] = round(row["sum"] / row["count"] * 1000, 1) if row["count"] else None
    return {"ready": ready, "checks": checks, "state": metrics.state_figures(),
            "requests": request_rows, "tasks": tasks}


@role_required(Role.ADMIN)
@require_GET
def status_page(request):
    """One page with the numbers Prometheus gets, for a system administrator (counts and fund
    codes: no personal data)."""
    return render(request, "zhuao/ops_status.html", _status_rows())
