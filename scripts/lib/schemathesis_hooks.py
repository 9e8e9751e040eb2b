"""Schemathesis hooks for scripts/schemathesis (loaded through SCHEMATHESIS_HOOKS).

Idempotency keys: Schemathesis draws the `Idempotency-Key` header of the REST POSTs from a small
space, so the same few keys come back with different bodies, and most requests stop at the key
check (`422`: the key was used with a different request) before the handler runs. Three in four
of the well-formed keys Schemathesis draws (chosen by the key's CRC-32, so a run's choices are
the same for the same seed) are replaced by a fresh key at each request; the others are sent as
drawn, so repeats, replays and their `422` are still exercised. Malformed keys (the `400`) are
never touched.
"""

import uuid
import zlib

import schemathesis

HEADER = "idempotency-key"


def _well_formed(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= 255 and all("!" <= c <= "~" for c in value)


@schemathesis.hook
def before_call(context, case, **kwargs):
    headers = case.headers or {}
    for name in list(headers):
        value = headers[name]
        if name.lower() == HEADER and _well_formed(value) and zlib.crc32(value.encode()) % 4 != 0:
            headers[name] = str(uuid.uuid4())
