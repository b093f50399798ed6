"""Bilans: scheduling, listing and moving the remote or on-site bilan."""

from bot.conversations.bilans import bilan
from bot.manifest import Feature

FEATURE = Feature(name="bilans", flows=bilan.FLOWS)
