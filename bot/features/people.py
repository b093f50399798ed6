"""People: getting in with ``/start``, joining an organisation, inviting a formateur."""

from bot.conversations.people import onboarding
from bot.manifest import Feature

FEATURE = Feature(
    name="people",
    flows=onboarding.FLOWS,
    start_codes=(onboarding.join_with_invitation,),
)
