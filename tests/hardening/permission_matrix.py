"""The permission matrix: every route of the pages and the API × every role → the expected
answer. Roles, in the order of each answer string (see matrix_engine.ROLES):

    anonymous city district(香洲, the owning district) district2(斗门, another district) finance
    finwork macau hengqin ngo(开坊, the referred organisation) ngo2(工联, another) leader admin

``A`` = allowed (the page or endpoint answers), ``V`` = the request reached validation or a
state rule and was refused with 400/409 (an empty POST; nothing may change), ``-`` = method
not allowed (405), ``D`` = denied (login redirect, 401, 403 or
404 — nothing of the record is shown and, for POST, nothing changes). The record behind a
``<pk>`` is the first demo record of the xiangzhou district / the kaifong NGO
(matrix_engine.pick), so district/district2 and ngo/ngo2 are the owning and the other one.
A file behind a record (``<attachment_pk>``, ``<evidence_pk>``, ``<document_pk>``) is the first
one under that record, or, when it has none, the first file of its kind with the record it
belongs to (finding attachments: an answered request, since the first request is a draft).
The demo data holds a file of every kind and the generated year-end pilot report, so every
row is exercised: a row whose URL cannot be built fails.

The table was drafted from the running application and then reviewed cell by cell against
DESIGN.md's role model; any change in behaviour fails tests/hardening/test_permission_matrix.py,
and a new route fails it until it is added here. Method: the verb exercised (GET reads,
exports and downloads; POST for create/update/workflow endpoints that answer only POST, sent
empty — a denied role must get D and nothing may change).
"""

