"""Deadlines: the funders' rules, ``/echeances``, ``/reglages`` and the daily digest."""

from bot.conversations.deadlines import echeances, reglages
from bot.deadlines import catch_up, digest, exports, service
from bot.deadlines.org_settings import DIGEST_HOUR
from bot.manifest import Feature, TableExport
from bot.rules import SETTINGS as RULE_SETTINGS

FEATURE = Feature(
    name="deadlines",
    flows=(*echeances.FLOWS, *reglages.FLOWS),
    jobs=(service.close_begun_bilans, catch_up.refresh_outdated, digest.send_digests),
    tables={"echeances": TableExport(exports.COLUMNS, exports.rows, title="Échéances")},
    calendars={"echeances": exports.calendar},
    settings=(DIGEST_HOUR, *RULE_SETTINGS),
)
