"""The funders' rules as data: one :class:`Rule` per rule id of ``docs/RULES.md``.

Each entry quotes its seed (file and section), names the subjects it applies
to and, for every milestone, the anchor, the amount, the unit and the setting
that overrides the amount.  Nothing here computes: see :mod:`bot.rules.engine`.

Explanation templates are ``str.format`` strings; the engine supplies:
``due`` ("le mardi 24 novembre 2026 à 14 h 00"), ``delay`` ("48 h", "7 jours",
"1 mois", "50 %"), ``anchor`` (the anchor's day, "le lundi 15 juin 2027"),
``formation`` ("« Titre »"), ``a_chargee`` ("à Mme X" or "au ou à la chargé(e)
de mission"), and by scope: ``bilan`` ("bilan de fin de formation du jeudi 26
novembre 2026 à 14 h 00", no article); ``span`` ("la session 2 (du … au …)");
``trainee`` and ``of_trainee`` ("Jean Dupont" / "de Jean Dupont");
``opened`` and ``entretien`` for follow-ups.  The engine appends the source.
"""

from __future__ import annotations

from bot.rules.model import Exclusion, Milestone, Offset, Rule, Source, Toggle

SEED_NOR = "000_ddadb60b9c7bf826.txt"
SEED_CVL_001 = "001_28c9cbadd2d8b5ae.txt"
SEED_CVL_002 = "002_442c31fce7402b56.txt"
SEED_ELY = "003_569ea74481e5b0a1.txt"
SEED_REC = "004_b9dfb583852b8a95.txt"

NOR_LABEL = "fiche procédure bilan à distance, Région Normandie"
CVL_001_LABEL = "bilan collectif de formation, Région Centre-Val de Loire (001)"
CVL_002_LABEL = "pièces pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002)"
ELY_LABEL = "procédure Elycoop, prévention des ruptures de parcours"
REC_LABEL = "l'accompagnement à distance en formation, Rectorat"


def _nor(section: str) -> tuple[Source, ...]:
    return (Source(file=SEED_NOR, section=section, label=NOR_LABEL),)


def _ely(section: str) -> tuple[Source, ...]:
    return (Source(file=SEED_ELY, section=section, label=ELY_LABEL),)


_REC = (Source(file=SEED_REC, section="§3 Rémunération", label=REC_LABEL),)

_ELY_SWITCH = (
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
    ),
)


def _ticket(of_what: str) -> Milestone:
    """The ticket qualité that closes most Elycoop follow-ups (Qualiopi evidence)."""
    return Milestone(
        key="TICKET",
        offset=Offset(anchor="followup_opened", unit="days", setting="ely_ticket_days"),
        title="Saisir le ticket qualité",
        explanation="Ticket qualité à saisir pour " + of_what + " au plus tard {due}",
        what="saisir un ticket qualité",
        postponable=True,
    )


