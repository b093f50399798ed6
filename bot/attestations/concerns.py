"""What the trainer must look at in an answer before it counts (no dialogue, no query)."""

from __future__ import annotations

import re

from bot.answers import fold
from bot.storage.attestations import Attestation, AttestationInvitation, AttestationReview

CONFIRMING = frozenset(
    """
    oui bien merci beaucoup bonjour bonsoir madame monsieur j je ai confirme confirmer avoir
    participe participer participation au a ce cette le la les l du de des d un une bilan visio
    reunion seance formation c est moi tres bon bonne super parfait top genial cordialement
    bravo toute tout equipe pour et journee en effet present presente presence etait etais y
    suis atteste certifie sur honneur mon ma nom vous votre bientot ok accord interessant
    enrichissant agreable encore ici voila groupe promo promotion session
    """.split()  # noqa: SIM905 (a list of eighty words reads better as words)
)
"""Words of thanks, greeting or confirmation: a message made of them alone holds no reserve."""
ROLE_WORDS = {
    "delegate": frozenset(
        """
        delegue deleguee delegues deleguees representant representante representants
        representantes represente stagiaires classe titulaire titulaires suppleant suppleante
        suppleants suppleantes
        """.split()  # noqa: SIM905
    ),
    "partner": frozenset({"partenaire", "partenaires"}),
    "trainee": frozenset({"stagiaire", "stagiaires"}),
}
"""The words of each role: the role sworn confirmed in them is no reserve (« oui je suis bien
le délégué de la formation »: explorer JB5), another role is (« j'ai participé comme
stagiaire » under the delegate's oath: explorer KA6, it counted at once). A delegate's
words include the usual ones around the title (« délégué de classe », « délégué titulaire »,
« déléguée suppléante »: explorer QB6, passed on as a message or « rien ne correspond »)."""
ROLE_CONFIRMING = CONFIRMING.union(*ROLE_WORDS.values(), {"fait", "exactement", "comme"})
"""What a sentence that only says yes to the role question is made of (« oui, tout à fait,
comme délégué »); which role it names is read apart."""


def reserves(words: str | None, name: str | None = "", role: str | None = None) -> bool:
    """Whether words written before the oath may take it back: anything but thanks and
    confirmation (the person's own name aside), and the words of the ``role`` sworn (any
    role's when it is not given).  Explorer GB5 kept « oui mais je suis partie à
    midi » with the answer for the trainer to examine; explorer IA3: « Bonjour, merci pour ce
    bilan » or « oui j'ai bien participé au bilan » held every polite answer back the same way.
    A word outside the list is a reserve: a missed one costs the Région's proof more than a
    review costs the trainer."""
    if not words:
        return False
    own = set(fold(name or "").split())
    roles = ROLE_WORDS.get(role, frozenset()) if role is not None else ROLE_CONFIRMING
    said = re.findall(r"[a-z]+", fold(words))
    return any(word not in CONFIRMING and word not in roles and word not in own for word in said)


def concerns_of(
    answer: Attestation,
    history: list[Attestation],
    invitations: list[AttestationInvitation],
    reviews: list[AttestationReview],
    elsewhere: frozenset[tuple[str, str]] = frozenset(),
    abroad: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[str, ...]:
    """What the trainer must look at before ``answer`` counts (not yet validated).

    - ``identity``: it came from another chat account than an earlier answer
      of the same participant, or than one that opened an earlier link of
      theirs before it (a "Nouveau lien" after a refusal, opened by someone else,
      who then answers; a link merely opened after the answer flags nothing:
      explorer O saw a complete dossier turn incomplete by a click);
      accounts whose answers the trainer rejected are not held against it;
    - ``name``: the name typed is not the invited one (:func:`same_name`),
      though the participant was asked « Vous êtes bien … ? »: someone else
      answered, or a greeting became a name; the bundle cannot call the
      proofs complete on that word alone;
    - ``role``: the role chosen is not the one of the invitation (a partner
      signing as a delegate);
    - ``reversal``: an attestation after the same participant swore not to have
      taken part (explorer W, W5: « Arrêt maladie ce jour-là », then ✅ and a
      complete file, the first answer only in the manifest);
    - ``contested``: before it, another account was refused on the link it was given
      through (:func:`bot.attestations.invitations.contested`; explorer AL4: a
      delegate's link forwarded to a classmate, who opened it first and swore in
      her name, counted unflagged);
    - ``elsewhere``: the same chat account attested, for someone else, a bilan of the
      organisation held at the same time (``elsewhere``: those accounts, from
      :func:`~bot.attestations.overlaps.accounts_elsewhere`; explorer W, W6: one account
      swore to two simultaneous bilans as two namesakes, a link sent to the wrong Léa
      Martin, unflagged);
    - ``abroad``: the same, for a bilan of another organisation (``abroad``; explorer AF5:
      one account swore as Léa Martin for one organisation and as Zoé Autre for another at
      the same hour, both counted); the trainer is told only that fact;
    - ``reserve``: the participant wrote words under the text, passed on to the trainer,
      before attesting in the same round (explorer GB5: « oui mais je suis partie à midi »,
      then « OUI !!! », counted unflagged).
    """
    rejected = {r.attestation_id for r in reviews if r.decision == "rejected"}
    discarded = {(a.platform, a.chat_user_id) for a in history if a.id in rejected}
    account = (answer.platform, answer.chat_user_id)
    others = {
        (a.platform, a.chat_user_id)
        for a in history
        if a.participant_id == answer.participant_id and a.version < answer.version
    } | {
        (i.redeemed_platform or "", i.redeemed_user_id or "")
        for i in invitations
        if i.participant_id == answer.participant_id
        and i.redeemed_at is not None
        and i.redeemed_at < answer.answered_at  # a link opened after it says nothing of it
        and i.id != answer.invitation_id
    }
    others -= discarded
    found: list[str] = []
    if others - {account}:
        found.append("identity")
    if any(
        i.id == answer.invitation_id
        and i.contested_at is not None
        and i.contested_at <= answer.answered_at
        for i in invitations
    ):
        found.append("contested")
    if not answer.name_matches:
        found.append("name")
    if answer.answer == "attested" and not answer.role_matches:
        found.append("role")
    if answer.answer == "attested" and any(
        a.participant_id == answer.participant_id
        and a.version < answer.version
        and a.answer == "declined"
        and a.id not in rejected
        for a in history
    ):
        found.append("reversal")
    if answer.answer == "attested" and account in elsewhere:
        found.append("elsewhere")
    if answer.answer == "attested" and account in abroad:
        found.append("abroad")
    if answer.answer == "attested" and reserves(
        answer.words_before, answer.typed_name, answer.role
    ):
        found.append("reserve")
    validated = {(r.attestation_id, r.concern) for r in reviews if r.decision == "validated"}
    # Weighed already for an earlier answer of this person from this very account: the link
    # tried elsewhere, the earlier declaration, the other account are no news at a correction
    # (explorer DB6: a complete dossier incomplete again after the same confirmation).
    earlier = {
        a.id
        for a in history
        if a.participant_id == answer.participant_id
        and a.version < answer.version
        and (a.platform, a.chat_user_id) == account
    }
    weighed = {c for a_id, c in validated if a_id in earlier} & {
        "contested",
        "reversal",
        "identity",
    }
    return tuple(c for c in found if (answer.id, c) not in validated and c not in weighed)
