"""The privacy dialogues: ``/mesdonnees`` for anyone, ``/effacer`` for admins."""
