"""Attestations sur l'honneur after a bilan, and the proof bundle for the Région.

The Région Normandie procedure (seed ``000``, §III; rule NOR-PROOF) asks the
organisation to send the chargé(e) de mission every attestation sur
l'honneur returned by the participants of a remote bilan, or the feuille
d'émargement when they were on site.  This package holds what the two
conversations share:

- :mod:`bot.attestations.settings`: the organisation setting (validity of a
  participant's invitation after the bilan);
- :mod:`bot.attestations.service`: the reads: a bilan with its words, which
  bilans a trainer sees, answers, sheets, sendings, the completeness check,
  and the audit helper;
- :mod:`bot.attestations.invitations`: codes issued, reissued, invitations
  and reminders, redeeming by one chat, the checks at every step;
- :mod:`bot.attestations.answers`: attesting, declining, correcting;
- :mod:`bot.attestations.sheets`: the signed feuille d'émargement;
- :mod:`bot.attestations.sending`: the bundle handed over, the e-mail recorded;
- :mod:`bot.attestations.evidence`: the attestation text (rendered once from
  ``templates/documents/attestation.txt.j2`` and frozen), its hash, the PDF;
- :mod:`bot.attestations.bundle`: the ZIP for the chargé(e) de mission;
- :mod:`bot.attestations.mail`: e-mailing that ZIP, outside any transaction;
- :mod:`bot.attestations.reminders`: the bot writes first when a bilan is over;
- :mod:`bot.attestations.exports`: ``formabot export attestations``.

None of them receives a ``Context``: the dialogues call them with the
session, who acts and when.
The conversations are :mod:`bot.conversations.attestations.participant` (the participant,
in their own chat) and :mod:`bot.conversations.attestations.trainer` (the trainer, whose
menu calls :mod:`~bot.conversations.attestations.sheet` and
:mod:`~bot.conversations.attestations.send`).
"""
