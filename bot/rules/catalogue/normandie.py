"""Région Normandie: the bilan à distance procedure (seed 000).

Every rule hangs on one remote bilan, before it or after it, except the
proofs of participation, which §III also asks after a bilan held in the
organisation's premises (the copy of the feuille d'émargement); the same
source, cited section by section, so the sources are built by ``_nor``.
"""

from __future__ import annotations

from bot.rules.model import ORG_DELAY_DAY_OFF, Milestone, Offset, Rule, Source

SEED_NOR = "000_ddadb60b9c7bf826.txt"

NOR_LABEL = "fiche procédure bilan à distance, Région Normandie"


def _nor(section: str) -> tuple[Source, ...]:
    return (Source(file=SEED_NOR, section=section, label=NOR_LABEL),)


BOOKED_LATE = (
    " ; le bilan ayant été programmé moins de {delay} à l'avance, c'est au plus tard le "
    "dernier jour ouvré qui le précède"
)
"""What a target before the bilan says when booking the bilan left less than it."""

NORMANDIE: tuple[Rule, ...] = (
    Rule(
        id="NOR-PREP",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="aménager un temps d'échange avec le groupe pour préparer le bilan ; un "
        "questionnaire d'évaluation ne suffit pas",
        audience="formateur",
        sources=_nor("§I Avant le bilan"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="days",
                    direction="before",
                    setting="nor_prep_days_before",
                ),
                title="Préparer le bilan avec le groupe",
                explanation="Temps d'échange avec le groupe à organiser d'ici {due} pour préparer "
                "le {bilan} : le remplissage d'un questionnaire d'évaluation ne suffit pas. La "
                "fiche ne fixe pas de délai : l'organisme s'est donné {delay} avant le bilan "
                "(modifiable avec /reglages)",
                what="temps d'échange avec le groupe avant le bilan (rappel)",
                postponable=True,
                booked_late=BOOKED_LATE,
            ),
        ),
    ),
    Rule(
        id="NOR-GUIDES",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="transmettre les fiches « modes d'emploi bilan à distance » aux délégués des "
        "stagiaires et aux partenaires extérieurs",
        audience="formateur",
        sources=_nor("introduction"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="days",
                    direction="before",
                    setting="nor_guides_days_before",
                ),
                title="Envoyer les modes d'emploi du bilan à distance",
                explanation="Fiches « modes d'emploi bilan à distance » à transmettre aux délégués "
                "des stagiaires et aux partenaires extérieurs d'ici {due}, en amont du {bilan}. "
                "La fiche dit « en amont » : l'organisme s'est donné {delay} avant le bilan "
                "(modifiable avec /reglages)",
                what="modes d'emploi aux délégués et aux partenaires",
                postponable=True,
                booked_late=BOOKED_LATE,
            ),
        ),
    ),
    Rule(
        id="NOR-DOCS",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="envoyer à la personne chargée de mission le bilan pédagogique complété ; "
        "éventuellement la présentation des stagiaires, le trombinoscope, des questions",
        audience="formateur",
        sources=_nor("§I"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="hours",
                    direction="before",
                    setting="nor_docs_hours_before",
                ),
                title="Envoyer le bilan pédagogique",
                explanation="Bilan pédagogique à envoyer {a_chargee} avant {due} : la fiche exige "
                "« 48h avant maximum » ; l'organisme se donne {delay} avant le bilan (modifiable avec "
                "/reglages)",
                what="bilan pédagogique complété à la personne chargée de mission",
                postponable=False,
            ),
        ),
    ),
    Rule(
        id="NOR-VISIO",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="proposer un outil de visio sécurisé (mot de passe) qui gère la prise de parole ; "
        "à défaut, le signaler à la personne chargée de mission, qui propose une solution",
        audience="organisation",
        sources=_nor("§I Outil de visioconférence"),
        milestones=(
            Milestone(
                key=None,
                # « At scheduling » (the fiche, §I, asks it before anything else): the
                # booking's own questions answer it (bot.deadlines.actions).
                offset=Offset(anchor="bilan_scheduled", unit="days", direction="after"),
                title="Vérifier l'outil de visioconférence",
                explanation="Outil de visioconférence à vérifier d'ici {due} pour le {bilan} : "
                "mot de passe exigé pour participer et gestion de la prise de parole (main levée, "
                "coupure des micros) ; faute d'un tel outil, le signaler {a_chargee}, qui proposera "
                "une solution",
                what="outil de visio sécurisé, gestion de la prise de parole",
                postponable=True,
            ),
        ),
    ),
    Rule(
        id="NOR-VISIO-LINK",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote", "bilan_link_missing"),
        trigger="bilan à distance programmé sans son lien de visio (« plus tard »)",
        origin="rappel de l'organisme : la fiche ne fixe pas de délai pour le lien",
        what="donner le lien de la visioconférence, pour que l'invitation des délégués et des "
        "partenaires le porte ; l'échéance se ferme quand le lien est ajouté dans /bilans",
        audience="formateur",
        sources=_nor("§I Outil de visioconférence"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="days",
                    direction="before",
                    setting="nor_delegates_days_before",
                ),
                title="Donner le lien de la visio",
                # The fiche asks a secured tool, not when its link is given: the delay is the
                # organisation's, and a bilan booked after it leaves the day before (explorer
                # IC2, as EB1 for NOR-PREP and NOR-GUIDES).
                explanation="Lien de la visioconférence du {bilan} à donner d'ici {due} (avec "
                "/bilans) : l'invitation des délégués et des partenaires doit le porter. La "
                "fiche ne fixe pas de délai : l'organisme s'est donné {delay} avant le bilan "
                "(modifiable avec /reglages)",
                what="lien de la visio, pour les invitations",
                postponable=True,
                booked_late=BOOKED_LATE,
            ),
        ),
    ),
    Rule(
        id="NOR-DELEGATES",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="n'inviter que les délégués des stagiaires ; si d'autres stagiaires veulent "
        "prendre la parole, se rapprocher de la personne chargée de mission",
        audience="formateur",
        sources=_nor("§I"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="bilan_scheduled", unit="days", direction="after"),
                title="Inviter les délégués seulement",
                explanation="Seuls les délégués des stagiaires sont à inviter au {bilan}, d'ici "
                "{due} ; si d'autres stagiaires souhaitent prendre la parole, en parler {a_chargee}",
                what="inviter les seuls délégués",
                postponable=True,
            ),
        ),
    ),
    Rule(
        id="NOR-PROOF",
        funder="normandie",
        programmes=None,
        scope="bilans",
        trigger="bilan tenu, à distance ou sur place",
        what="envoyer à la personne chargée de mission les justificatifs de participation : copie "
        "de la feuille d'émargement si les participants étaient sur place, sinon toutes les "
        "attestations sur l'honneur renvoyées",
        audience="formateur",
        sources=_nor("§III Après le bilan"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="bilan_end", unit="days", setting="nor_proof_days_after"),
                title="Envoyer les justificatifs de participation",
                explanation="Justificatifs de participation au {bilan} à envoyer {a_chargee} "
                "d'ici {due} : la copie de la feuille d'émargement si les participants étaient "
                "dans vos locaux, sinon l'ensemble des attestations sur l'honneur renvoyées. La "
                "fiche ne fixe pas de délai : l'organisme s'est donné {delay} après le bilan "
                "(modifiable avec /reglages)",
                what="émargement ou attestations sur l'honneur",
                postponable=True,
                day_off_after=ORG_DELAY_DAY_OFF,
                after_its_event=True,
            ),
        ),
    ),
)
