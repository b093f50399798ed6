"""People as a service: the first organisation, chat identities, invitations, memberships.

Plain functions over a session (no dialogue, no ``Context``): the chat
dialogues in ``bot/conversations/people/`` ask and confirm, then call one
of them.
"""
