"""Rectorat (seed 004): remote coaching is paid only after a contract and a bilan d'activités.

Both rules come from the pay section; the vacations themselves are counted in
:mod:`bot.rules.vacations`.
"""

from __future__ import annotations

from bot.rules.model import ORG_DELAY_DAY_OFF, Milestone, Offset, Rule, Source

SEED_REC = "004_b9dfb583852b8a95.txt"

REC_LABEL = "l'accompagnement à distance en formation, Rectorat"


_REC = (Source(file=SEED_REC, section="§3 Rémunération", label=REC_LABEL),)


RECTORAT: tuple[Rule, ...] = (
    Rule(
        id="REC-CONTRACT",
        funder="rectorat",
        programmes=None,
        scope="formation",
        applies_if=("remote_coaching",),
        trigger="accompagnement à distance prévu",
        what="contrat signé par la personne qui assure la formation et le responsable "
        "académique de la formation, avant la mise en place",
        audience="formateur",
        sources=_REC,
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="formation_start",
                    unit="days",
                    direction="before",
                    setting="rec_contract_days_before",
                ),
                title="Faire signer le contrat d'accompagnement à distance",
                explanation="Contrat d'accompagnement à distance à signer par la personne qui "
                "assure la formation et par le responsable académique de la formation au plus tard "
                "{due}, avant le début de la formation {formation} ({anchor}) : sans contrat "
                "préalable, pas de rémunération",
                what="contrat signé avant la mise en place",
                postponable=False,
            ),
        ),
    ),
    Rule(
        id="REC-ACTIVITY",
        funder="rectorat",
        programmes=None,
        scope="formation",
        applies_if=("remote_coaching",),
        trigger="fin d'une formation avec accompagnement à distance",
        what="bilan d'activités au correspondant de formation continue du domaine",
        audience="formateur",
        sources=_REC,
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="formation_effective_end",
                    unit="days",
                    setting="rec_activity_days_after",
                ),
                title="Envoyer le bilan d'activités",
                explanation="Bilan d'activités de l'accompagnement à distance à adresser au "
                "correspondant de formation continue du domaine après la fin de la formation "
                "{formation} : la rémunération en vacations se décide au vu de ce bilan. Le texte "
                "ne fixe pas de délai : l'organisme s'est donné {delay} après la fin, soit {due} "
                "(modifiable avec /reglages)",
                what="bilan d'activités",
                postponable=True,
                # The organisation's delay after the end (« après la formation », no « au
                # plus tard »): a day off moves it after the end, never before it; else the
                # working day before, as every such delay (explorer CD4).
                day_off_after=ORG_DELAY_DAY_OFF,
                after_its_event=True,
            ),
        ),
    ),
)
