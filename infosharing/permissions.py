from zhuao.roles import Role

_WORK = {"infosharing.view_authorization", "infosharing.add_authorization",
         "infosharing.change_authorization",
         "infosharing.view_verificationrequest", "infosharing.add_verificationrequest",
         "infosharing.change_verificationrequest", "infosharing.view_verificationfinding",
         "infosharing.add_verificationfinding", "infosharing.view_bulletin",
         "infosharing.view_urgentnotification", "infosharing.add_urgentnotification",
         "infosharing.change_urgentrecipient"}

ROLE_PERMISSIONS = {
    Role.CITY: set(_WORK),
    Role.DISTRICT: set(_WORK),
    Role.MACAU: set(_WORK),
    Role.HENGQIN: set(_WORK),
}
