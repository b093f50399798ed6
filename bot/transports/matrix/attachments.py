"""A file someone sent, fetched from the homeserver and decrypted for the engine.

Apart from the transport so that its module keeps to translation and its loops; nothing
here keeps state: the client is the transport's.
"""

from __future__ import annotations

from typing import Any

from nio import AsyncClient, DownloadResponse
from nio.crypto import decrypt_attachment

from bot.messages import Attachment
from bot.transports.matrix import render


async def download(client: AsyncClient, file: dict[str, Any]) -> Attachment:
    """The file of :func:`.render.read` (``said.file``), decrypted when it came encrypted;
    over :data:`.render.MAX_DOWNLOAD`, or not on the homeserver, an empty one (the engine
    says why), never fetched."""
    name, mime = file["filename"], file["mime_type"]
    if file["size"] > render.MAX_DOWNLOAD or not file["url"].startswith("mxc://"):
        return Attachment(name, mime, b"")
    response = await client.download(mxc=file["url"])
    if not isinstance(response, DownloadResponse):
        raise RuntimeError(f"download refused: {getattr(response, 'status_code', '?')}")
    content = bytes(response.body)
    keys = file["keys"]
    if keys is not None:
        content = decrypt_attachment(
            content, keys["key"]["k"], keys["hashes"]["sha256"], keys["iv"]
        )
    return Attachment(name, mime, content[: render.MAX_DOWNLOAD])
