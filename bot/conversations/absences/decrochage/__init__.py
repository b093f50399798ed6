"""Following a décrochage (``/decrochage``): the Elycoop procedure, step by step (003 §2).

    You  /decrochage karim
    Bot  Quels signes avez-vous observés ? … Récapitulatif … [Ouvrir le suivi]
    Bot  Suivi ouvert … Le programmer maintenant ?          (:mod:`.opening`)
    You  /decrochage karim
    Bot  Suivi de Karim Benali … À faire : … Que voulez-vous faire ?   (:mod:`.menu`)
    You  Noter un contact                                    (:mod:`.contact`)
    …    Programmer l'entretien (:mod:`.entretien`), l'annuler (:mod:`.cancel`), rédiger son compte rendu
         (:mod:`.compte_rendu`), noter la solution (:mod:`.solution`), déposer le
         livret (:mod:`.livret`), ajouter des signes (:mod:`.signs`), saisir le ticket
         qualité ou clore (:mod:`.closing`) – each comes back to the menu.

What each step writes is a service of :mod:`bot.absences.records`; what is
due, and done, is the formation's deadlines (:mod:`bot.absences.followup_deadlines`).
"""

from bot.conversations.absences.decrochage.cancel import CANCEL
from bot.conversations.absences.decrochage.closing import CLOSE, TICKET
from bot.conversations.absences.decrochage.compte_rendu import COMPTE_RENDU
from bot.conversations.absences.decrochage.contact import CONTACT
from bot.conversations.absences.decrochage.entretien import ENTRETIEN
from bot.conversations.absences.decrochage.livret import LIVRET, PIECE
from bot.conversations.absences.decrochage.opening import MAIN
from bot.conversations.absences.decrochage.signs import SIGNS
from bot.conversations.absences.decrochage.solution import SOLUTION

FLOWS = [
    MAIN,
    CONTACT,
    ENTRETIEN,
    CANCEL,
    COMPTE_RENDU,
    SOLUTION,
    LIVRET,
    PIECE,
    SIGNS,
    TICKET,
    CLOSE,
]
