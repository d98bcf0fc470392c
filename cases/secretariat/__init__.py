"""The joint-meeting secretariat, the second workstream of the ``cases`` app: meetings and their
calendar, agendas, decisions, minutes, action items and the liaison roster. Its models live in
``cases/models.py``; its URLs are in the ``cases`` namespace."""
