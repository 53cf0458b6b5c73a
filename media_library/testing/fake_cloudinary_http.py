"""The fake Cloudinary's HTTP side: a request handler that reads the SDK's multipart forms,
records every request, hands API calls (POST) and deliveries (GET) to the fake's API
(fake_cloudinary_api.py), and answers as Cloudinary does, errors as
`{"error": {"message": ...}}`. FakeCloudinary (fake_cloudinary.py) serves it on loopback.
"""

from __future__ import annotations

import json
import secrets
import socket
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .fake_cloudinary_api import CloudinaryApi
from .fake_cloudinary_assets import CloudinaryApiError, DropConnection, RecordedRequest
from .fake_cloudinary_direct import CORS_HEADERS


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], tuple | None]:
    """Text fields (repeated `key[]` fields as lists) and the `file` part as (filename, bytes)."""
    message: Message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, Any] = {}
    file = None
    if not message.is_multipart():
        return fields, file
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "file":
            file = (part.get_filename() or "file", payload)
        elif name and name.endswith("[]"):
            fields.setdefault(name, []).append(payload.decode())
        elif name:
            fields[name] = payload.decode()
    return fields, file


class RequestHandler(BaseHTTPRequestHandler):
    """Subclassed per server with `fake` set (FakeCloudinary.start)."""

    fake: CloudinaryApi
    protocol_version = "HTTP/1.1"  # keep-alive, as urllib3's pool expects

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet test output

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        fields, file = parse_multipart(self.headers.get("Content-Type", ""), body)
        self.fake.record(RecordedRequest("POST", self.path, fields=dict(fields), headers=headers))
        parts = urlsplit(self.path).path.strip("/").split("/")
        try:
            if len(parts) != 4 or parts[0] != "v1_1":
                raise CloudinaryApiError(404, f"Unknown path {self.path} (fake Cloudinary)")
            result = self.fake.handle_api(
                cloud=parts[1],
                resource_type=parts[2],
                action=parts[3],
                fields=fields,
                file=file,
                headers=headers,
            )
        except DropConnection:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        except CloudinaryApiError as error:
            self._send_json(error.status, {"error": {"message": error.message}})
        else:
            self._send_json(HTTPStatus.OK, result)

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A browser's CORS preflight before it POSTs chunks (fake_cloudinary_direct)."""
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")

    def do_GET(self) -> None:  # noqa: N802
        """A private download URL (`/v1_1/<cloud>/<resource_type>/download?...`, the API's),
        the Admin API's details of an asset (`/v1_1/<cloud>/resources/...`) or a delivery URL
        (the CDN's)."""
        self.fake.record(RecordedRequest("GET", self.path))
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        if len(parts) >= 6 and parts[0] == "v1_1" and parts[2] == "resources":
            try:
                details = self.fake.resource(
                    cloud=parts[1],
                    resource_type=parts[3],
                    delivery_type=parts[4],
                    public_id=unquote("/".join(parts[5:])),
                    query=query,
                    authorization=self.headers.get("Authorization", ""),
                )
            except CloudinaryApiError as error:
                self._send_json(error.status, {"error": {"message": error.message}})
            else:
                self._send_json(HTTPStatus.OK, details)
            return
        try:
            if len(parts) == 4 and parts[0] == "v1_1" and parts[3] == "download":
                data = self.fake.download(cloud=parts[1], resource_type=parts[2], fields=query)
            else:
                data = self.fake.deliver(url.path, query)
        except CloudinaryApiError as error:
            if parts[0] == "v1_1":
                self._send_json(error.status, {"error": {"message": error.message}})
            else:  # the CDN says why in a header, as Cloudinary's does
                self._send(error.status, b"", "text/plain", {"X-Cld-Error": error.message})
            return
        if data is None:
            self._send(HTTPStatus.NOT_FOUND, b"Resource not found", "text/plain")
        else:
            self._send(HTTPStatus.OK, data, "application/octet-stream")

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", secrets.token_hex(8))
        for name, value in CORS_HEADERS.items():
            self.send_header(name, value)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