MATRIX: dict[str, tuple[str, str]] = {
    "api_root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "api_whoami": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "api_inbox": ("GET", "DAAAAAAAAAAA"),  # 401, then everyone's own inbox
    "api_my_work": ("GET", "DAAAAAAAAAAA"),  # 401, then everyone's own work list
    "audit_list": ("GET", "DDDDDDDDDDDA"),  # 302,403,403,403,403,403,403,403,403,403,403,200
    "token_list": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "token_revoke": ("POST", "DAAAAAAAAAAA"),  # 302 to login; 302 back to the list with a message
    "session_list": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "two_factor_settings": ("GET", "DAAAAAAAAAAA"),  # 302 to login, then everyone's own page
    # security administrators only (tests/zhuao/test_two_factor.py): no demo user holds it
    "two_factor_reset": ("GET", "DDDDDDDDDDDD"),  # 302 to login, 403 for every demo role
    "api_token_list": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "lockout_list": ("GET", "DDDDDDDDDDDA"),  # 302,403,403,403,403,403,403,403,403,403,403,200
    "lockout_unlock": ("POST", "DDDDDDDDDDDA"),  # 302,403,403,403,403,403,403,403,403,403,403,302
    "cases-api:action-item-detail": ("GET", "DAAAADAADDAD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:action-item-list": ("GET", "DAAAAAAAAAAD"),  # 401,200,200,200,200,200,200,200,200,200,200,403
    "cases-api:action-item-progress": ("GET", "DAAAADAADDAD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:case-detail": ("GET", "DAADDDADDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:case-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:case-search": ("POST", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:household-detail": ("GET", "DAADDDADDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:household-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:liaison-detail": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:liaison-list": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:merge-decide": ("POST", "DVDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403
    "cases-api:merge-detail": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "cases-api:merge-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:merge-undo": ("POST", "DVDDDDDDDDDD"),  # 401,409,403,403,403,403,403,403,403,403,403,403
    "cases-api:meeting-agenda": ("GET", "DAAAADAADDAD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:meeting-detail": ("GET", "DAAAADAADDAD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:meeting-list": ("GET", "DAAAAAAAAAAD"),  # 401,200,200,200,200,200,200,200,200,200,200,403
    "cases-api:person-detail": ("GET", "DAADDDADDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:person-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:person-search": ("POST", "DAAADDAADDDD"),
    "cases-api:person-share": ("POST", "DDDDDDDDDDDD"),  # see cases:person_share
    "cases-api:person-unshare": ("POST", "DDDDDDDDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases:action_item_add": ("POST", "DVDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:action_item_detail": ("GET", "DAAAADAADDAD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:action_item_list": ("GET", "DAAAAAAAAAAD"),  # 302,200,200,200,200,200,200,200,200,200,200,403
    "cases:action_item_export": ("GET", "DAAAAAAAAAAD"),  # as its list page
    "cases:agenda_add": ("POST", "DVDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:agenda_withdraw": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:case_attachment": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_attachment_download": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:case_create": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:case_detail": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:case_edit": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:case_export": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_list": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_note": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_propose_key_case": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_share": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_status": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_unshare": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:decision_add": ("POST", "DVDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:household_create": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:household_detail": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:household_edit": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:household_member_add": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:household_member_remove": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:income_add": ("POST", "DVVDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:income_remove": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:liaison_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:liaison_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:liaison_list": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "cases:meeting_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:meeting_detail": ("GET", "DAAAADAADDAD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:meeting_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:meeting_list": ("GET", "DAAAAAAAAAAD"),  # 302,200,200,200,200,200,200,200,200,200,200,403
    "cases:meeting_minutes_pdf": ("GET", "DAAAADAADDAD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:meeting_step": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:minutes_save": ("POST", "DVDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:minutes_done": ("GET", "DADDDDDDDDDD"),  # 302,302|200,403,… the secretariat only, as meeting_step
    "cases:pending_assign": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:merge_detail": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "cases:merge_done": ("GET", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403 (a proposal: back to its check page)
    "cases:merge_propose": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:pending_reviews": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:person_create": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403 (liaisons register their own residents, issue 25)
    "cases:person_detail": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:person_overview_pdf": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:person_edit": ("GET", "DAADDDDDDDDD"),
    # a Zhuhai record: only its Macau or Hengqin owner shares a person (issue 25); the
    # inbound records are walked in test_permission_matrix_inbound.py
    "cases:person_share": ("POST", "DDDDDDDDDDDD"),
    "cases:person_unshare": ("POST", "DDDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:person_list": ("GET", "DAAADDAADDDD"),
    "cases:person_export": ("GET", "DAAADDAADDDD"),  # as its list page
    # the type-ahead lookups: those who may open a person's page (an empty query finds nothing)
    "cases:person_lookup": ("POST", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_lookup": ("POST", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    # the header's search: every signed-in user; each kind through its own visibility door
    "global_search": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "api_global_search": ("POST", "DVVVVVVVVVVV"),  # 401,400,400,400,400,400,400,400,400,400,400,400
    "cases:possible_duplicates": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "help": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "help_topic": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "home": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "inbox": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "inbox_open": ("GET", "DAAAAAAAAAAA"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "inbox_read_all": ("POST", "DAAAAAAAAAAA"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "infosharing-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "infosharing-api:authorization-detail": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:authorization-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:authorization-revoke": ("POST", "DVVDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:authorization-scan": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    # the demo's first bulletin is the open two-way one (issue 25): its writing sides see it,
    # recipients only once it is published (tests/infosharing/test_views_bulletins.py)
    "infosharing-api:bulletin-acknowledge": ("POST", "DVDDDDVVDDDD"),  # 401,409,404,404,403,403,409,409,403,403,403,403 (not published yet)
    "infosharing-api:bulletin-detail": ("GET", "DADDDDAADDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-pdf": ("GET", "DADDDDAADDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-publish": ("POST", "DADDDDDDDDDD"),  # 401,200,404,404,403,403,403,403,403,403,403,403 (a city officer publishes)
    "infosharing-api:bulletin-section": ("POST", "DADDDDAADDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403 (each its own side's section)
    # one urgent notification: as its page, for anyone the selector lets see it (issue 23, 3)
    "infosharing-api:urgent-notification-acknowledge": ("POST", "DDDDDDDDDDDD"),  # 401,404,404,404,404,404,404,404,404,404,404,404
    "infosharing-api:urgent-notification-detail": ("GET", "DAADDDADDDDD"),  # 401,200,200,404,404,404,200,404,404,404,404,404
    "infosharing-api:urgent-notification-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:verification-request-answer": ("POST", "DVVDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-close": ("POST", "DDVDDDDDDDDD"),  # 401,403,409,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-decline": ("POST", "DVVDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-detail": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-findings": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-list": ("GET", "DAAADDAADDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:verification-request-receive": ("POST", "DDDDDDDDDDDD"),  # 401,403,403,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-route": ("POST", "DVDDDDDDDDDD"),  # 401,400,403,404,403,403,404,404,403,403,403,403 (a city officer routes inbound requests)
    "infosharing-api:verification-request-return-": ("POST", "DVVDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-send": ("POST", "DDADDDDDDDDD"),  # 401,403,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-withdraw": ("POST", "DVVDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_create": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:authorization_detail": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_list": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:authorization_revoke": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_revoked": ("GET", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403 (not revoked: back to its page)
    "infosharing:authorization_scan": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:bulletin_acknowledge": ("POST", "DADDDDAADDDD"),  # 302,302,404,404,403,403,302,302,403,403,403,403 (refused: not published yet)
    "infosharing:bulletin_detail": ("GET", "DADDDDAADDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403
    "infosharing:bulletin_list": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:bulletin_export": ("GET", "DAAADDAADDDD"),  # as its list page
    "infosharing:bulletin_pdf": ("GET", "DADDDDAADDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403
    "infosharing:bulletin_publish": ("GET", "DADDDDDDDDDD"),  # 302,200,404,404,403,403,404,404,403,403,403,403 (a city officer publishes)
    "infosharing:bulletin_section": ("GET", "DADDDDAADDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403 (each its own side's section)
    "infosharing:index": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_answer": ("GET", "DDDDDDDDDDDD"),  # 302,404,404,404,403,403,404,404,403,403,403,403
    "infosharing:request_attachment": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403 (an answered request)
    "infosharing:request_authorization_scan": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_close": ("GET", "DDADDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403 (the requester's check page; a draft shows why it cannot close)
    "infosharing:request_closed": ("GET", "DDADDDDDDDDD"),  # 302,404,302,404,403,403,404,404,403,403,403,403 (not closed: back to the request)
    "infosharing:request_create": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_detail": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_edit": ("GET", "DDADDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_list": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_export": ("GET", "DAAADDAADDDD"),  # as its list page
    "infosharing:request_route": ("POST", "DADDDDDDDDDD"),  # 302,302,404,404,403,403,404,404,403,403,403,403 (a city officer routes inbound requests)
    "infosharing:request_step": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403
    "infosharing:urgent_acknowledge": ("POST", "DAADDDADDDDD"),  # 302,302,302,404,404,404,302,404,404,404,404,404
    "infosharing:urgent_create": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:urgent_detail": ("GET", "DAADDDADDDDD"),  # 302,200,200,404,404,404,200,404,404,404,404,404
    "infosharing:urgent_list": ("GET", "DAAADDAADDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "partners-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "partners-api:contract-detail": ("GET", "DAAAADDDADDD"),  # 401,200,200,200,200,403,403,403,200,404,403,403
    "partners-api:contract-list": ("GET", "DAAAADDDAADD"),  # 401,200,200,200,200,403,403,403,200,200,403,403
    "partners-api:evaluation-detail": ("GET", "DADDADDDADDD"),  # 401,200,403,403,200,403,403,403,200,404,403,403
    "partners-api:evaluation-list": ("GET", "DADDADDDAADD"),  # 401,200,403,403,200,403,403,403,200,200,403,403
    "partners-api:organisation-detail": ("GET", "DAAAADDDADDD"),  # 401,200,200,200,200,403,403,403,200,404,403,403
    "partners-api:organisation-list": ("GET", "DAAAADDDAADD"),  # 401,200,200,200,200,403,403,403,200,200,403,403
    "partners-api:referral-accept": ("POST", "DDDDDDDDVDDD"),  # 401,403,403,403,403,403,403,403,409,404,403,403
    "partners-api:referral-decline": ("POST", "DDDDDDDDVDDD"),  # 401,403,403,403,403,403,403,403,400,404,403,403
    "partners-api:referral-detail": ("GET", "DAADDDDDADDD"),  # 401,200,200,404,403,403,403,403,200,404,403,403
    "partners-api:referral-list": ("GET", "DAAADDAAAADD"),  # liaisons: their agency's (issue 25)
    "partners-api:referral-send": ("POST", "DVVDDDDDDDDD"),  # 401,409,409,404,403,403,403,403,403,403,403,403
    "partners-api:service-record-detail": ("GET", "DAADDDDDADDD"),  # 401,200,200,404,403,403,403,403,200,404,403,403
    "partners-api:service-record-list": ("GET", "DAAADDDDAADD"),  # 401,200,200,200,403,403,403,403,200,200,403,403
    "partners-api:social-worker-detail": ("GET", "DAAADDDDADDD"),  # 401,200,200,200,403,403,403,403,200,404,403,403
    "partners-api:social-worker-list": ("GET", "DAAADDDDAADD"),  # 401,200,200,200,403,403,403,403,200,200,403,403
    "partners:contract_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:contract_detail": ("GET", "DAAAADDDADDD"),  # 302,200,200,200,200,403,403,403,200,404,403,403
    "partners:contract_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:contract_kpi_add": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:contract_list": ("GET", "DAAAADDDAADD"),  # 302,200,200,200,200,403,403,403,200,200,403,403
    "partners:contract_step": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_approve": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_detail": ("GET", "DADDADDDADDD"),  # 302,200,403,403,200,403,403,403,200,404,403,403
    "partners:figures": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "partners:milestone_add": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:milestone_release": ("POST", "DDDDADDDDDDD"),  # 302,403,403,403,302,403,403,403,403,403,403,403
    "partners:organisation_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:organisation_detail": ("GET", "DAAAADDDADDD"),  # 302,200,200,200,200,403,403,403,200,404,403,403
    "partners:organisation_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:organisation_list": ("GET", "DAAAADDDAADD"),  # 302,200,200,200,200,403,403,403,200,200,403,403
    "partners:referral_accept": ("POST", "DDDDDDDDADDD"),  # 302,403,403,403,403,403,403,403,302,404,403,403
    "partners:referral_close": ("POST", "DAADDDDDADDD"),  # 302,302,302,404,403,403,403,403,302,404,403,403
    "partners:referral_closed": ("GET", "DAADDDDDADDD"),  # 302,302,302,404,403,403,403,403,302,404,403,403 as referral_close
    "partners:referral_consent": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "partners:referral_consent_download": ("GET", "DDDDDDDDDDDD"),  # 302,404,404,404,403,403,403,403,403,403,403,403
    "partners:referral_create": ("GET", "DAAADDAADDDD"),  # liaisons refer their people (issue 25)
    "partners:referral_decline": ("POST", "DDDDDDDDADDD"),  # 302,403,403,403,403,403,403,403,302,404,403,403
    "partners:referral_detail": ("GET", "DAADDDDDADDD"),  # 302,200,200,404,403,403,403,403,200,404,403,403
    "partners:referral_list": ("GET", "DAAADDAAAADD"),  # liaisons: their agency's (issue 25)
    "partners:referral_export": ("GET", "DAAADDAAAADD"),  # as its list page
    "partners:referral_send": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "partners:service_record_create": ("GET", "DDDDDDDDAADD"),  # 302,403,403,403,403,403,403,403,200,200,403,403
    "partners:service_record_list": ("GET", "DAAADDDDAADD"),  # 302,200,200,200,403,403,403,403,200,200,403,403
    "partners:service_record_export": ("GET", "DAAADDDDAADD"),  # as its list page
    "partners:social_worker_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:social_worker_detail": ("GET", "DAAADDDDADDD"),  # 302,200,200,200,403,403,403,403,200,404,403,403
    "partners:social_worker_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:social_worker_list": ("GET", "DAAADDDDAADD"),  # 302,200,200,200,403,403,403,403,200,200,403,403
    "pilot-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:dashboard": ("GET", "DADDDDDDDDAD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:plan-detail": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:plan-list": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:progress-report-detail": ("GET", "DAADDDDDDDAA"),  # 401,200,200,404,404,404,404,404,404,404,200,200
    "pilot-api:progress-report-list": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:progress-report-review": ("POST", "DVDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403
    "pilot-api:report-detail": ("GET", "DADDDDDDDDAD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:report-list": ("GET", "DADDDDDDDDAD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:task-detail": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:task-list": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot:dashboard": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:evidence_download": ("GET", "DAADDDDDDDAA"),  # 302,200,200,404,404,404,404,404,404,404,200,200
    "pilot:index": ("GET", "DAAAAAAAAAAA"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "pilot:plan_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:plan_detail": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:plan_import": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:plan_list": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:plan_summary": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:progress_detail": ("GET", "DAADDDDDDDAA"),  # 302,200,200,404,404,404,404,404,404,404,200,200
    "pilot:progress_list": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:progress_export": ("GET", "DAAAAAAAAAAA"),  # as its list page
    "pilot:report_detail": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_download": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_list": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_request": ("POST", "DADDDDDDDDAD"),  # 302,302,403,403,403,403,403,403,403,403,302,403
    "pilot:report_status": ("GET", "DADDDDDDDDAD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:stage_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:task_create": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:task_detail": ("GET", "DAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:task_edit": ("GET", "DADDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "remittance-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "remittance-api:appointment-detail": ("GET", "DAADDAADDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:appointment-list": ("GET", "DAAADAADDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:appointment-outcome": ("POST", "DVVDDVDDDDDD"),  # 401,400,400,404,403,400,403,403,403,403,403,403
    "remittance-api:batch-approve": ("POST", "DDDDDDDDDDDD"),  # 401,403,403,403,403,403,403,403,403,403,403,403 (city made the demo batch; a second city officer checks it)
    "remittance-api:batch-bank-file": ("POST", "DVDDDVDDDDDD"),  # 401,409,403,403,403,409,403,403,403,403,403,403
    "remittance-api:batch-detail": ("GET", "DADDDAADDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-list": ("GET", "DADDDAADDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-reconciliation": ("GET", "DADDDAADDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-reject": ("POST", "DVDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403 (checkers only)
    "remittance-api:batch-results": ("POST", "DVDDDVDDDDDD"),  # 401,400,403,403,403,400,403,403,403,403,403,403
    "remittance-api:import-commit": ("POST", "DVDDDVVDDDDD"),  # 401,409,403,403,403,409,409,403,403,403,403,403 (IAS hands over its roster)
    "remittance-api:import-detail": ("GET", "DADDDAADDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:import-discard": ("POST", "DVDDDVVDDDDD"),  # 401,409,403,403,403,409,409,403,403,403,403,403
    "remittance-api:import-list": ("GET", "DADDDAADDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:onboarding-list": ("GET", "DAAADAADDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:payment-detail": ("GET", "DAADDAADDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:payment-list": ("GET", "DAAADAADDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:recipient-detail": ("GET", "DAADDAADDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:bank-appointment-detail": ("GET", "DDDDDDDDDDDD"),  # bank staff only: test_permission_matrix_bank.py
    "remittance-api:bank-appointment-list": ("GET", "DDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-appointment-outcome": ("POST", "DDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-detail": ("GET", "DDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-list": ("GET", "DDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-step": ("POST", "DDDDDDDDDDDD"),  # bank staff only
    "remittance-api:recipient-reinstate": ("POST", "DVVDDDDDDDDD"),  # 401,409,409,404,403,403,403,403,403,403,403,403 (civil affairs; the demo record is active)
    "remittance-api:recipient-list": ("GET", "DAAADAADDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance:appointment_create": ("POST", "DAADDADDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:appointment_list": ("GET", "DAAADAADDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:appointment_outcome": ("POST", "DAADDADDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:bank_appointment_outcome": ("POST", "DDDDDDDDDDDD"),  # bank staff only: test_permission_matrix_bank.py
    "remittance:bank_desk": ("GET", "DDDDDDDDDDDD"),  # bank staff only
    "remittance:bank_recipient": ("GET", "DDDDDDDDDDDD"),  # bank staff only
    "remittance:batch_bank_file": ("GET", "DADDDADDDDDD"),  # 302,302,403,403,403,302,403,403,403,403,403,403
    "remittance:batch_decide": ("POST", "DADDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "remittance:batch_check": ("GET", "DADDDDDDDDDD"),  # 302,200|302,403,… checkers only, as batch_decide
    "remittance:batch_approved": ("GET", "DADDDDDDDDDD"),  # 302,200|302,403,… checkers only, as batch_decide
    "remittance:batch_detail": ("GET", "DADDDAADDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:batch_list": ("GET", "DADDDAADDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:batch_results": ("POST", "DADDDADDDDDD"),  # 302,302,403,403,403,302,403,403,403,403,403,403
    "remittance:branch_list": ("GET", "DAAADAADDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:coverage": ("GET", "DAAADAADDDAD"),  # 302,200,200,200,403,200,200,403,403,403,200,403
    "remittance:import_detail": ("GET", "DADDDAADDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:import_list": ("GET", "DADDDAADDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:import_template": ("GET", "DADDDAADDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:payment_list": ("GET", "DAAADAADDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:payment_export": ("GET", "DAAADAADDDDD"),  # as its list page
    "remittance:recipient_action": ("POST", "DAADDADDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:recipient_detail": ("GET", "DAADDAADDDDD"),  # 302,200,200,404,403,200,200,403,403,403,403,403
    "remittance:recipient_list": ("GET", "DAAADAADDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:recipient_export": ("GET", "DAAADAADDDDD"),  # as its list page
    "tempaid-api:api-root": ("GET", "DAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "tempaid-api:application-detail": ("GET", "DAADDDDDDDDD"),  # 401,200,200,404,404,403,404,404,403,403,403,403
    "tempaid-api:application-list": ("GET", "DAAAADAADDDD"),  # 401,200,200,200,200,403,200,200,403,403,403,403
    "tempaid-api:application-step": ("POST", "DDVDDDDDDDDD"),  # 401,403,409,404,404,403,404,404,403,403,403,403
    "tempaid-api:fund-allocations": ("POST", "DVVVVDDDDDDD"),  # 401,400,400,400,400,403,403,403,403,403,403,403
    "tempaid-api:fund-detail": ("GET", "DAAAADDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:fund-list": ("GET", "DAAAADDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:ledger-detail": ("GET", "DADDADDDDDDD"),  # 401,200,403,403,200,403,403,403,403,403,403,403
    "tempaid-api:ledger-list": ("GET", "DADDADDDDDDD"),  # 401,200,403,403,200,403,403,403,403,403,403,403
    "tempaid-api:policy-detail": ("GET", "DAAAADDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:policy-list": ("GET", "DAAAADDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid:action": ("POST", "DAADDDDDDDDD"),  # 302,302,302,404,404,403,403,403,403,403,403,403
    "tempaid:create": ("GET", "DDAADDDDDDDD"),  # 302,403,200,200,403,403,403,403,403,403,403,403
    "tempaid:detail": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,404,403,404,404,403,403,403,403
    "tempaid:done": ("GET", "DAADDDDDDDDD"),  # 302,302,302,404,404,403,403,403,403,403,403,403 as tempaid:action
    "tempaid:document_download": ("GET", "DAADDDDDDDDD"),  # 302,200,200,404,404,403,404,404,403,403,403,403
    "tempaid:document_upload": ("POST", "DDADDDDDDDDD"),  # 302,403,302,404,403,403,403,403,403,403,403,403
    "tempaid:edit": ("GET", "DDADDDDDDDDD"),  # 302,403,200,404,403,403,403,403,403,403,403,403
    "tempaid:fund": ("GET", "DADDADDDDDDD"),  # 302,200,403,403,200,403,403,403,403,403,403,403
    "tempaid:list": ("GET", "DAAAADAADDDD"),  # 302,200,200,200,200,403,200,200,403,403,403,403
    "tempaid:export": ("GET", "DAAAADAADDDD"),  # as its list page
    "tempaid:policies": ("GET", "DAAAADDDDDDD"),  # 302,200,200,200,200,403,403,403,403,403,403,403
    "tempaid:statement": ("GET", "DADDADDDDDDD"),  # 302,200,403,403,200,403,403,403,403,403,403,403
    "tempaid:ledger_export": ("GET", "DADDADDDDDDD"),  # as its list page
}

#: Routes the MATRIX walks with POST that also answer GET with their one-form page (a step's
#: own short page): (the step parameter or None, the answer per role). Same role order.
FORM_PAGES: dict[str, tuple[str | None, str]] = {
    "infosharing:authorization_revoke": (None, "DAADDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403 (the check page)
    "infosharing:request_route": (None, "DADDDDDDDDDD"),  # 302,302,404,404,403,403,404,404,403,403,403,403 (a draft: back to the request)
    "infosharing:request_step": ("withdraw", "DDADDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403 (the requester's page)
}

#: API list routes that also create (POST), sent empty: ``V`` = the role may create and reached
#: validation (400), ``D`` = denied; nothing may change either way. Same role order as MATRIX.
CREATES: dict[str, str] = {
    "cases-api:action-item-progress": "DVVDDDDDDDDD",  # 401,400,400,403,403,404,403,403,404,404,403,403
    "cases-api:case-list": "DVVVDDDDDDDD",  # 401,400,400,400,403,403,403,403,403,403,403,403
    "cases-api:merge-list": "DVVVDDVVDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "cases-api:person-list": "DVVVDDVVDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403 (liaisons register their own residents, issue 25)
    "infosharing-api:authorization-list": "DVVVDDVVDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "infosharing-api:urgent-notification-list": "DVVVDDVVDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "infosharing-api:verification-request-list": "DVVVDDVVDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "partners-api:contract-list": "DVDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "partners-api:organisation-list": "DVDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "partners-api:referral-list": "DVVVDDVVDDDD",  # liaisons refer their people (issue 25)
    "partners-api:service-record-list": "DDDDDDDDVVDD",  # 401,403,403,403,403,403,403,403,400,400,403,403
    "partners-api:social-worker-list": "DVDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "pilot-api:plan-list": "DVDDDDDDDDDD",  # reviewed: the city bureau enters plans
    "pilot-api:progress-report-list": "DVVVVVDDVVDD",  # reviewed: the reporting units (city, district, finance, finwork, ngo)
    "pilot-api:report-list": "DADDDDDDDDAD",  # 401,201,403,403,403,403,403,403,403,403,201,403
    "pilot-api:task-list": "DVDDDDDDDDDD",  # reviewed: the city bureau enters tasks
    "remittance-api:appointment-list": "DVVVDVDDDDDD",  # 401,400,400,400,403,400,403,403,403,403,403,403
    "remittance-api:batch-list": "DVDDDDDDDDDD",  # reviewed: only civil affairs (city) prepares
    "remittance-api:import-list": "DVDDDVVDDDDD",  # 401,400,403,403,403,400,400,403,403,403,403,403
    "remittance-api:onboarding-list": "DVVVDVDDDDDD",  # 401,400,400,400,403,400,403,403,403,403,403,403
    "tempaid-api:application-list": "DDVVDDDDDDDD",  # reviewed: district officers file
    "tempaid-api:policy-list": "DVDDDDDDDDDD",  # reviewed: the city bureau sets the policy
}
