from zhuao.roles import Role

_VIEW_ALL = {"partners.view_organisation", "partners.view_socialworker", "partners.view_contract",
             "partners.view_contractkpi", "partners.view_milestone", "partners.view_referral",
             "partners.view_servicerecord", "partners.view_evaluation"}

ROLE_PERMISSIONS = {
    Role.CITY: _VIEW_ALL | {
        "partners.add_organisation", "partners.change_organisation",
        "partners.add_socialworker", "partners.change_socialworker",
        "partners.add_contract", "partners.change_contract", "partners.add_contractkpi",
        "partners.add_milestone", "partners.add_referral", "partners.change_referral",
        "partners.add_evaluation", "partners.change_evaluation"},
    Role.DISTRICT: {"partners.view_organisation", "partners.view_socialworker",
                    "partners.view_contract", "partners.view_contractkpi",
                    "partners.view_referral", "partners.add_referral", "partners.change_referral",
                    "partners.view_servicerecord"},
    Role.FINANCE: {"partners.view_organisation", "partners.view_contract",
                   "partners.view_contractkpi", "partners.view_milestone",
                   "partners.change_milestone", "partners.change_contract",
                   "partners.view_evaluation"},
    Role.NGO: {"partners.view_organisation", "partners.view_socialworker",
               "partners.view_contract", "partners.view_contractkpi", "partners.view_milestone",
               "partners.view_referral", "partners.change_referral",
               "partners.view_servicerecord", "partners.add_servicerecord",
               "partners.view_evaluation"},
}
