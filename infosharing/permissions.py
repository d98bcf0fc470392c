"""Who may do what in information sharing (see core/permissions.py for the rule)."""
from core.models import Side
from core.roles import Role

#: Authorizations, verification requests both ways, urgent notifications, bulletins.
WORKING_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
#: See every agency's requests, not only their own agency's.
CITYWIDE_ROLES = (Role.CITY,)
#: Print the authorization form with the full document numbers: the Zhuhai officers who
#: take the person's signature.
AUTHORIZATION_FORM_ROLES = (Role.CITY, Role.DISTRICT)
#: Who writes each side's regular bulletin.
BULLETIN_WRITER_ROLES = {Side.ZHUHAI: Role.CITY, Side.MACAU: Role.MACAU,
                         Side.HENGQIN: Role.HENGQIN}
