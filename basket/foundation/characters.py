"""Characters that are not text, and keeping them out of XML.

Program text is printed into SVG, GraphML, GEXF, HTML, PDF and Word (XML inside a zip). XML 1.0
cannot hold most control characters, the surrogate code points (halves of UTF-16 pairs, never a
character on their own) or U+FFFE/U+FFFF; Graphviz, lxml and python-docx fail on them, and the
UTF-8 encoder fails on a lone surrogate. So the loader refuses them in every value
(`forbidden_character`), and every XML writer passes its text through `xml_safe`, which turns what
XML cannot hold into U+FFFD, so its output is well-formed whatever it is given.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; surrogates; the
# Unicode noncharacters (U+FDD0-U+FDEF and the last two code points of every plane).
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")
# what XML 1.0 does not allow at all (its Char production)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def forbidden_character(text: str) -> str | None:
    """A description of the first character of `text` that is not text ("U+0007 (BEL)"), or None."""
    if text.isprintable():  # the common case, in C: no control, surrogate or unassigned character at all
        return None
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return describe(found.group())


def describe(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a lone surrogate)"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "")
    kind = "a control character" if unicodedata.category(char) == "Cc" else "not a character"
    return f"U+{code:04X} ({name or kind})"


_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED", 0x1B: "ESCAPE",
                  0x7F: "DELETE", 0x85: "NEXT LINE"}


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    if text.isprintable():
        return text
    return _NOT_XML.sub(REPLACEMENT, text)
