"""Bilans: scheduling, listing, moving and cancelling the remote or on-site bilan."""

from bot.bilans import sent
from bot.conversations.bilans import listing, schedule
from bot.manifest import Feature

FEATURE = Feature(
    name="bilans",
    flows=(*schedule.FLOWS, *listing.FLOWS),
    delivered=(sent.tell_trainer_of_failure,),
)
