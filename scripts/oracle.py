#!/usr/bin/env python3
"""The independent count: one plain pass over each census file, no code shared with the app.

usage: oracle.py YEAR FILE... -> prints {"YEAR": {"0": n, ..., "12": n}} as JSON
"""
import gzip
import json
import sys


def count(year, files):
    counts = [0] * 13
    for name in files:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rb") as f:
            for raw in f:
                line = raw.rstrip(b"\r\n")
                try:
                    code = int(line[30:32].decode("latin-1").strip()) if len(line) >= 32 else -1
                except ValueError:
                    code = -1
                if 0 <= code <= 12:
                    counts[code] += 1
    return {str(year): {str(c): n for c, n in enumerate(counts)}}


if __name__ == "__main__":
    print(json.dumps(count(sys.argv[1], sys.argv[2:])))
