"""Who may do what in the Macau remittance (see core/permissions.py for the rule)."""
from core.roles import Role

#: Every role that uses the remittance pages at all.
REMITTANCE_ROLES = (Role.CITY, Role.FINWORK, Role.DISTRICT, Role.MACAU)
#: The roster's pages and API.
RECIPIENT_ROLES = REMITTANCE_ROLES
RECIPIENT_VIEW_ROLES = (Role.CITY, Role.FINWORK, Role.MACAU)
RECIPIENT_CHANGE_ROLES = (Role.CITY, Role.FINWORK)
#: Card onboarding and appointments.
WRITE_ROLES = (Role.CITY, Role.FINWORK, Role.DISTRICT)
#: Who may reveal a recipient's full card account number on the roster's pages: the officers
#: who record the card onboarding (within ``recipient_visible_to(permission="change")``); the
#: bank's staff reveal it at their desk (core.reveal).
ACCOUNT_REVEAL_ROLES = (Role.CITY, Role.FINWORK, Role.DISTRICT)
BATCH_VIEW_ROLES = (Role.CITY, Role.FINWORK, Role.MACAU)
PAYMENT_ROLES = (*BATCH_VIEW_ROLES, Role.DISTRICT)
#: The coverage page: the remittance roles and bureau leadership.
COVERAGE_ROLES = REMITTANCE_ROLES + (Role.LEADERSHIP,)
#: Who prepares (maker) and who approves (checker) a payment batch.
MAKER_ROLES = (Role.CITY,)
CHECKER_ROLES = (Role.CITY,)
#: Who sends an approved batch's file to the bank and records the bank's results.
BANK_FILE_ROLES = (Role.CITY, Role.FINWORK)
#: Who uploads and commits the roster: the bureaus, and IAS itself (the Macau liaison hands
#: over its monthly roster instead of sending a file to be re-keyed).
IMPORT_ROLES = (Role.FINWORK, Role.CITY, Role.MACAU)
IMPORT_VIEW_ROLES = (Role.CITY, Role.FINWORK, Role.MACAU)
#: Who confirms that a recipient suspended by a full roster is paid again: civil affairs.
REINSTATE_ROLES = (Role.CITY, Role.DISTRICT)
#: Partner bank staff: their own desk only (``bank_*`` selectors).
BANK_ROLES = (Role.BANK,)
