"""Who may do what with social organisations (see core/permissions.py for the rule)."""
from core.roles import Role

#: The organisations, contracts and their KPIs and evaluations.
VIEWER_ROLES = (Role.CITY, Role.DISTRICT, Role.FINANCE, Role.NGO)
#: The service-record list.
LIST_ROLES = (Role.CITY, Role.DISTRICT, Role.NGO)
#: Zhuhai's officers: the providers' directory and their cases' service plans.
OFFICER_ROLES = (Role.CITY, Role.DISTRICT)
#: Who refers: Zhuhai's city and district officers refer their cases; the Macau and Hengqin
#: liaisons refer a person their side registered or that was shared with them.
REFERRER_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
LIAISON_REFERRER_ROLES = (Role.MACAU, Role.HENGQIN)
#: The referral list: referrers, and the organisations that receive referrals.
REFERRAL_ROLES = LIST_ROLES + LIAISON_REFERRER_ROLES
