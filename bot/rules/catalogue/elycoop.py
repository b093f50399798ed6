"""Elycoop's own procedure against ruptures de parcours (seed 003), not a funder's.

Several follow-up paths end with the same ticket qualité and compte rendu,
so those milestones are built once; the whole procedure shares one toggle
and one exclusion (sous-traitance).
"""

from __future__ import annotations

from bot.rules.model import (
    ORG_DELAY_DAY_OFF,
    Exclusion,
    Milestone,
    Offset,
    Rule,
    Source,
    Toggle,
    Wording,
)

SEED_ELY = "003_569ea74481e5b0a1.txt"

ELY_LABEL = "procédure Elycoop, prévention des ruptures de parcours"


def _ely(section: str) -> tuple[Source, ...]:
    return (Source(file=SEED_ELY, section=section, label=ELY_LABEL),)


_ELY_TOGGLE = (
    Toggle(
        setting="ely_procedure",
        reason="L'organisation n'applique pas la procédure Elycoop de prévention des ruptures "
        "(réglage « Appliquer la procédure Elycoop de prévention des ruptures »).",
    ),
)
_ELY_EXCLUSION = (
    Exclusion(
        predicate="subcontracted",
        reason="La procédure Elycoop ne s'applique pas quand le formateur intervient en "
        "sous-traitance d'un autre organisme de formation (procédure Elycoop, Objet).",
        brief="ne s'applique pas quand le formateur intervient en sous-traitance d'un autre "
        "organisme de formation (003, Objet)",
    ),
)


ORG_DELAY = (
    " La procédure ne fixe pas de délai : l'organisme s'est donné {delay} (modifiable avec "
    "/reglages)"
)
"""003 §2 asks each step, never by when: every delay here is a setting of the organisation."""

VAE_END_DAY_OFF = ". La fin de l'accompagnement tombe le {day}, {off} : c'est le jour ouvré suivant"
"""What a VAE's end-of-accompaniment livret and ticket say when the end falls on a day off:
they hold what was done until the end, so never before it (explorer EB3: moved to the
Wednesday before an Ascension end, where the CVL exit of the same day went to the Friday)."""


def _ticket(of_what: str, *, after: str | None = None) -> Milestone:
    """The ticket qualité that closes most Elycoop follow-ups (Qualiopi evidence); ``after``:
    the milestone it closes too, so never due before it (the compte rendu)."""
    return Milestone(
        key="TICKET",
        offset=Offset(anchor="followup_opened", unit="days", setting="ely_ticket_days"),
        title="Saisir le ticket qualité",
        explanation="Ticket qualité à saisir pour "
        + of_what
        + " au plus tard {due}, après l'ouverture du suivi ({opened})."
        + ORG_DELAY,
        what="saisir un ticket qualité",
        postponable=True,
        not_before=after,
        not_before_said=". Pas avant le compte rendu de l'entretien, que le ticket vient clore",
    )


def _compte_rendu(livret: str) -> Milestone:
    return Milestone(
        key="COMPTE-RENDU",
        offset=Offset(anchor="followup_entretien", unit="days", setting="ely_compte_rendu_days"),
        title="Compte rendu de l'entretien",
        explanation="Compte rendu de l'entretien {entretien} à joindre au "
        + livret
        + " et à déposer dans l'espace de stockage formateur au plus tard {due}."
        + ORG_DELAY,
        what=f"joindre le compte rendu de l'entretien au {livret} et le déposer dans l'espace "
        "de stockage formateur",
        postponable=True,
        day_off_after=ORG_DELAY_DAY_OFF,
        after_its_event=True,
    )


