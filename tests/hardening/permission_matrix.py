"""The permission matrix: every route of the pages and the API × every role → the expected
answer. Roles, in the order of each answer string (see matrix_engine.ROLES):

    anonymous city district(香洲, the owning district) district2(斗门, another district) finance
    finwork macau hengqin ngo(开坊, the referred organisation) ngo2(工联, another) leader admin
    secadmin auditadmin

The three administrators hold separated duties (三权分立, SECURITY.md): ``admin`` (the system
administrator: users, agencies, reference data) reaches neither the audit trail nor the
lockouts; ``secadmin`` (the security administrator) only the lockouts and sign-outs, besides
what every signed-in user has (own inbox, tokens, sessions, help); ``auditadmin`` only the
audit trail and its export.

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
    "api_root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "api_whoami": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "api_inbox": ("GET", "DAAAAAAAAAAAAA"),  # 401, then everyone's own inbox
    "api_my_work": ("GET", "DAAAAAAAAAAAAA"),  # 401, then everyone's own work list
    "audit_list": ("GET", "DDDDDDDDDDDDDA"),  # 302,403,403,403,403,403,403,403,403,403,403,200
    "token_list": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "token_revoke": ("POST", "DAAAAAAAAAAAAA"),  # 302 to login; 302 back to the list with a message
    "session_list": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "api_token_list": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "lockout_list": ("GET", "DDDDDDDDDDDDAD"),  # 302,403,403,403,403,403,403,403,403,403,403,200
    "audit_export": ("GET", "DDDDDDDDDDDDDA"),  # the audit administrator's export of its search
    "user_sign_out": ("POST", "DDDDDDDDDDDDAD"),  # 302 back to the lockouts with a message
    "lockout_unlock": ("POST", "DDDDDDDDDDDDAD"),  # 302,403,403,403,403,403,403,403,403,403,403,302
    "cases-api:action-item-detail": ("GET", "DAAAADAADDADDD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:action-item-list": ("GET", "DAAAAAAAAAADDD"),  # 401,200,200,200,200,200,200,200,200,200,200,403
    "cases-api:action-item-progress": ("GET", "DAAAADAADDADDD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:case-detail": ("GET", "DAADDDADDDDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:case-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:case-search": ("POST", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:household-detail": ("GET", "DAADDDADDDDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:household-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:liaison-detail": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:liaison-list": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "cases-api:merge-decide": ("POST", "DVDDDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403
    "cases-api:merge-detail": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "cases-api:merge-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:merge-undo": ("POST", "DVDDDDDDDDDDDD"),  # 401,409,403,403,403,403,403,403,403,403,403,403
    "cases-api:meeting-agenda": ("GET", "DAAAADAADDADDD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:meeting-detail": ("GET", "DAAAADAADDADDD"),  # 401,200,200,200,200,404,200,200,404,404,200,403
    "cases-api:meeting-list": ("GET", "DAAAAAAAAAADDD"),  # 401,200,200,200,200,200,200,200,200,200,200,403
    "cases-api:person-detail": ("GET", "DAADDDADDDDDDD"),  # 401,200,200,404,403,403,200,404,403,403,403,403
    "cases-api:person-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases-api:person-search": ("POST", "DAAADDAADDDDDD"),
    "cases-api:person-share": ("POST", "DDDDDDDDDDDDDD"),  # see cases:person_share
    "cases-api:person-unshare": ("POST", "DDDDDDDDDDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "cases:action_item_add": ("POST", "DVDDDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:action_item_detail": ("GET", "DAAAADAADDADDD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:action_item_list": ("GET", "DAAAAAAAAAADDD"),  # 302,200,200,200,200,200,200,200,200,200,200,403
    "cases:action_item_export": ("GET", "DAAAAAAAAAADDD"),  # as its list page
    "cases:agenda_add": ("POST", "DVDDDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:agenda_withdraw": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:case_attachment": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_attachment_download": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:case_create": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:case_detail": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:case_edit": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:case_export": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_list": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_note": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_propose_key_case": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_share": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_status": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:case_unshare": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:decision_add": ("POST", "DVDDDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:household_create": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:household_detail": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:household_edit": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:household_member_add": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:household_member_remove": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:income_add": ("POST", "DVVDDDDDDDDDDD"),  # 302,400,400,404,403,403,403,403,403,403,403,403
    "cases:income_remove": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "cases:liaison_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:liaison_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:liaison_list": ("GET", "DAAAAAAAAAAADD"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "cases:meeting_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:meeting_detail": ("GET", "DAAAADAADDADDD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:meeting_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:meeting_list": ("GET", "DAAAAAAAAAADDD"),  # 302,200,200,200,200,200,200,200,200,200,200,403
    "cases:meeting_minutes_pdf": ("GET", "DAAAADAADDADDD"),  # 302,200,200,200,200,404,200,200,404,404,200,403
    "cases:meeting_step": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:minutes_save": ("POST", "DVDDDDDDDDDDDD"),  # 302,400,403,403,403,403,403,403,403,403,403,403
    "cases:minutes_done": ("GET", "DADDDDDDDDDDDD"),  # 302,302|200,403,… the secretariat only, as meeting_step
    "cases:pending_assign": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "cases:merge_detail": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "cases:merge_done": ("GET", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403 (a proposal: back to its check page)
    "cases:merge_propose": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:pending_reviews": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "cases:person_create": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403 (liaisons register their own residents, issue 25)
    "cases:person_detail": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:person_overview_pdf": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403
    "cases:person_edit": ("GET", "DAADDDDDDDDDDD"),
    # a Zhuhai record: only its Macau or Hengqin owner shares a person (issue 25); the
    # inbound records are walked in test_permission_matrix_inbound.py
    "cases:person_share": ("POST", "DDDDDDDDDDDDDD"),
    "cases:person_unshare": ("POST", "DDDDDDDDDDDDDD"),  # 302,200,200,404,403,403,403,403,403,403,403,403
    "cases:person_list": ("GET", "DAAADDAADDDDDD"),
    "cases:person_export": ("GET", "DAAADDAADDDDDD"),  # as its list page
    # the type-ahead lookups: those who may open a person's page (an empty query finds nothing)
    "cases:person_lookup": ("POST", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "cases:case_lookup": ("POST", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    # the header's search: every signed-in user; each kind through its own visibility door
    "global_search": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "api_global_search": ("POST", "DVVVVVVVVVVVVV"),  # 401,400,400,400,400,400,400,400,400,400,400,400
    "cases:possible_duplicates": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "help": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "help_topic": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "home": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "inbox": ("GET", "DAAAAAAAAAAAAA"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "inbox_open": ("GET", "DAAAAAAAAAAAAA"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "inbox_read_all": ("POST", "DAAAAAAAAAAAAA"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "infosharing-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "infosharing-api:authorization-detail": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:authorization-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:authorization-revoke": ("POST", "DVVDDDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:authorization-scan": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    # the demo's first bulletin is the open two-way one (issue 25): its writing sides see it,
    # recipients only once it is published (tests/infosharing/test_views_bulletins.py)
    "infosharing-api:bulletin-acknowledge": ("POST", "DVDDDDVVDDDDDD"),  # 401,409,404,404,403,403,409,409,403,403,403,403 (not published yet)
    "infosharing-api:bulletin-detail": ("GET", "DADDDDAADDDDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-pdf": ("GET", "DADDDDAADDDDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403
    "infosharing-api:bulletin-publish": ("POST", "DADDDDDDDDDDDD"),  # 401,200,404,404,403,403,403,403,403,403,403,403 (a city officer publishes)
    "infosharing-api:bulletin-section": ("POST", "DADDDDAADDDDDD"),  # 401,200,404,404,403,403,200,200,403,403,403,403 (each its own side's section)
    # one urgent notification: as its page, for anyone the selector lets see it (issue 23, 3)
    "infosharing-api:urgent-notification-acknowledge": ("POST", "DDDDDDDDDDDDDD"),  # 401,404,404,404,404,404,404,404,404,404,404,404
    "infosharing-api:urgent-notification-detail": ("GET", "DAADDDADDDDDDD"),  # 401,200,200,404,404,404,200,404,404,404,404,404
    "infosharing-api:urgent-notification-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:verification-request-answer": ("POST", "DVVDDDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-close": ("POST", "DDVDDDDDDDDDDD"),  # 401,403,409,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-decline": ("POST", "DVVDDDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-detail": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-findings": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-list": ("GET", "DAAADDAADDDDDD"),  # 401,200,200,200,403,403,200,200,403,403,403,403
    "infosharing-api:verification-request-receive": ("POST", "DDDDDDDDDDDDDD"),  # 401,403,403,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-route": ("POST", "DVDDDDDDDDDDDD"),  # 401,400,403,404,403,403,404,404,403,403,403,403 (a city officer routes inbound requests)
    "infosharing-api:verification-request-return-": ("POST", "DVVDDDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-send": ("POST", "DDADDDDDDDDDDD"),  # 401,403,200,404,403,403,404,404,403,403,403,403
    "infosharing-api:verification-request-withdraw": ("POST", "DVVDDDDDDDDDDD"),  # 401,400,400,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_create": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:authorization_detail": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_list": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:authorization_revoke": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403
    "infosharing:authorization_revoked": ("GET", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403 (not revoked: back to its page)
    "infosharing:authorization_scan": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:bulletin_acknowledge": ("POST", "DADDDDAADDDDDD"),  # 302,302,404,404,403,403,302,302,403,403,403,403 (refused: not published yet)
    "infosharing:bulletin_detail": ("GET", "DADDDDAADDDDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403
    "infosharing:bulletin_list": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:bulletin_export": ("GET", "DAAADDAADDDDDD"),  # as its list page
    "infosharing:bulletin_pdf": ("GET", "DADDDDAADDDDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403
    "infosharing:bulletin_publish": ("GET", "DADDDDDDDDDDDD"),  # 302,200,404,404,403,403,404,404,403,403,403,403 (a city officer publishes)
    "infosharing:bulletin_section": ("GET", "DADDDDAADDDDDD"),  # 302,200,404,404,403,403,200,200,403,403,403,403 (each its own side's section)
    "infosharing:index": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_answer": ("GET", "DDDDDDDDDDDDDD"),  # 302,404,404,404,403,403,404,404,403,403,403,403
    "infosharing:request_attachment": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,403,403,200,404,403,403,403,403 (an answered request)
    "infosharing:request_authorization_scan": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_close": ("GET", "DDADDDDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403 (the requester's check page; a draft shows why it cannot close)
    "infosharing:request_closed": ("GET", "DDADDDDDDDDDDD"),  # 302,404,302,404,403,403,404,404,403,403,403,403 (not closed: back to the request)
    "infosharing:request_create": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_detail": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_edit": ("GET", "DDADDDDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403
    "infosharing:request_list": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:request_export": ("GET", "DAAADDAADDDDDD"),  # as its list page
    "infosharing:request_route": ("POST", "DADDDDDDDDDDDD"),  # 302,302,404,404,403,403,404,404,403,403,403,403 (a city officer routes inbound requests)
    "infosharing:request_step": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,404,404,403,403,403,403
    "infosharing:urgent_acknowledge": ("POST", "DAADDDADDDDDDD"),  # 302,302,302,404,404,404,302,404,404,404,404,404
    "infosharing:urgent_create": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:urgent_detail": ("GET", "DAADDDADDDDDDD"),  # 302,200,200,404,404,404,200,404,404,404,404,404
    "infosharing:urgent_list": ("GET", "DAAADDAADDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "partners-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "partners-api:contract-detail": ("GET", "DAAAADDDADDDDD"),  # 401,200,200,200,200,403,403,403,200,404,403,403
    "partners-api:contract-list": ("GET", "DAAAADDDAADDDD"),  # 401,200,200,200,200,403,403,403,200,200,403,403
    "partners-api:evaluation-detail": ("GET", "DADDADDDADDDDD"),  # 401,200,403,403,200,403,403,403,200,404,403,403
    "partners-api:evaluation-list": ("GET", "DADDADDDAADDDD"),  # 401,200,403,403,200,403,403,403,200,200,403,403
    "partners-api:organisation-detail": ("GET", "DAAAADDDADDDDD"),  # 401,200,200,200,200,403,403,403,200,404,403,403
    "partners-api:organisation-list": ("GET", "DAAAADDDAADDDD"),  # 401,200,200,200,200,403,403,403,200,200,403,403
    "partners-api:referral-accept": ("POST", "DDDDDDDDVDDDDD"),  # 401,403,403,403,403,403,403,403,409,404,403,403
    "partners-api:referral-decline": ("POST", "DDDDDDDDVDDDDD"),  # 401,403,403,403,403,403,403,403,400,404,403,403
    "partners-api:referral-detail": ("GET", "DAADDDDDADDDDD"),  # 401,200,200,404,403,403,403,403,200,404,403,403
    "partners-api:referral-list": ("GET", "DAAADDAAAADDDD"),  # liaisons: their agency's (issue 25)
    "partners-api:referral-send": ("POST", "DVVDDDDDDDDDDD"),  # 401,409,409,404,403,403,403,403,403,403,403,403
    "partners-api:service-record-detail": ("GET", "DAADDDDDADDDDD"),  # 401,200,200,404,403,403,403,403,200,404,403,403
    "partners-api:service-record-list": ("GET", "DAAADDDDAADDDD"),  # 401,200,200,200,403,403,403,403,200,200,403,403
    "partners-api:social-worker-detail": ("GET", "DAAADDDDADDDDD"),  # 401,200,200,200,403,403,403,403,200,404,403,403
    "partners-api:social-worker-list": ("GET", "DAAADDDDAADDDD"),  # 401,200,200,200,403,403,403,403,200,200,403,403
    "partners:contract_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:contract_detail": ("GET", "DAAAADDDADDDDD"),  # 302,200,200,200,200,403,403,403,200,404,403,403
    "partners:contract_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:contract_kpi_add": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:contract_list": ("GET", "DAAAADDDAADDDD"),  # 302,200,200,200,200,403,403,403,200,200,403,403
    "partners:contract_step": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_approve": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:evaluation_detail": ("GET", "DADDADDDADDDDD"),  # 302,200,403,403,200,403,403,403,200,404,403,403
    "partners:figures": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "partners:milestone_add": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "partners:milestone_release": ("POST", "DDDDADDDDDDDDD"),  # 302,403,403,403,302,403,403,403,403,403,403,403
    "partners:organisation_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:organisation_detail": ("GET", "DAAAADDDADDDDD"),  # 302,200,200,200,200,403,403,403,200,404,403,403
    "partners:organisation_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:organisation_list": ("GET", "DAAAADDDAADDDD"),  # 302,200,200,200,200,403,403,403,200,200,403,403
    "partners:referral_accept": ("POST", "DDDDDDDDADDDDD"),  # 302,403,403,403,403,403,403,403,302,404,403,403
    "partners:referral_close": ("POST", "DAADDDDDADDDDD"),  # 302,302,302,404,403,403,403,403,302,404,403,403
    "partners:referral_closed": ("GET", "DAADDDDDADDDDD"),  # 302,302,302,404,403,403,403,403,302,404,403,403 as referral_close
    "partners:referral_consent": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "partners:referral_consent_download": ("GET", "DDDDDDDDDDDDDD"),  # 302,404,404,404,403,403,403,403,403,403,403,403
    "partners:referral_create": ("GET", "DAAADDAADDDDDD"),  # liaisons refer their people (issue 25)
    "partners:referral_decline": ("POST", "DDDDDDDDADDDDD"),  # 302,403,403,403,403,403,403,403,302,404,403,403
    "partners:referral_detail": ("GET", "DAADDDDDADDDDD"),  # 302,200,200,404,403,403,403,403,200,404,403,403
    "partners:referral_list": ("GET", "DAAADDAAAADDDD"),  # liaisons: their agency's (issue 25)
    "partners:referral_export": ("GET", "DAAADDAAAADDDD"),  # as its list page
    "partners:referral_send": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,403,403,403,403,403,403,403,403
    "partners:service_record_create": ("GET", "DDDDDDDDAADDDD"),  # 302,403,403,403,403,403,403,403,200,200,403,403
    "partners:service_record_list": ("GET", "DAAADDDDAADDDD"),  # 302,200,200,200,403,403,403,403,200,200,403,403
    "partners:service_record_export": ("GET", "DAAADDDDAADDDD"),  # as its list page
    "partners:social_worker_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:social_worker_detail": ("GET", "DAAADDDDADDDDD"),  # 302,200,200,200,403,403,403,403,200,404,403,403
    "partners:social_worker_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "partners:social_worker_list": ("GET", "DAAADDDDAADDDD"),  # 302,200,200,200,403,403,403,403,200,200,403,403
    "pilot-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:dashboard": ("GET", "DADDDDDDDDADDD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:plan-detail": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:plan-list": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:progress-report-detail": ("GET", "DAADDDDDDDAADD"),  # 401,200,200,404,404,404,404,404,404,404,200,200
    "pilot-api:progress-report-list": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:progress-report-review": ("POST", "DVDDDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403
    "pilot-api:report-detail": ("GET", "DADDDDDDDDADDD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:report-list": ("GET", "DADDDDDDDDADDD"),  # 401,200,403,403,403,403,403,403,403,403,200,403
    "pilot-api:task-detail": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot-api:task-list": ("GET", "DAAAAAAAAAAADD"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "pilot:dashboard": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:evidence_download": ("GET", "DAADDDDDDDAADD"),  # 302,200,200,404,404,404,404,404,404,404,200,200
    "pilot:index": ("GET", "DAAAAAAAAAAADD"),  # 302,302,302,302,302,302,302,302,302,302,302,302
    "pilot:plan_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:plan_detail": ("GET", "DAAAAAAAAAAADD"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:plan_import": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:plan_list": ("GET", "DAAAAAAAAAAADD"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:plan_summary": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:progress_detail": ("GET", "DAADDDDDDDAADD"),  # 302,200,200,404,404,404,404,404,404,404,200,200
    "pilot:progress_list": ("GET", "DAAAAAAAAAAADD"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:progress_export": ("GET", "DAAAAAAAAAAADD"),  # as its list page
    "pilot:report_detail": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_download": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_list": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:report_request": ("POST", "DADDDDDDDDADDD"),  # 302,302,403,403,403,403,403,403,403,403,302,403
    "pilot:report_status": ("GET", "DADDDDDDDDADDD"),  # 302,200,403,403,403,403,403,403,403,403,200,403
    "pilot:stage_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:task_create": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "pilot:task_detail": ("GET", "DAAAAAAAAAAADD"),  # 302,200,200,200,200,200,200,200,200,200,200,200
    "pilot:task_edit": ("GET", "DADDDDDDDDDDDD"),  # 302,200,403,403,403,403,403,403,403,403,403,403
    "remittance-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "remittance-api:appointment-detail": ("GET", "DAADDAADDDDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:appointment-list": ("GET", "DAAADAADDDDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:appointment-outcome": ("POST", "DVVDDVDDDDDDDD"),  # 401,400,400,404,403,400,403,403,403,403,403,403
    "remittance-api:batch-approve": ("POST", "DDDDDDDDDDDDDD"),  # 401,403,403,403,403,403,403,403,403,403,403,403 (city made the demo batch; a second city officer checks it)
    "remittance-api:batch-bank-file": ("POST", "DVDDDVDDDDDDDD"),  # 401,409,403,403,403,409,403,403,403,403,403,403
    "remittance-api:batch-detail": ("GET", "DADDDAADDDDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-list": ("GET", "DADDDAADDDDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-reconciliation": ("GET", "DADDDAADDDDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:batch-reject": ("POST", "DVDDDDDDDDDDDD"),  # 401,400,403,403,403,403,403,403,403,403,403,403 (checkers only)
    "remittance-api:batch-results": ("POST", "DVDDDVDDDDDDDD"),  # 401,400,403,403,403,400,403,403,403,403,403,403
    "remittance-api:import-commit": ("POST", "DVDDDVVDDDDDDD"),  # 401,409,403,403,403,409,409,403,403,403,403,403 (IAS hands over its roster)
    "remittance-api:import-detail": ("GET", "DADDDAADDDDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:import-discard": ("POST", "DVDDDVVDDDDDDD"),  # 401,409,403,403,403,409,409,403,403,403,403,403
    "remittance-api:import-list": ("GET", "DADDDAADDDDDDD"),  # 401,200,403,403,403,200,200,403,403,403,403,403
    "remittance-api:onboarding-list": ("GET", "DAAADAADDDDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:payment-detail": ("GET", "DAADDAADDDDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:payment-list": ("GET", "DAAADAADDDDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance-api:recipient-detail": ("GET", "DAADDAADDDDDDD"),  # 401,200,200,404,403,200,200,403,403,403,403,403
    "remittance-api:bank-appointment-detail": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only: test_permission_matrix_bank.py
    "remittance-api:bank-appointment-list": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-appointment-outcome": ("POST", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-detail": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-list": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-step": ("POST", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:recipient-reinstate": ("POST", "DVVDDDDDDDDDDD"),  # 401,409,409,404,403,403,403,403,403,403,403,403 (civil affairs; the demo record is active)
    "remittance-api:recipient-list": ("GET", "DAAADAADDDDDDD"),  # 401,200,200,200,403,200,200,403,403,403,403,403
    "remittance:appointment_create": ("POST", "DAADDADDDDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:appointment_list": ("GET", "DAAADAADDDDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:appointment_outcome": ("POST", "DAADDADDDDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:bank_appointment_outcome": ("POST", "DDDDDDDDDDDDDD"),  # bank staff only: test_permission_matrix_bank.py
    "remittance:bank_desk": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance:bank_recipient": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance:batch_bank_file": ("GET", "DADDDADDDDDDDD"),  # 302,302,403,403,403,302,403,403,403,403,403,403
    "remittance:batch_decide": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,403,403,403,403,403,403,403,403,403
    "remittance:batch_check": ("GET", "DADDDDDDDDDDDD"),  # 302,200|302,403,… checkers only, as batch_decide
    "remittance:batch_approved": ("GET", "DADDDDDDDDDDDD"),  # 302,200|302,403,… checkers only, as batch_decide
    "remittance:batch_detail": ("GET", "DADDDAADDDDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:batch_list": ("GET", "DADDDAADDDDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:batch_results": ("POST", "DADDDADDDDDDDD"),  # 302,302,403,403,403,302,403,403,403,403,403,403
    "remittance:branch_list": ("GET", "DAAADAADDDDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:coverage": ("GET", "DAAADAADDDADDD"),  # 302,200,200,200,403,200,200,403,403,403,200,403
    "remittance:import_detail": ("GET", "DADDDAADDDDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:import_list": ("GET", "DADDDAADDDDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:import_template": ("GET", "DADDDAADDDDDDD"),  # 302,200,403,403,403,200,200,403,403,403,403,403
    "remittance:payment_list": ("GET", "DAAADAADDDDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:payment_export": ("GET", "DAAADAADDDDDDD"),  # as its list page
    "remittance:recipient_action": ("POST", "DAADDADDDDDDDD"),  # 302,302,302,404,403,302,403,403,403,403,403,403
    "remittance:recipient_detail": ("GET", "DAADDAADDDDDDD"),  # 302,200,200,404,403,200,200,403,403,403,403,403
    "remittance:recipient_list": ("GET", "DAAADAADDDDDDD"),  # 302,200,200,200,403,200,200,403,403,403,403,403
    "remittance:recipient_export": ("GET", "DAAADAADDDDDDD"),  # as its list page
    "tempaid-api:api-root": ("GET", "DAAAAAAAAAAAAA"),  # 401,200,200,200,200,200,200,200,200,200,200,200
    "tempaid-api:application-detail": ("GET", "DAADDDDDDDDDDD"),  # 401,200,200,404,404,403,404,404,403,403,403,403
    "tempaid-api:application-list": ("GET", "DAAAADAADDDDDD"),  # 401,200,200,200,200,403,200,200,403,403,403,403
    "tempaid-api:application-step": ("POST", "DDVDDDDDDDDDDD"),  # 401,403,409,404,404,403,404,404,403,403,403,403
    "tempaid-api:fund-allocations": ("POST", "DVVVVDDDDDDDDD"),  # 401,400,400,400,400,403,403,403,403,403,403,403
    "tempaid-api:fund-detail": ("GET", "DAAAADDDDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:fund-list": ("GET", "DAAAADDDDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:ledger-detail": ("GET", "DADDADDDDDDDDD"),  # 401,200,403,403,200,403,403,403,403,403,403,403
    "tempaid-api:ledger-list": ("GET", "DADDADDDDDDDDD"),  # 401,200,403,403,200,403,403,403,403,403,403,403
    "tempaid-api:policy-detail": ("GET", "DAAAADDDDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid-api:policy-list": ("GET", "DAAAADDDDDDDDD"),  # 401,200,200,200,200,403,403,403,403,403,403,403
    "tempaid:action": ("POST", "DAADDDDDDDDDDD"),  # 302,302,302,404,404,403,403,403,403,403,403,403
    "tempaid:create": ("GET", "DDAADDDDDDDDDD"),  # 302,403,200,200,403,403,403,403,403,403,403,403
    "tempaid:detail": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,404,403,404,404,403,403,403,403
    "tempaid:done": ("GET", "DAADDDDDDDDDDD"),  # 302,302,302,404,404,403,403,403,403,403,403,403 as tempaid:action
    "tempaid:document_download": ("GET", "DAADDDDDDDDDDD"),  # 302,200,200,404,404,403,404,404,403,403,403,403
    "tempaid:document_upload": ("POST", "DDADDDDDDDDDDD"),  # 302,403,302,404,403,403,403,403,403,403,403,403
    "tempaid:edit": ("GET", "DDADDDDDDDDDDD"),  # 302,403,200,404,403,403,403,403,403,403,403,403
    "tempaid:fund": ("GET", "DADDADDDDDDDDD"),  # 302,200,403,403,200,403,403,403,403,403,403,403
    "tempaid:list": ("GET", "DAAAADAADDDDDD"),  # 302,200,200,200,200,403,200,200,403,403,403,403
    "tempaid:export": ("GET", "DAAAADAADDDDDD"),  # as its list page
    "tempaid:policies": ("GET", "DAAAADDDDDDDDD"),  # 302,200,200,200,200,403,403,403,403,403,403,403
    "tempaid:statement": ("GET", "DADDADDDDDDDDD"),  # 302,200,403,403,200,403,403,403,403,403,403,403
    "tempaid:ledger_export": ("GET", "DADDADDDDDDDDD"),  # as its list page
    "ops_status": ("GET", "DDDDDDDDDDDADD"),  # 302, 403 for all but the system administrator
    "cases:person_import": ("GET", "DAAADDDDDDDDDD"),  # city and district officers
    "cases:person_import_detail": ("GET", "DDADDDDDDDDDDD"),  # the uploading agency only (404)
    "cases:person_import_template": ("GET", "DAAADDDDDDDDDD"),
    "cases:meeting_calendar": ("GET", "DAAAAAAAAAADDD"),  # as meeting_list: each sees its own
    "cases:meeting_series_create": ("GET", "DADDDDDDDDDDDD"),  # the secretariat, as meeting_create
    "cases:series_end": ("POST", "DADDDDDDDDDDDD"),  # 302,302,403,…: the secretariat only
    "cases:calendar_feed": ("GET", "DAAAAAAAAAADDD"),  # one's own feed address; not the admin
    "partners:service_record_import": ("GET", "DDDDDDDDAADDDD"),  # the providers' staff
    "partners:service_record_import_detail": ("GET", "DDDDDDDDADDDDD"),  # its uploader's agency
    "partners:service_record_import_template": ("GET", "DDDDDDDDAADDDD"),
    "work_handover": ("POST", "DVVVDDDDDDDDDD"),  # city and district officers; empty form: 400  # 302,200,200,200,200,200,200,200,200,200,200,200
    "cases:action_item_bulk_done": ("POST", "DVVVVVVVVVVDDD"),  # as its list; nothing ticked: 400  # 302,200,200,200,200,200,200,200,200,200,200,403
    "partners:service_record_bulk_approve": ("POST", "DVVVDDDDDDDDDD"),  # city and district officers; nothing ticked: 400
    "cases:case_bulk_assign": ("POST", "DVVVDDDDDDDDDD"),  # 302,200,200,200,403,403,200,200,403,403,403,403
    "infosharing:bulletin_bulk_acknowledge": ("POST", "DVVVDDVVDDDDDD"),  # nothing ticked: 400
    "infosharing:request_bulk_remind": ("POST", "DVVVDDVVDDDDDD"),  # nothing ticked: 400
    "infosharing:request_assign": ("POST", "DVVVDDVVDDDDDD"),  # the working roles; nothing ticked: 400
    "tempaid:assign": ("POST", "DDVVDDDDDDDDDD"),  # district officers; nothing ticked: 400
    "cases-api:person-reveal-document": ("POST", "DVVDDDVDDDDDDD"),  # 400 without a reason; as cases:identity_document_reveal
    "cases:identity_document_reveal": ("GET", "DAADDDADDDDDDD"),  # officers of the person's side who see it (core.reveal)
    "remittance-api:bank-recipient-reveal-account": ("POST", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:bank-recipient-reveal-document": ("POST", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance-api:recipient-reveal-account": ("POST", "DVVDDVDDDDDDDD"),  # 400 without a reason; as remittance:recipient_account_reveal
    "remittance:bank_account_reveal": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance:bank_document_reveal": ("GET", "DDDDDDDDDDDDDD"),  # bank staff only
    "remittance:recipient_account_reveal": ("GET", "DAADDADDDDDDDD"),  # who records the card onboarding
    "infosharing:authorization_form": ("GET", "DAADDDDDDDDDDD"),  # as the authorization page
    "infosharing:request_letter": ("GET", "DAADDDDDDDDDDD"),  # as the request page
    "remittance:batch_list_form": ("GET", "DADDDAADDDDDDD"),  # as the batch page
    "tempaid:approval_form": ("GET", "DAADDDDDDDDDDD"),  # as tempaid:detail, without the liaisons
    "two_factor_settings": ("GET", "DAAAAAAAAAAAAA"),  # 302 to login, then everyone's own page
    "two_factor_reset": ("GET", "DDDDDDDDDDDDAD"),  # 302 to login, 403 for all but the security administrator
}

#: Routes the MATRIX walks with POST that also answer GET with their one-form page (a step's
#: own short page): (the step parameter or None, the answer per role). Same role order.
FORM_PAGES: dict[str, tuple[str | None, str]] = {
    "infosharing:authorization_revoke": (None, "DAADDDDDDDDDDD"),  # 302,200,200,404,403,403,404,404,403,403,403,403 (the check page)
    "infosharing:request_route": (None, "DADDDDDDDDDDDD"),  # 302,302,404,404,403,403,404,404,403,403,403,403 (a draft: back to the request)
    "infosharing:request_step": ("withdraw", "DDADDDDDDDDDDD"),  # 302,404,200,404,403,403,404,404,403,403,403,403 (the requester's page)
}

#: API list routes that also create (POST), sent empty: ``V`` = the role may create and reached
#: validation (400), ``D`` = denied; nothing may change either way. Same role order as MATRIX.
CREATES: dict[str, str] = {
    "cases-api:action-item-progress": "DVVDDDDDDDDDDD",  # 401,400,400,403,403,404,403,403,404,404,403,403
    "cases-api:case-list": "DVVVDDDDDDDDDD",  # 401,400,400,400,403,403,403,403,403,403,403,403
    "cases-api:merge-list": "DVVVDDVVDDDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "cases-api:person-list": "DVVVDDVVDDDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403 (liaisons register their own residents, issue 25)
    "infosharing-api:authorization-list": "DVVVDDVVDDDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "infosharing-api:urgent-notification-list": "DVVVDDVVDDDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "infosharing-api:verification-request-list": "DVVVDDVVDDDDDD",  # 401,400,400,400,403,403,400,400,403,403,403,403
    "partners-api:contract-list": "DVDDDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "partners-api:organisation-list": "DVDDDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "partners-api:referral-list": "DVVVDDVVDDDDDD",  # liaisons refer their people (issue 25)
    "partners-api:service-record-list": "DDDDDDDDVVDDDD",  # 401,403,403,403,403,403,403,403,400,400,403,403
    "partners-api:social-worker-list": "DVDDDDDDDDDDDD",  # 401,400,403,403,403,403,403,403,403,403,403,403
    "pilot-api:plan-list": "DVDDDDDDDDDDDD",  # reviewed: the city bureau enters plans
    "pilot-api:progress-report-list": "DVVVVVDDVVDDDD",  # reviewed: the reporting units (city, district, finance, finwork, ngo)
    "pilot-api:report-list": "DADDDDDDDDADDD",  # 401,201,403,403,403,403,403,403,403,403,201,403
    "pilot-api:task-list": "DVDDDDDDDDDDDD",  # reviewed: the city bureau enters tasks
    "remittance-api:appointment-list": "DVVVDVDDDDDDDD",  # 401,400,400,400,403,400,403,403,403,403,403,403
    "remittance-api:batch-list": "DVDDDDDDDDDDDD",  # reviewed: only civil affairs (city) prepares
    "remittance-api:import-list": "DVDDDVVDDDDDDD",  # 401,400,403,403,403,400,400,403,403,403,403,403
    "remittance-api:onboarding-list": "DVVVDVDDDDDDDD",  # 401,400,400,400,403,400,403,403,403,403,403,403
    "tempaid-api:application-list": "DDVVDDDDDDDDDD",  # reviewed: district officers file
    "tempaid-api:policy-list": "DVDDDDDDDDDDDD",  # reviewed: the city bureau sets the policy
}
