"""Matrix and Tchap (matrix-nio, end-to-end encrypted): see :mod:`.transport`.

- :mod:`.session`: log in once, then reuse the stored device and keys;
- :mod:`.inbox`: the sync token and the events waiting, in formabot's SQL;
- :mod:`.pacing`: one sender per account, at Tchap's pace;
- :mod:`.render`: replies as message contents, messages as text and files.
"""

from bot.transports.matrix.transport import MatrixTransport

__all__ = ["MatrixTransport"]
