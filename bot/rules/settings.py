"""The organisation settings the rules read, with their defaults.

The seeds fix some delays ("48h avant maximum", "au maximum 1 mois", "10
jours après l'entrée") and leave others open ("avant le bilan", "après la
formation").  Every open delay is a setting with a default chosen here and
justified in its ``help``; a fixed delay may only be tightened, which is why
its bounds stop at the seed's value (an organisation may send its bilan
qualitatif earlier than one month, never later).

Settings arrive as a plain mapping (an organisation's stored overrides).
Keys this catalogue does not know are ignored, because the same mapping may
carry other modules' settings; a known key with a wrong type or out of
range raises :class:`SettingError`, since guessing would move a deadline
without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

SettingType = type[int] | type[bool] | type[str]
Rounding = Literal["down", "nearest", "up"]
ROUNDINGS: tuple[Rounding, ...] = ("down", "nearest", "up")


class SettingError(ValueError):
    """A known setting holds a value the rules cannot use (message in French)."""


@dataclass(frozen=True, kw_only=True)
class Setting:
    key: str
    label: str
    """French label shown to an admin."""
    type: SettingType
    default: int | bool | str
    rules: tuple[str, ...]
    """Ids of the rules this setting belongs to (for the admin screen and the docs)."""
    help: str
    """One French line: what it changes, and why the default."""
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    text_bound: bool = False
    """The text itself sets the bound the default sits on (« 48h avant maximum »): the
    organisation may only be stricter.  Otherwise the amount is the organisation's own."""

    def check(self, value: object) -> int | bool | str:
        """Return ``value`` if this setting can hold it, else raise :class:`SettingError`."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise SettingError(f"« {self.label} » attend oui ou non, pas {value!r}")
            return value
        if self.type is int:
            # bool is an int in Python; True days would be a bug in the caller.
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingError(f"« {self.label} » attend un nombre entier, pas {value!r}")
            if self.minimum is not None and value < self.minimum:
                raise SettingError(f"« {self.label} » ne peut pas être inférieur à {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise SettingError(f"« {self.label} » ne peut pas dépasser {self.maximum}")
            return value
        if not isinstance(value, str) or (self.choices and value not in self.choices):
            allowed = ", ".join(self.choices)
            raise SettingError(f"« {self.label} » attend l'une de ces valeurs : {allowed}")
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="nor_prep_days_before",
        label="Préparation du bilan avec le groupe (jours avant le bilan)",
        type=int,
        default=7,
        minimum=1,
        maximum=60,
        rules=("NOR-PREP",),
        help="La fiche dit seulement « en amont » ; une semaine laisse le temps de réunir le groupe.",
    ),
    Setting(
        key="nor_guides_days_before",
        label="Modes d'emploi du bilan à distance (jours avant le bilan)",
        type=int,
        default=7,
        minimum=1,
        maximum=60,
        rules=("NOR-GUIDES",),
        help="« En amont de notre rencontre » : une semaine, avec l'invitation, pour tester la connexion.",
    ),
    Setting(
        key="nor_docs_hours_before",
        label="Bilan pédagogique à la personne chargée de mission (heures avant le bilan)",
        type=int,
        default=48,
        minimum=48,
        maximum=336,
        rules=("NOR-DOCS",),
        help="La fiche exige « 48h avant maximum » : on peut avancer l'envoi, jamais le retarder.",
        text_bound=True,
    ),
    Setting(
        key="nor_delegates_days_before",
        label="Lien de la visio à donner (jours avant le bilan)",
        type=int,
        default=7,
        minimum=1,
        maximum=90,
        rules=("NOR-VISIO-LINK",),
        help="Le lien doit figurer dans l'invitation des délégués et des partenaires : une semaine avant le bilan.",
    ),
    Setting(
        key="nor_proof_days_after",
        label="Justificatifs de participation (jours après le bilan)",
        type=int,
        default=7,
        minimum=0,
        maximum=60,
        rules=("NOR-PROOF",),
        help="La fiche ne fixe pas de délai ; une semaine suffit à recueillir les attestations.",
    ),
    Setting(
        key="cvl_bq_end_months",
        label="Bilan qualitatif de fin (mois après la fin de la formation)",
        type=int,
        default=1,
        minimum=0,
        maximum=1,
        rules=("CVL-BQ-END",),
        help=(
            "« Au maximum 1 mois après la fin » (bilan collectif de formation (001) ; pièces "
            "pédagogiques exigées (002), §2) ; 0 = le jour de la fin."
        ),
        text_bound=True,
    ),
    Setting(
        key="cvl_bq_mid_percent",
        label="Bilan d'étape (moment dans la session, en % de sa durée)",
        type=int,
        default=50,
        minimum=1,
        maximum=99,
        rules=("CVL-BQ-MID",),
        help="La date s'arrête avec le référent territorial ; à défaut, mi-parcours (50 %).",
    ),
    Setting(
        key="cvl_table_days_after_entry",
        label="Tableau de suivi des orientations (jours après l'entrée)",
        type=int,
        default=10,
        minimum=0,
        maximum=10,
        rules=("CVL-TABLE",),
        help="« Au maximum 10 jours après l'entrée en formation » (pièces pédagogiques exigées (002), §1).",
        text_bound=True,
    ),
    Setting(
        key="cvl_table_parcours_metiers",
        label="Tableau de suivi des orientations pour les Parcours Métiers",
        type=bool,
        default=False,
        rules=("CVL-TABLE",),
        help=(
            "Demandé par les pièces pédagogiques exigées (002), mais supprimé par le texte plus "
            "récent du bilan collectif de formation (001, PRF 2021-2024) : désactivé par défaut."
        ),
    ),
    Setting(
        key="rec_contract_days_before",
        label="Contrat d'accompagnement à distance (jours avant le début)",
        type=int,
        default=1,
        minimum=1,
        maximum=90,
        rules=("REC-CONTRACT",),
        help="« Établi avant la mise en place » : au plus tard la veille, le jour même serait trop tard.",
    ),
    Setting(
        key="rec_activity_days_after",
        label="Bilan d'activités (jours après la fin de la formation)",
        type=int,
        default=15,
        minimum=0,
        maximum=90,
        rules=("REC-ACTIVITY",),
        help="« Après la formation », sans délai fixé ; quinze jours, la rémunération en dépend.",
    ),
    Setting(
        key="rec_vacation_rounding",
        label="Arrondi des heures de vacation entamées",
        type=str,
        default="down",
        choices=ROUNDINGS,
        rules=("REC-ACTIVITY",),
        help="« Une vacation pour deux heures » : une vacation entamée ne compte pas (arrondi inférieur) par défaut.",
    ),
    Setting(
        key="ely_procedure",
        label="Appliquer la procédure Elycoop de prévention des ruptures",
        type=bool,
        default=True,
        rules=(
            "ELY-SHORT",
            "ELY-LONG",
            "ELY-BILAN-COMP",
            "ELY-BILAN-DIFF",
            "ELY-VAE",
            "ELY-VAE-CANDIDATE",
        ),
        help="Procédure interne d'Elycoop (prévention des ruptures de parcours) ; un autre organisme peut la désactiver.",
    ),
    Setting(
        key="ely_short_contact_days",
        label="Formation courte (jours pour contacter la personne absente, après l'absence)",
        type=int,
        default=1,
        minimum=0,
        maximum=30,
        rules=("ELY-SHORT",),
        help="Une formation courte dure quelques jours : un contact le lendemain peut encore faire revenir la personne.",
    ),
    Setting(
        key="ely_long_entretien_days",
        label="Formation longue (jours pour tenir l'entretien individuel, après le premier signe)",
        type=int,
        default=7,
        minimum=0,
        maximum=30,
        rules=("ELY-LONG",),
        help="« Dès qu'un signe de décrochage apparaît » : une semaine pour trouver un créneau en cours de formation.",
    ),
    Setting(
        key="ely_compte_rendu_days",
        label="Compte rendu d'entretien (jours après l'entretien)",
        type=int,
        default=3,
        minimum=0,
        maximum=30,
        rules=("ELY-LONG", "ELY-BILAN-DIFF"),
        help="Un compte rendu s'écrit tant que l'entretien est frais : trois jours.",
    ),
    Setting(
        key="ely_ticket_days",
        label="Ticket qualité (jours après l'ouverture du suivi)",
        type=int,
        default=14,
        minimum=0,
        maximum=60,
        rules=("ELY-SHORT", "ELY-LONG", "ELY-BILAN-DIFF", "ELY-VAE"),
        help="Preuve Qualiopi : deux semaines couvrent l'entretien (7 j) et son compte rendu (3 j).",
    ),
    Setting(
        key="ely_bilan_comp_solution_days",
        label="Bilan de compétences, arrêt maladie (jours pour convenir d'une solution)",
        type=int,
        default=7,
        minimum=0,
        maximum=30,
        rules=("ELY-BILAN-COMP",),
        help="Le calendrier du bilan est en jeu (report, maintien, avenant) : une semaine.",
    ),
    Setting(
        key="ely_regard_croise_days",
        label="Bilan de compétences, difficulté (jours pour le regard croisé)",
        type=int,
        default=14,
        minimum=0,
        maximum=60,
        rules=("ELY-BILAN-DIFF",),
        help="Échange en équipe puis rendez-vous d'une heure avec une autre conseillère : deux semaines.",
    ),
    Setting(
        key="ely_vae_livret_days",
        label="VAE (jours pour déposer le livret de suivi)",
        type=int,
        default=7,
        minimum=0,
        maximum=60,
        rules=("ELY-VAE",),
        help="Le livret de suivi à jour est la preuve du suivi : une semaine.",
    ),
)

SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def _lookup(settings: Mapping[str, object], key: str) -> int | bool | str:
    try:
        spec = SETTINGS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"réglage inconnu des règles : {key!r}") from None
    if key not in settings or settings[key] is None:
        return spec.default
    return spec.check(settings[key])


def int_setting(settings: Mapping[str, object], key: str) -> int:
    value = _lookup(settings, key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingError(f"le réglage {key!r} n'est pas un nombre")
    return value


def bool_setting(settings: Mapping[str, object], key: str) -> bool:
    value = _lookup(settings, key)
    if not isinstance(value, bool):
        raise SettingError(f"le réglage {key!r} n'est pas un oui/non")
    return value


def rounding_setting(settings: Mapping[str, object]) -> Rounding:
    """The vacation rounding mode, for :func:`bot.rules.vacations.compute_vacations`."""
    value = _lookup(settings, "rec_vacation_rounding")
    for mode in ROUNDINGS:
        if value == mode:
            return mode
    raise SettingError(f"arrondi inconnu : {value!r}")


def validate_settings(settings: Mapping[str, object]) -> dict[str, int | bool | str]:
    """Every known setting resolved (override or default); raises on a bad override.

    An admin screen calls this before saving, so a bad value is refused at
    entry rather than at the next scheduler tick.
    """
    return {spec.key: _lookup(settings, spec.key) for spec in SETTINGS}
