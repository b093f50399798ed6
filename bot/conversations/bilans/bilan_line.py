"""A bilan as one choice among many: its moment, its kind and its formation, fitted.

Shared by ``/bilans`` and ``/attestations``, which both open with « which bilan? »: cut
at its end, « … – bilan de fin de formation – Titre professionnel Agent de propreté et
d'hygièn » read the same for a formation and its « – session 2 » (explorer BF1, as GE7
was for /bilans).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.bilans.view import kind_label
from bot.conversations.kit.labels import Piece, fit, listed_where_cut
from bot.conversations.kit.steps import Option

SHORT_KINDS = {"etape": "étape", "fin": "fin"}
"""A bilan's kind where the line is too long: « 12/01/2027 à 11 h 00 – fin – … »."""


def fitted_bilans(lines: Iterable[tuple[str, str, str, str]], limit: int) -> list[Option]:
    """Each ``(moment, kind, title, value)`` as « 26/11/2026 à 14 h 00 – bilan de fin de
    formation – Agent de restauration »; past ``limit``, the kind said short and the title
    cut in its middle (explorer GE7: « bilan de…rmation »), a part of the whole line typed
    still finding it. Where one is cut, every line is listed whole with the question, so the
    numbers run on (GE7: « 1. 3. 5. » read as bilans gone)."""
    options = []
    for moment, kind, title, value in lines:
        whole = f"{moment} – {kind_label(kind)} – {title}"
        shown = whole
        if len(whole) > limit:
            short = Piece(SHORT_KINDS.get(kind, "bilan"), joiner=" – ")
            cut = Piece(title, joiner=" – ", shrink=1, keep=20, middle=True)
            shown = fit([Piece(moment), short, cut], limit)
        options.append(Option(shown, value, search=whole, detail=whole))
    return listed_where_cut(options)
