"""``/journal``: the organisation's audit trail as a CSV, for admins only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bot.storage.db import Database
from tests.auxil.attestations import add_colleague, insert_other_organisation
from tests.auxil.dialogue import Person
from tests.test_privacy_access import AUDIT_HEADERS


async def test_an_admin_receives_the_trail_without_names(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    await trainer.says("/effacer Hugo")
    await trainer.presses("Effacer définitivement")
    await insert_other_organisation(db)  # its entries are not shown here
    await trainer.says("/journal")
    [reply] = trainer.replies
    assert reply.document is not None and reply.document.filename == "journal-organisme.csv"
    content = reply.document.content.decode()
    assert next(csv.reader(io.StringIO(content))) == AUDIT_HEADERS
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [(r["action"], r["objet"]) for r in rows] == [("erase", "trainee")]
    assert "Hugo" not in content and "Moreau" not in content
    assert "1 action, de la plus ancienne à la plus récente" in trainer.last
    assert "(date, personne qui a agi, action, objet)" in trainer.last

    await add_colleague(db)
    colleague = person("colleague")
    await colleague.says("/journal")
    assert "réservée aux administrateurs" in colleague.last
    assert colleague.replies[0].document is None
