"""Who may do what in the register and the secretariat (see zhuao/permissions.py for the
rule)."""
