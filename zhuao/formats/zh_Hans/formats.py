"""How dates are written on Chinese pages: the long form, 2026年12月5日 (FORMAT_MODULE_PATH).

Pinned here rather than left to Django's locale files so that a framework upgrade cannot
change what officers read; what is not named here (input formats, first day of the week)
still comes from Django. Templates use ``{{ value|date }}``, ``|date:"DATETIME_FORMAT"`` and
``|date:"YEAR_MONTH_FORMAT"``, never a fixed pattern, except in attributes that machines
read (``<time datetime>``, input values), which stay ISO 8601."""

DATE_FORMAT = "Y年n月j日"  # 2026年12月5日
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2026年12月5日 14:30
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年12月
MONTH_DAY_FORMAT = "n月j日"  # 12月5日
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"

# What a date field accepts, ISO 8601 first: Django writes a form's initial date with the
# first of these, and an <input type="date"> takes nothing but 2026-12-05.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                          "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d"]
