from zhuao.roles import Role

_VIEW = {"remittance.view_recipient", "remittance.view_onboardingevent",
         "remittance.view_appointment", "remittance.view_bankbranch",
         "remittance.view_batch", "remittance.view_payment", "remittance.view_resultfile"}
_ONBOARDING = {"remittance.change_recipient", "remittance.add_onboardingevent",
               "remittance.add_appointment", "remittance.change_appointment"}
_RUN = {"remittance.view_importrun", "remittance.add_importrun", "remittance.add_recipient",
        "remittance.add_bankbranch", "remittance.change_bankbranch", "remittance.add_batch",
        "remittance.change_batch", "remittance.add_resultfile"}

ROLE_PERMISSIONS = {
    Role.CITY: _VIEW | _ONBOARDING | _RUN,
    Role.FINWORK: _VIEW | _ONBOARDING | _RUN,
    Role.DISTRICT: {"remittance.view_recipient", "remittance.view_onboardingevent",
                    "remittance.view_appointment", "remittance.view_bankbranch",
                    "remittance.view_payment"} | _ONBOARDING,
    # IAS hands over its roster: it uploads and commits roster imports.
    Role.MACAU: _VIEW | {"remittance.view_importrun", "remittance.add_importrun",
                         "remittance.add_recipient"},
    # A partner bank's staff: the appointments and card steps of recipients routed to their
    # bank (which rows: remittance.selectors.bank_*).
    Role.BANK: {"remittance.view_appointment", "remittance.change_appointment",
                "remittance.view_bankbranch", "remittance.add_onboardingevent"},
}
