from decimal import Decimal

from django import template

from zhuao.money import format_money

register = template.Library()

_BADGES = {"approved": "ok", "paid": "ok", "closed": "info", "rejected": "danger",
           "withdrawn": "danger", "city_review": "warn", "district_review": "warn",
           "submitted": "info", "draft": "info"}


@register.filter
def cny(value):
    if value in (None, ""):
        return ""
    return format_money(Decimal(value), "CNY")


@register.filter
def status_badge(status):
    return _BADGES.get(str(status), "info")
