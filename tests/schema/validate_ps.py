#!/usr/bin/env python3
"""Validates `holosctl ps --json` output against lib/ps.schema.json.

    validate_ps.py SCHEMA [FILE]        (FILE defaults to stdin)

Prints each violation with its location in the document and exits 1 if there is any; also
fails on a schema that is itself invalid, so the schema is checked by every use.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    source = open(sys.argv[2], encoding="utf-8") if len(sys.argv) == 3 else sys.stdin
    with source:
        document = json.load(source)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for error in errors:
        where = "/".join(str(p) for p in error.path) or "(top level)"
        print(f"{where}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
