from django import template

register = template.Library()

_BADGES = {"approved": "ok", "paid": "ok", "closed": "info", "rejected": "danger",
           "withdrawn": "danger", "city_review": "warn", "district_review": "warn",
           "submitted": "info", "draft": "info"}


@register.filter
def status_badge(status):
    return _BADGES.get(str(status), "info")
