"""The organisation setting of this feature, in the shape of the rules' settings.

``attestation_days_after`` is how long after the end of the bilan a
participant's invitation stays valid.  The seed sets no delay for the proofs
(NOR-PROOF waits 7 days by default); 30 days leaves room for a late answer
and a reminder, and a trainer can always issue a new link.  It is stored in
``Organisation.settings`` like every other setting; ``SETTINGS`` lets the
settings screen list it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.rules import Setting, SettingError
from bot.storage.people import Organisation

log = logging.getLogger(__name__)

INVITATION_DAYS = Setting(
    key="attestation_days_after",
    label="Invitation à attester (jours de validité après le bilan)",
    type=int,
    default=30,
    minimum=1,
    maximum=365,
    rules=(),
    help="La fiche ne fixe pas de délai pour les justificatifs ; un mois laisse le temps de "
    "relancer, et un nouveau lien peut toujours être envoyé.",
)

SETTINGS = (INVITATION_DAYS,)


def invitation_days(organisation: Organisation | None) -> int:
    """The organisation's value, or the default when unset or unusable."""
    raw = (organisation.settings or {}).get(INVITATION_DAYS.key) if organisation else None
    if raw is None:
        return int(INVITATION_DAYS.default)
    try:
        value = INVITATION_DAYS.check(raw)
    except SettingError:
        log.warning("organisation setting %s is invalid; default used", INVITATION_DAYS.key)
        return int(INVITATION_DAYS.default)
    return int(value)


def invitation_expiry(bilan_end: datetime, organisation: Organisation | None) -> datetime:
    return bilan_end + timedelta(days=invitation_days(organisation))
