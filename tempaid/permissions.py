"""Who may do what in temporary relief (see core/permissions.py for the rule). The system
administrator keeps the policy and the fund's reference data in the Django admin."""
from core.roles import Role

ADMIN_SITE_PERMISSIONS = {
    # reference data and the ledger, never applicants' data
    Role.ADMIN: {"tempaid.view_policyversion", "tempaid.view_fund", "tempaid.view_ledgerentry",
                 "tempaid.view_fundallocation"},
}

#: The applications' pages and API.
APPLICATION_ROLES = (Role.DISTRICT, Role.CITY, Role.FINANCE, Role.MACAU, Role.HENGQIN)
#: Who files an application: the district officers.
FILER_ROLES = (Role.DISTRICT,)
#: See every application in the city.
APPLICATION_CITYWIDE_ROLES = (Role.CITY,)
#: Who prints the approval form (临时救助审批表): the officers who file, decide and pay it.
APPROVAL_FORM_ROLES = (Role.DISTRICT, Role.CITY, Role.FINANCE)
#: The fund, its allocations and its ledger.
FUND_ROLES = (Role.CITY, Role.FINANCE)
