"""The shared domain: agencies and staff, roles and visibility, the audit trail, identity
documents, money, notifications, files and the working-day calendars (app label "zhuao")."""
