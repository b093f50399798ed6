"""Language: what a sentence typed outside any conversation most likely asks for."""

from bot.conversations.language import suggest
from bot.manifest import Feature

FEATURE = Feature(name="language", free_text=(suggest.closest_commands,))
