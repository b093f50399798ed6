"""Région Centre-Val de Loire (seeds 001, 002): bilans qualitatifs, orientation table, EOS.

Two texts of different years govern the same actions; where they disagree
the later one (001) wins, and the rule it withdrew stays here, turned off by
a :class:`Toggle`, so the bot can say why it is off.
"""

from __future__ import annotations

from bot.rules.model import Milestone, Offset, Rule, Source, Toggle

SEED_CVL_001 = "001_28c9cbadd2d8b5ae.txt"
SEED_CVL_002 = "002_442c31fce7402b56.txt"

CVL_001_LABEL = "bilan collectif de formation, Région Centre-Val de Loire (001)"
CVL_002_LABEL = "pièces pédagogiques exigées, Parcours Métiers, Région Centre-Val de Loire (002)"
PARCOURS = ("parcours_metiers",)
"""002 is addressed to the Parcours Métiers organisations: a Visa's deadlines cite 001 alone."""
PRF = ("parcours_metiers", "visa", "visa_plus", "alpha_fle")
"""The programmes 001 names (« Programme Régional de Formation (Parcours Métiers, Visa, Visa+
Parcours vers l'Emploi, Alpha FLE/FLI Ran) »)."""
PRF_BEYOND = (
    "Le texte de la Région (001) couvre les programmes du PRF (Parcours Métiers, Visa, Visa+ "
    "Parcours vers l'Emploi, Alpha FLE/FLI Ran) : appliqué ici par prudence à un programme hors "
    "de cette liste"
)
"""Said of 001's deadlines for « Autre programme »: the project's decision is to keep them,
a missed bilan costing more than an unasked one, and to say so (explorer UB3)."""


def cvl_001(section: str) -> Source:
    """001, for the PRF's programmes and, by prudence, any other."""
    return Source(
        file=SEED_CVL_001, section=section, label=CVL_001_LABEL, programmes=PRF, beyond=PRF_BEYOND
    )


CENTRE_VAL_DE_LOIRE: tuple[Rule, ...] = (
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
            cvl_001("« Bilan collectif de formation »"),
            Source(file=SEED_CVL_002, section="§2", label=CVL_002_LABEL, programmes=PARCOURS),
        ),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(anchor="span_end", unit="months", setting="cvl_bq_end_months"),
                title="Envoyer le bilan qualitatif de fin",
                explanation="Bilan qualitatif de fin, pour {span}, à envoyer par e-mail aux référents "
                "territoriaux dans les meilleurs délais et au plus tard {due}, {delay} après la fin "
                "retenue ({anchor}), puis à "
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
        what="bilan d'étape, à la date arrêtée avec la personne référente territoriale",
        audience="organisation",
        sources=(
            cvl_001("note 1"),
            Source(
                file=SEED_CVL_002, section="§2 et note *", label=CVL_002_LABEL, programmes=PARCOURS
            ),
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
                explanation="Bilan d'étape de {span} à produire vers {due}, date à arrêter avec la "
                "personne référente territoriale en charge du suivi de l'action (à {delay} du "
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
        scope="sessions",
        trigger="entrée en formation du groupe de chaque session",
        what="tableau de suivi des orientations et du recrutement, aux référents territoriaux et "
        "aux partenaires de l'orientation",
        audience="organisation",
        sources=(Source(file=SEED_CVL_002, section="§1", label=CVL_002_LABEL),),
        toggles=(
            Toggle(
                setting="cvl_table_parcours_metiers",
                reason="Le tableau de suivi des orientations et du recrutement est demandé par les "
                "pièces pédagogiques exigées (002, §1), mais le texte plus récent sur le bilan "
                "collectif de formation (001, PRF 2021-2024) précise que pour les Parcours "
                "Métiers il n'est plus à compléter ni à transmettre : le texte le plus récent "
                "l'emporte. L'organisation peut réactiver cette règle (réglage « Tableau de suivi "
                "des orientations pour les Parcours Métiers »).",
                brief="le texte plus récent (001, PRF 2021-2024) ne la demande plus pour les "
                "Parcours Métiers",
            ),
        ),
        milestones=(
            Milestone(
                key=None,
                offset=Offset(
                    anchor="session_start", unit="days", setting="cvl_table_days_after_entry"
                ),
                title="Envoyer le tableau de suivi des orientations",
                explanation="Tableau de suivi des orientations et du recrutement de {span} à "
                "envoyer aux référents territoriaux et aux partenaires de l'orientation au plus "
                "tard {due}, {delay} après l'entrée en formation ({anchor})",
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
        what="compléter les données de chaque stagiaire dans EOS",
        audience="organisation",
        sources=(cvl_001("« Données quantitatives »"),),
        milestones=(
            Milestone(
                key="ENTRY",
                offset=Offset(anchor="trainee_entry", unit="days"),
                title="Saisir l'entrée dans EOS",
                explanation="Données {of_trainee} à compléter dans EOS à son entrée en formation, "
                "{due}",
                what="données d'entrée dans EOS",
                postponable=False,
                several="entrées à saisir dans EOS",
                day_off_after=". Son entrée tombe le {day}, {off} : à saisir le jour ouvré suivant",
                day_off_explanation="Données {of_trainee} à compléter dans EOS {due} : son "
                "entrée en formation tombe {off_on}, à saisir le jour ouvré suivant",
            ),
            Milestone(
                key="EXIT",
                offset=Offset(anchor="trainee_exit", unit="days"),
                title="Saisir la sortie dans EOS",
                explanation="Données {of_trainee} à compléter dans EOS à sa sortie de formation, "
                "{due}",
                what="données de sortie dans EOS",
                postponable=False,
                several="sorties à saisir dans EOS",
                day_off_after=". Sa sortie tombe le {day}, {off} : à saisir le jour ouvré suivant",
                day_off_explanation="Données {of_trainee} à compléter dans EOS {due} : sa "
                "sortie de formation tombe {off_on}, à saisir le jour ouvré suivant",
            ),
        ),
    ),
)
