"""First names usually given to women or to men in France, to tell who a pronoun cannot be.

The bot stores no one's gender.  « Julie m'a dit qu'il était absent vendredi »: Julie passes
on someone else's absence, since « il » is rarely said of a Julie; read as hers, her absence
was proposed (closing 38's Left, explorer UA6).  Only names given almost always to one sex
are listed: a name given to both (« Camille », « Dominique », « Claude », « Sacha ») or not
listed answers ``None``, and the sentence is read as before, the person named in the
question to confirm.  A wrong guess costs one question (who was absent?), never a row.
"""

from __future__ import annotations

from typing import Literal

from bot.answers import fold

_WOMEN = """
Adèle Agathe Aïcha Alice Aline Amandine Amélie Amina Aminata Anaïs Angélique Anne Annie
Audrey Aurélie Awa Aya Béatrice Brigitte Carole Caroline Catherine Cécile Céline Chantal
Charlotte Chloé Christine Claire Clara Clémence Coralie Corinne Delphine Elena Éloïse Elsa
Emma Emmanuelle Estelle Fanny Farah Fatima Fatoumata Florence Françoise Gaëlle Hélène Inès
Isabelle Jade Jeanne Jessica Julie Juliette Justine Karima Khadija Laetitia Laura Laure
Léa Leila Léna Lina Lisa Louise Lucie Malika Manon Margaux Marie Marine Marion Martine
Mathilde Maëlle Mélanie Mélissa Myriam Nadia Nathalie Nina Noémie Océane Pauline Rachida
Rose Sabrina Salomé Samia Sandrine Sarah Séverine Sofia Sonia Sophie Stéphanie Sylvie
Valérie Vanessa Véronique Virginie Yasmine Zoé
"""
_MEN = """
Adam Adrien Ahmed Alain Alexandre Ali Amadou Anthony Antoine Arnaud Arthur Aurélien Baptiste
Benjamin Benoît Bernard Bruno Cédric Christian Christophe Clément Damien David Didier Djibril
Enzo Éric Étienne Fabien Fabrice Florian François Franck Gabriel Guillaume Hamza Hugo Ibrahim
Jacques Jean Jérémy Jérôme Jonathan Joseph Julien Karim Kevin Laurent Léo Louis Luc Lucas
Mamadou Marc Mathieu Maxime Mehdi Michel Mohamed Moussa Nicolas Noah Olivier Omar Pascal
Patrick Paul Philippe Pierre Quentin Rachid Raphaël Rémi Romain Samir Samuel Sébastien
Stéphane Sylvain Théo Thierry Thomas Tom Valentin Vincent Yacine Yanis Youssef Yves
"""


WOMEN, MEN = frozenset(fold(_WOMEN).split()), frozenset(fold(_MEN).split())


def usually(name: str) -> Literal["f", "m"] | None:
    """« f » when the first word of ``name`` (folded or not) is a first name usually a
    woman's, « m » a man's, else ``None``."""
    first = (fold(name).split() or [""])[0]
    return "f" if first in WOMEN else "m" if first in MEN else None