def _compte_rendu(livret: str) -> Milestone:
    return Milestone(
        key="COMPTE-RENDU",
        offset=Offset(anchor="followup_entretien", unit="days", setting="ely_compte_rendu_days"),
        title="Compte rendu de l'entretien",
        explanation="Compte rendu de l'entretien {entretien} à joindre au "
        + livret
        + " et à déposer dans l'espace de stockage formateur au plus tard {due}",
        what=f"joindre le compte rendu de l'entretien au {livret} et le déposer dans l'espace "
        "de stockage formateur",
        postponable=True,
    )


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------ Normandie
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
                "le {bilan} : le remplissage d'un questionnaire d'évaluation ne suffit pas",
                what="temps d'échange avec le groupe avant le bilan (rappel)",
                postponable=True,
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
                "des stagiaires et aux partenaires extérieurs d'ici {due}, en amont du {bilan}",
                what="modes d'emploi aux délégués et aux partenaires",
                postponable=True,
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
        what="envoyer au ou à la chargé(e) de mission le bilan pédagogique complété ; "
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
                explanation="Bilan pédagogique à envoyer {a_chargee} avant {due} : {delay} au plus "
                "tard avant le bilan",
                what="bilan pédagogique complété au ou à la chargé(e) de mission",
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
        "à défaut, le signaler au ou à la chargé(e) de mission, qui propose une solution",
        audience="organisation",
        sources=_nor("§I Outil de visioconférence"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="days",
                    direction="before",
                    setting="nor_visio_days_before",
                ),
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
        id="NOR-DELEGATES",
        funder="normandie",
        programmes=None,
        scope="bilans",
        subject_if=("bilan_remote",),
        trigger="bilan à distance programmé",
        what="n'inviter que les délégués des stagiaires ; si d'autres stagiaires veulent "
        "prendre la parole, se rapprocher du ou de la chargé(e) de mission",
        audience="formateur",
        sources=_nor("§I"),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="bilan_start",
                    unit="days",
                    direction="before",
                    setting="nor_delegates_days_before",
                ),
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
        subject_if=("bilan_remote",),
        trigger="bilan à distance tenu",
        what="envoyer au ou à la chargé(e) de mission les justificatifs de participation : copie "
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
                "dans vos locaux, sinon l'ensemble des attestations sur l'honneur renvoyées",
                what="émargement ou attestations sur l'honneur",
                postponable=True,
            ),
        ),
    ),
    # ------------------------------------------------------------ Centre-Val de Loire
    Rule(
        id="CVL-BQ-END",
        funder="cvl",
        programmes=None,
        scope="owed_fin",
        trigger="fin de la formation (de chaque session ou composante qui doit son bilan)",
        what="bilan qualitatif de fin de formation par e-mail aux référents territoriaux ; aussi à "
        "gestionfp@centrevaldeloire.fr au moment du solde",
        audience="organisation",
        sources=(
            Source(
                file=SEED_CVL_001, section="« Bilan collectif de formation »", label=CVL_001_LABEL
            ),
            Source(file=SEED_CVL_002, section="§2", label=CVL_002_LABEL),
        ),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="span_end", unit="months", setting="cvl_bq_end_months"),
                title="Envoyer le bilan qualitatif de fin",
                explanation="Bilan de fin de formation de {span} à envoyer par e-mail aux référents "
                "territoriaux au plus tard {due}, {delay} après la fin retenue ({anchor}), puis à "
                "gestionfp@centrevaldeloire.fr au moment du solde",
                what="bilan qualitatif de fin aux référents territoriaux",
                postponable=False,
            ),
        ),
    ),
    Rule(
        id="CVL-BQ-MID",
        funder="cvl",
        programmes=None,
        scope="owed_etape",
        trigger="bilan d'étape dû (entrées et sorties permanentes ou plusieurs sessions)",
        what="bilan d'étape, à la date arrêtée avec le ou la référent(e) territorial(e)",
        audience="organisation",
        sources=(
            Source(file=SEED_CVL_001, section="note 1", label=CVL_001_LABEL),
            Source(file=SEED_CVL_002, section="§2 et note *", label=CVL_002_LABEL),
        ),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="span_start",
                    towards="span_planned_end",
                    unit="percent",
                    setting="cvl_bq_mid_percent",
                ),
                title="Produire le bilan d'étape",
                explanation="Bilan d'étape de {span} à produire vers {due}, date à arrêter avec le "
                "ou la référent(e) territorial(e) en charge du suivi de l'action (à {delay} du "
                "parcours, à défaut d'une date convenue)",
                what="bilan d'étape",
                postponable=True,
            ),
        ),
    ),
    Rule(
        id="CVL-TABLE",
        funder="cvl",
        programmes=("parcours_metiers",),
        scope="trainees",
        trigger="entrée d'un stagiaire en formation",
        what="tableau de suivi des orientations et du recrutement, aux référents territoriaux et "
        "aux partenaires de l'orientation",
        audience="organisation",
        sources=(Source(file=SEED_CVL_002, section="§1", label=CVL_002_LABEL),),
        toggles=(
            Toggle(
                setting="cvl_table_parcours_metiers",
                reason="Le tableau de suivi des orientations et du recrutement est demandé par 002 "
                "(§1), mais le texte plus récent 001 (PRF 2021-2024) précise que pour les Parcours "
                "Métiers il n'est plus à compléter ni à transmettre : le texte le plus récent "
                "l'emporte. L'organisation peut réactiver cette règle (réglage « Tableau de suivi "
                "des orientations pour les Parcours Métiers »).",
            ),
        ),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="trainee_entry", unit="days", setting="cvl_table_days_after_entry"
                ),
                title="Envoyer le tableau de suivi des orientations",
                explanation="Tableau de suivi des orientations et du recrutement à envoyer aux "
                "référents territoriaux et aux partenaires de l'orientation au plus tard {due}, "
                "{delay} après l'entrée en formation {of_trainee} ({anchor})",
                what="tableau de suivi des orientations et du recrutement",
                postponable=False,
            ),
        ),
    ),
    Rule(
        id="CVL-EOS",
        funder="cvl",
        programmes=None,
        scope="trainees",
        trigger="entrée et sortie d'un stagiaire",
        what="compléter les données du stagiaire dans EOS",
        audience="organisation",
        sources=(
            Source(file=SEED_CVL_001, section="« Données quantitatives »", label=CVL_001_LABEL),
        ),
        milestones=(
            Milestone(
                key="ENTRY",
                offset=Offset(anchor="trainee_entry", unit="days"),
                title="Saisir l'entrée dans EOS",
                explanation="Données {of_trainee} à compléter dans EOS à son entrée en formation, "
                "{due}",
                what="données d'entrée dans EOS",
                postponable=False,
            ),
            Milestone(
                key="EXIT",
                offset=Offset(anchor="trainee_exit", unit="days"),
                title="Saisir la sortie dans EOS",
                explanation="Données {of_trainee} à compléter dans EOS à sa sortie de formation, "
                "{due}",
                what="données de sortie dans EOS",
                postponable=False,
            ),
        ),
    ),
    # ------------------------------------------------------------------- Rectorat
    Rule(
        id="REC-CONTRACT",
        funder="rectorat",
        programmes=None,
        scope="formation",
        applies_if=("remote_coaching",),
        trigger="accompagnement à distance prévu",
        what="contrat signé par le formateur et le responsable académique de la formation, "
        "avant la mise en place",
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
                explanation="Contrat d'accompagnement à distance à faire signer par le formateur et "
                "le responsable académique de la formation au plus tard {due}, avant le début de la "
                "formation {formation} ({anchor}) : sans contrat préalable, pas de rémunération",
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
                "correspondant de formation continue du domaine au plus tard {due}, {delay} après "
                "la fin de la formation {formation} : la rémunération en vacations se décide au vu "
                "de ce bilan",
                what="bilan d'activités",
                postponable=True,
            ),
        ),
    ),
    # -------------------------------------------------------------------- Elycoop
    Rule(
        id="ELY-SHORT",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:short",),
        toggles=_ELY_SWITCH,
        exclusions=_ELY_EXCLUSION,
        trigger="absence ou rupture dans une formation courte",
        what="contacter le stagiaire et l'entreprise, garder les échanges dans l'espace de "
        "stockage formateur, saisir un ticket qualité",
        audience="formateur",
        sources=_ely("§2 Formations courtes"),
        milestones=(
            Milestone(
                key="CONTACT",
                offset=Offset(
                    anchor="followup_opened", unit="days", setting="ely_short_contact_days"
                ),
                title="Contacter le stagiaire absent et son entreprise",
                explanation="Prendre contact avec {trainee} et son entreprise au plus tard {due}, "
                "après l'absence ou la rupture signalée {opened}",
                what="contacter le stagiaire et l'entreprise",
                postponable=True,
            ),
            Milestone(
                key="TICKET",
                offset=Offset(anchor="followup_opened", unit="days", setting="ely_ticket_days"),
                title="Déposer les échanges et saisir le ticket qualité",
                explanation="Échanges (e-mails ou autres justificatifs) à déposer dans l'espace de "
                "stockage formateur de Dendreo et ticket qualité à saisir au plus tard {due}, pour "
                "le suivi ouvert {opened}",
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
        toggles=_ELY_SWITCH,
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
                    anchor="followup_opened", unit="days", setting="ely_long_entretien_days"
                ),
                title="Tenir l'entretien individuel",
                explanation="Entretien individuel avec {trainee} à tenir au plus tard {due}, "
                "{delay} après le signe de décrochage relevé {opened}, pour comprendre le problème "
                "et le résoudre",
                what="entretien individuel",
                postponable=True,
            ),
            _compte_rendu("livret de suivi"),
            _ticket("le suivi {of_trainee}"),
        ),
    ),
    Rule(
        id="ELY-BILAN-COMP",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:bilan_comp", "cause:sick_leave"),
        toggles=_ELY_SWITCH,
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
                "maintien… ; un avenant à la convention peut être réalisé",
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
        toggles=_ELY_SWITCH,
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
                    anchor="followup_opened", unit="days", setting="ely_regard_croise_days"
                ),
                title="Organiser le regard croisé",
                explanation="Échange en groupe d'échanges de pratiques puis regard croisé "
                "(rendez-vous d'une heure avec une autre conseillère) à organiser pour {trainee} au "
                "plus tard {due}",
                what="groupe d'échanges de pratiques et regard croisé",
                postponable=True,
            ),
            _compte_rendu("livret de suivi bilan de compétences"),
            _ticket("le suivi {of_trainee}"),
        ),
    ),
    Rule(
        id="ELY-VAE",
        funder=None,
        programmes=None,
        scope="followups",
        subject_if=("path:vae",),
        toggles=_ELY_SWITCH,
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
                "formateur au plus tard {due}",
                what="livret de suivi VAE",
                postponable=True,
            ),
            _ticket("le suivi VAE {of_trainee}"),
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