ELYCOOP: tuple[Rule, ...] = (
    Rule(
        id="ELY-SHORT",
        funder=None,
        programmes=None,
        scope="followups",
        # Absent and/or in rupture: « manque de réactivité » alone asks nothing of a short
        # formation (explorer F: it got the « absence ou rupture » contact).
        subject_if=("path:short", "absent_or_gone"),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="absence ou rupture dans une formation courte",
        what="contacter la personne en formation et son entreprise, garder les échanges dans "
        "l'espace de stockage formateur, saisir un ticket qualité",
        audience="formateur",
        sources=_ely("§2 Formations courtes"),
        milestones=(
            Milestone(
                key="CONTACT",
                offset=Offset(
                    anchor="followup_rupture", unit="days", setting="ely_short_contact_days"
                ),
                title="Contacter la personne et son entreprise",
                explanation="Prendre contact avec {trainee} et son entreprise au plus tard "
                "{due}, à la suite de l'absence ou de la rupture ({anchor}). La procédure ne fixe "
                "pas de délai : l'organisme s'est donné {delay} après l'absence (modifiable avec "
                "/reglages)",
                what="contacter la personne en formation et son entreprise",
                postponable=True,
                day_off_after=ORG_DELAY_DAY_OFF,
                after_its_event=True,
                # What is left once one of them is reached (explorer HB10).
                wordings=(
                    Wording(
                        when="only_left:entreprise",
                        title="Contacter l'entreprise de la personne",
                        explanation="Prendre contact avec l'entreprise {of_trainee} au plus tard "
                        "{due}, à la suite de l'absence ou de la rupture ({anchor}) : le contact "
                        "avec {trainee} est noté ; sans employeur, notez « Pas d'entreprise à "
                        "contacter ». La procédure ne fixe pas de délai : l'organisme s'est donné "
                        "{delay} après l'absence (modifiable avec /reglages)",
                    ),
                    Wording(
                        when="only_left:stagiaire",
                        title="Contacter la personne",
                        explanation="Prendre contact avec {trainee} au plus tard {due}, à la "
                        "suite de l'absence ou de la rupture ({anchor}) : pour son entreprise, "
                        "c'est noté. La procédure ne fixe pas de délai : l'organisme s'est donné "
                        "{delay} après l'absence (modifiable avec /reglages)",
                    ),
                ),
            ),
            Milestone(
                key="TICKET",
                offset=Offset(anchor="followup_opened", unit="days", setting="ely_ticket_days"),
                title="Déposer les échanges et saisir le ticket qualité",
                explanation="Échanges (e-mails ou autres justificatifs) à déposer dans l'espace de "
                "stockage formateur de Dendreo et ticket qualité à saisir au plus tard {due}, pour "
                "le suivi ouvert {opened}." + ORG_DELAY,
                what="déposer les échanges dans Dendreo, saisir un ticket qualité",
                postponable=True,
            ),
        ),
    ),
    Rule(
        id="ELY-LONG",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:long",),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="signe de décrochage dans une formation longue ou certifiante",
        what="entretien individuel pour comprendre et résoudre ; compte rendu au livret de suivi "
        "et dans l'espace de stockage ; ticket qualité",
        audience="formateur",
        sources=_ely("§2 Formations longues et/ou certifiantes"),
        milestones=(
            Milestone(
                key="ENTRETIEN",
                offset=Offset(
                    anchor="followup_sign", unit="days", setting="ely_long_entretien_days"
                ),
                title="Tenir l'entretien individuel",
                explanation="Entretien individuel avec {trainee} à tenir au plus tard {due}, "
                "pour comprendre le problème et le résoudre. La procédure le demande « dès "
                "qu'un signe de décrochage apparaît » (premier signe : {sign}) : l'organisme "
                "s'est donné {delay} après ce signe (modifiable avec /reglages)",
                what="entretien individuel",
                postponable=True,
                within_path=" ; la procédure le situant « tout au long de la formation », qui finit "
                "{path_end}, c'est au plus tard ce jour-là",
            ),
            _compte_rendu("livret de suivi"),
            _ticket("le suivi {of_trainee}", after="COMPTE-RENDU"),
        ),
    ),
    Rule(
        id="ELY-BILAN-COMP",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:bilan_comp", "cause:sick_leave"),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="arrêt maladie pendant un bilan de compétences",
        what="définir une solution avec le bénéficiaire (et l'employeur si le bilan est sur le "
        "temps de travail) : report, maintien… ; éventuellement un avenant à la convention",
        audience="formateur",
        sources=_ely("§2 Bilan de compétence"),
        milestones=(
            Milestone(
                key="SOLUTION",
                offset=Offset(
                    anchor="followup_opened", unit="days", setting="ely_bilan_comp_solution_days"
                ),
                title="Convenir d'une solution pour le bilan de compétences",
                explanation="Solution à convenir avec {trainee} (et son employeur si le bilan a "
                "lieu sur le temps de travail) au plus tard {due} : report des dates du bilan, "
                "maintien… ; un avenant à la convention peut être réalisé." + ORG_DELAY,
                what="solution avec le bénéficiaire, avenant éventuel",
                postponable=True,
            ),
        ),
    ),
    Rule(
        id="ELY-BILAN-DIFF",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:bilan_comp", "!cause:sick_leave"),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="difficulté pressentie ou avérée avec un bénéficiaire de bilan de compétences",
        what="échange en groupe d'échanges de pratiques, regard croisé (rendez-vous d'une heure "
        "avec une autre conseillère), compte rendu au livret de suivi, ticket qualité",
        audience="formateur",
        sources=_ely("§2 Bilan de compétence"),
        milestones=(
            Milestone(
                key="REGARD-CROISE",
                offset=Offset(
                    # « difficulté pressentie (ou avérée) », neither an absence nor a
                    # décrochage (explorer IC4); the day asked as the first sign.
                    anchor="followup_difficulty",
                    unit="days",
                    setting="ely_regard_croise_days",
                ),
                title="Organiser le regard croisé",
                explanation="Échange en groupe d'échanges de pratiques puis regard croisé "
                "(rendez-vous d'une heure avec une autre conseillère) à organiser pour {trainee} au "
                "plus tard {due}." + ORG_DELAY,
                what="groupe d'échanges de pratiques et regard croisé",
                postponable=True,
            ),
            _compte_rendu("livret de suivi bilan de compétences"),
            _ticket("le suivi {of_trainee}", after="COMPTE-RENDU"),
        ),
    ),
    Rule(
        id="ELY-VAE",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:vae",),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="suivi d'un candidat à la VAE",
        what="livret de suivi VAE dans l'espace de stockage formateur ; ticket qualité",
        audience="formateur",
        sources=_ely("§2 VAE"),
        milestones=(
            Milestone(
                key="LIVRET",
                offset=Offset(anchor="followup_opened", unit="days", setting="ely_vae_livret_days"),
                title="Déposer le livret de suivi VAE",
                explanation="Livret de suivi VAE {of_trainee} à déposer dans l'espace de stockage "
                "formateur au plus tard {due}." + ORG_DELAY,
                what="livret de suivi VAE",
                postponable=True,
            ),
            _ticket("le suivi VAE {of_trainee}"),
        ),
    ),
    Rule(
        id="ELY-VAE-CANDIDATE",
        funder=None,
        programmes=None,
        scope="trainees",
        applies_if=("kind:vae",),
        toggles=_ELY_TOGGLE,
        exclusions=_ELY_EXCLUSION,
        trigger="chaque candidat accompagné en VAE",
        origin="lecture de l'organisme : le livret de suivi couvre tout l'accompagnement, il est "
        "déposé à sa fin",
        what="livret de suivi VAE (jury blanc consigné, échanges de mail avec le candidat) dans "
        "l'espace de stockage formateur ; ticket qualité",
        audience="formateur",
        sources=_ely("§2 VAE, §3 Pour les VAE"),
        milestones=(
            Milestone(
                key="LIVRET",
                offset=Offset(anchor="trainee_exit", unit="days"),
                title="Déposer le livret de suivi VAE en fin d'accompagnement",
                explanation="Livret de suivi VAE {of_trainee}, avec le compte rendu du jury blanc "
                "et les échanges de mail, à déposer dans l'espace de stockage formateur à la fin "
                "de son accompagnement, {due}",
                what="livret de suivi VAE et échanges de mail",
                postponable=True,
                day_off_after=VAE_END_DAY_OFF,
                several="livrets de suivi VAE à déposer",
            ),
            Milestone(
                key="TICKET",
                offset=Offset(anchor="trainee_exit", unit="days"),
                title="Saisir le ticket qualité de fin d'accompagnement VAE",
                explanation="Ticket qualité à saisir pour l'accompagnement VAE {of_trainee}, à la "
                "fin de celui-ci, {due}",
                what="saisir un ticket qualité",
                postponable=True,
                day_off_after=VAE_END_DAY_OFF,
                not_before="LIVRET",
                not_before_said=". Pas avant le dépôt du livret de suivi, que le ticket vient clore",
                several="tickets qualité à saisir",
            ),
        ),
    ),
)
