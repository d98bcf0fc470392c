"""Who may do what in the register and the secretariat (see core/permissions.py for the
rule)."""
from core.roles import ADMIN_ROLES, Role

# --- The register ------------------------------------------------------------------------------

#: Register people, households and cases, and open a case: Zhuhai's officers.
REGISTER_ROLES = (Role.CITY, Role.DISTRICT)
#: The case pages and API: Zhuhai's officers and the liaisons, for cases shared with them.
CASE_READER_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
#: See every case in the city.
CASE_CITYWIDE_ROLES = (Role.CITY,)
#: Never see individual cases (they see aggregates).
CASE_NO_ACCESS_ROLES = (Role.LEADERSHIP, *ADMIN_ROLES)
#: Register people: each side registers its own residents.
PERSON_REGISTER_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
#: The people search and the header's global search for people.
PEOPLE_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
#: Show a person's full identity-document number (with a reason; core.reveal).
IDENTITY_REVEAL_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
#: Import people and households from a spreadsheet.
PERSON_IMPORT_ROLES = (Role.CITY, Role.DISTRICT)
#: Propose that two records are one person; the city bureau decides.
MERGE_PROPOSER_ROLES = (Role.CITY, Role.DISTRICT, Role.MACAU, Role.HENGQIN)
MERGE_DECIDER_ROLES = (Role.CITY,)

# --- The secretariat ---------------------------------------------------------------------------

#: See every meeting: the secretariat and the bureau's leadership.
MEETING_CITYWIDE_ROLES = (Role.CITY, Role.LEADERSHIP)
#: The joint meetings, their agendas, decisions and action items are case work: every role
#: takes part but the administrators, who keep accounts, roles or the audit trail only, and
#: the partner bank's staff, who see only their desk.
MEETING_ROLES = tuple(role for role in Role.values
                      if role not in ADMIN_ROLES and role != Role.BANK)
