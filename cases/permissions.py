from zhuao.roles import Role

_REGISTER = {"cases.view_person", "cases.add_person", "cases.change_person",
             "cases.view_household", "cases.add_household", "cases.change_household",
             "cases.view_case", "cases.add_case", "cases.change_case"}

ROLE_PERMISSIONS = {
    Role.CITY: set(_REGISTER),
    Role.DISTRICT: set(_REGISTER),
    Role.MACAU: {"cases.view_case", "cases.view_person"},
    Role.HENGQIN: {"cases.view_case", "cases.view_person"},
}
