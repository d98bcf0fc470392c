from zhuao.roles import Role

_REGISTER = {"cases.view_person", "cases.add_person", "cases.change_person",
             "cases.view_household", "cases.add_household", "cases.change_household",
             "cases.view_case", "cases.add_case", "cases.change_case",
             "cases.view_caseattachment", "cases.add_caseattachment"}
_MEETING_READ = {"cases.view_meeting", "cases.view_agendaitem", "cases.view_decision",
                 "cases.view_actionitem", "cases.view_actionitemprogress",
                 "zhuao.view_liaisonassignment"}
_SECRETARIAT = _MEETING_READ | {
    "cases.add_meeting", "cases.change_meeting", "cases.add_agendaitem",
    "cases.change_agendaitem", "cases.add_decision", "cases.add_actionitem",
    "cases.change_actionitem", "cases.add_actionitemprogress",
    "zhuao.add_liaisonassignment", "zhuao.change_liaisonassignment"}
_OWNER = _MEETING_READ | {"cases.add_actionitemprogress"}

ROLE_PERMISSIONS = {
    Role.CITY: _REGISTER | _SECRETARIAT,
    Role.DISTRICT: _REGISTER | _OWNER,
    # liaisons read what is shared with them and register their own side's residents
    Role.MACAU: {"cases.view_case", "cases.view_person", "cases.add_person",
                 "cases.change_person", "cases.view_household"} | _OWNER,
    Role.HENGQIN: {"cases.view_case", "cases.view_person", "cases.add_person",
                   "cases.change_person", "cases.view_household"} | _OWNER,
    Role.FINANCE: set(_OWNER),
    Role.FINWORK: set(_OWNER),
    Role.NGO: {"zhuao.view_liaisonassignment"},
    Role.LEADERSHIP: set(_MEETING_READ),
    Role.ADMIN: {"zhuao.view_liaisonassignment"},
}
