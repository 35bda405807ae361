"""The postings format of the archive's phrase fields: Whoosh's Positions, with the positions
stored as an array of fixed-width integers instead of a pickled list.

A value is the occurrence count (Whoosh's unsigned int, as Positions has it, so frequency
and weight read the same), one type byte, then the gaps between positions as little-endian
integers of that type: "H" (2 bytes) unless a gap reaches 65,536, then "I" (4 bytes). The
values of many documents join into one buffer that numpy reads in one call
(arrays.positions): a phrase then checks its candidates without one unpickling a value,
which was most of a phrase query's time at 100,000 articles (bench/RESULTS.md).

The class is named in every index written with it (Whoosh pickles the schema): it stays
at this path. Indexes written before it keep Whoosh's Positions, and a schema of the other
format is a rebuild (schema.signature names the format).
"""
from __future__ import annotations

import sys
from array import array

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint

NARROW, WIDE = b"H", b"I"
_SWAP = sys.byteorder != "little"


def encode_gaps(poslist) -> bytes:
    gaps = array("I")
    base = 0
    for pos in poslist:
        gaps.append(pos - base)
        base = pos
    code = WIDE
    if max(gaps, default=0) < 65_536:
        gaps, code = array("H", gaps), NARROW
    if _SWAP:
        gaps.byteswap()
    return pack_uint(len(gaps)) + code + gaps.tobytes()


def decode_gaps(valuestring: bytes) -> list[int]:
    gaps = array(valuestring[_INT_SIZE:_INT_SIZE + 1].decode("ascii"))
    gaps.frombytes(valuestring[_INT_SIZE + 1:])
    if _SWAP:
        gaps.byteswap()
    return gaps.tolist()


class ArrayPositions(Positions):
    """Positions stored as an array of gaps (see the module's docstring)."""

    def encode(self, poslist) -> bytes:
        return encode_gaps(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        position, positions = 0, []
        for gap in decode_gaps(valuestring):
            position += gap
            positions.append(position)
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return unpack_uint(valuestring[:_INT_SIZE])[0]
