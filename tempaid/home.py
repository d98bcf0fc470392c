from django.utils.translation import gettext_lazy as _

from zhuao.navigation import Panel
from zhuao.roles import Role, has_role

from .selectors import applications_waiting_for


def panels(request) -> list[Panel]:
    user = request.user
    if not has_role(user, Role.DISTRICT, Role.CITY, Role.FINANCE):
        return []
    waiting = list(applications_waiting_for(user).select_related("person")
                   .order_by("created_at")[:8])
    return [Panel(title=_("Temporary relief waiting for you"),
                  template="tempaid/home_panel.html", context={"applications": waiting},
                  order=400)]
