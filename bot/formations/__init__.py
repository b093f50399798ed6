"""Formations as a service: creating and editing them, their sessions, trainees and delegates.

Plain functions over a session (no dialogue, no ``Context``): the chat
dialogues in ``bot/conversations/formations/`` ask and confirm, then call
one of them.
"""
