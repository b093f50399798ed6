"""The attestation's text as the participant is shown it, kept with its hash: what she
confirms is that very text, not one rebuilt at the oath (a name corrected since, a role)."""

from __future__ import annotations

from bot.attestations.evidence import attestation_text, text_sha256
from bot.bilans.view import BilanView
from bot.conversations.attestations.identity import SHOWN_AT
from bot.conversations.kit.context import Context


def text_for(ctx: Context, info: BilanView) -> str:
    """The attestation for the answers given so far."""
    return attestation_text(
        info,
        name=str(ctx.data.get("name", "")),
        role=str(ctx.data.get("role", "delegate")),
        structure=ctx.data.get("structure"),
    )


def freeze_text(ctx: Context, info: BilanView) -> None:
    """Keep the attestation as shown, with its hash: what is confirmed is that text."""
    text = text_for(ctx, info)
    ctx.data["text"] = text
    ctx.data["text_sha256"] = text_sha256(text)
    ctx.data[SHOWN_AT] = ctx.later_of_now.isoformat()  # when it goes out, not when asked
