"""Stream XML out of a zip member in bounded pieces, refusing what no spreadsheet writes.

Shared by the xlsx and ODS pre-scans. Pieces end just after a row (or at least a tag), so
element starts are never split; the carry-over is bounded so a giant cell cannot make
buffering quadratic. Any DOCTYPE or ENTITY declaration, a UTF-16 part or an unusual
declared encoding is refused: Excel and LibreOffice never write them, and they are how
billion-laughs, quadratic-blowup and external-entity (XXE) attacks start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO
from xml.parsers import expat

from commissioning.errors import UnreadableFileError

MSG_XML_DECLARATIONS = (
    "This file contains XML declarations (DOCTYPE or ENTITY) that spreadsheet programs never "
    "write, so it was not opened, for safety. Ask the provider to save the return again as a "
    "new .xlsx file and resend it."
)
MSG_XML_ENCODING = (
    "This file stores its contents in a text encoding spreadsheet programs do not use, so it "
    "was not opened, for safety. Ask the provider to save the return again as a new .xlsx file."
)
MSG_XML_DAMAGED = (
    "This spreadsheet is damaged inside (its XML is broken) and cannot be read. Ask the provider "
    "to open it, save it again as a new file, and resend it."
)

CHUNK = 4 * 1024 * 1024
#: a row longer than this is cut at any tag end (keeps buffering linear on a giant cell)
MAX_CARRY = 8 * 1024 * 1024

DECLARATION = re.compile(rb"<!(?i:doctype|entity)")
XML_ENCODING = re.compile(rb"<\?xml[^>]*\bencoding\s*=\s*[\"']([\w.-]+)[\"']")
_SAFE_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def pieces(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield ``stream`` in pieces ending just after ``row>`` (or a ``>``), each checked."""
    carry = b""
    first = True
    while True:
        block = stream.read(CHUNK)
        data = carry + block if carry else block
        if first:
            check_prolog(data)
            first = False
        if not block:
            if data:
                check_piece(data)
                yield data
            return
        cut = data.rfind(b"row>") + 4
        if cut < 4 or (len(data) - cut) > MAX_CARRY:
            cut = data.rfind(b">") + 1
        if cut <= 0:
            if len(data) <= MAX_CARRY:
                carry = data
                continue
            cut = len(data)
        piece = data[:cut]
        check_piece(piece)
        yield piece
        carry = data[cut:]


def check_prolog(data: bytes) -> None:
    """Refuse UTF-16 (or NUL-laden) XML and declared encodings other than UTF-8/ASCII."""
    head = data[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise UnreadableFileError(MSG_XML_ENCODING)
    declared = XML_ENCODING.match(head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if declared and declared.group(1).lower() not in _SAFE_ENCODINGS:
        raise UnreadableFileError(MSG_XML_ENCODING)


def check_piece(piece: bytes) -> None:
    # "!" first: sheet XML holds millions of "<" but seldom a "!", so this is one fast
    # memchr pass where searching for "<!" stops at every tag.
    if b"!" in piece and b"<!" in piece and DECLARATION.search(piece):
        raise UnreadableFileError(MSG_XML_DECLARATIONS)


def drain(stream: IO[bytes]) -> None:
    """Read a whole member through the checks (no other use for its content)."""
    for _ in pieces(stream):
        pass


def expat_parser() -> expat.XMLParserType:
    """An expat parser (namespace-aware, names as "uri local") that refuses any DTD."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args: object) -> None:
        raise UnreadableFileError(MSG_XML_DECLARATIONS)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    return parser


def feed(parser: expat.XMLParserType, stream: IO[bytes]) -> None:
    """Parse ``stream`` with ``parser``; broken XML becomes `UnreadableFileError`."""
    try:
        for piece in pieces(stream):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFileError(MSG_XML_DAMAGED) from exc
