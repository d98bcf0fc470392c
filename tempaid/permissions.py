from zhuao.roles import Role

ROLE_PERMISSIONS = {
    Role.CITY: {"tempaid.view_application", "tempaid.change_application",
                "tempaid.view_policyversion", "tempaid.add_policyversion",
                "tempaid.view_fund", "tempaid.view_ledgerentry", "tempaid.view_fundallocation"},
    Role.DISTRICT: {"tempaid.view_application", "tempaid.add_application",
                    "tempaid.change_application", "tempaid.view_policyversion",
                    "tempaid.view_fund"},
    Role.FINANCE: {"tempaid.view_application", "tempaid.change_application",
                   "tempaid.view_policyversion", "tempaid.view_fund", "tempaid.change_fund",
                   "tempaid.view_ledgerentry", "tempaid.view_fundallocation",
                   "tempaid.add_fundallocation"},
    # The administrator looks up reference data and the ledger, never applicants' data.
    Role.ADMIN: {"tempaid.view_policyversion", "tempaid.view_fund", "tempaid.view_ledgerentry",
                 "tempaid.view_fundallocation"},
    Role.MACAU: {"tempaid.view_application"},
    Role.HENGQIN: {"tempaid.view_application"},
}
