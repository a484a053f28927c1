#!/usr/bin/env python3
"""Validates the example and sample holos.yaml files against lib/holos.schema.json, and checks
that the schema rejects a few documents the parser rejects.

    validate_samples.py SOURCE_DIR

Samples named invalid-*.yaml are skipped: the parser rejects them, but the schema cannot see
every reason (cycles, missing files, port clashes).
PyYAML's safe_load resolves merge keys ("<<: *base") as the parser does, before validation.
"""
import json
import pathlib
import sys

import jsonschema
import yaml


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_valid(validator, path):
    errors = sorted(validator.iter_errors(load_yaml(path)), key=lambda e: list(e.path))
    for error in errors:
        where = ".".join(str(p) for p in error.path) or "(top level)"
        print(f"{path}: {where}: {error.message}", file=sys.stderr)
    return not errors


INVALID = {
    "an unknown top-level key": {"services": {"web": {"image": "debian:12"}}, "networks": {}},
    "an unknown service key": {"services": {"web": {"image": "debian:12", "imag": "x"}}},
    "an unknown vm key": {"services": {"web": {"image": "debian:12", "vm": {"cpus": 2}}}},
    "a service name that is not a DNS label": {"services": {"Web_1": {"image": "debian:12"}}},
    "no services": {"name": "demo", "services": {}},
    "replicas above 64": {"services": {"web": {"image": "debian:12", "replicas": 65}}},
    "an unquoted octal mode": {"services": {"web": {"image": "debian:12", "cloud_init": {
        "write_files": [{"path": "/etc/x", "permissions": 644}]}}}},
    "a write_files entry without a path": {"services": {"web": {"image": "debian:12",
        "cloud_init": {"write_files": [{"content": "x"}]}}}},
    "an unknown restart policy": {"services": {"web": {"image": "debian:12",
                                                       "restart": "sometimes"}}},
    "an unknown dependency condition": {"services": {"web": {"image": "debian:12",
        "depends_on": {"db": {"condition": "service_ready"}}}, "db": {"image": "debian:12"}}},
    "an sctp port": {"services": {"web": {"image": "debian:12", "ports": ["53:53/sctp"]}}},
    "a malformed duration": {"services": {"web": {"image": "debian:12",
                                                  "stop_grace_period": "soon"}}},
    "an unknown volume key": {"services": {"web": {"image": "debian:12"}},
                              "volumes": {"data": {"driver": "local"}}},
    "memory in bytes below 64 MiB": {"services": {"web": {"image": "debian:12",
                                                          "vm": {"memory": 1000}}}},
    "a size with a space before its unit": {"services": {"web": {"image": "debian:12",
                                                                 "vm": {"disk_size": "20 G"}}}},
}


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    with open(root / "lib" / "holos.schema.json", encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    failures = 0
    valid_files = sorted(root.glob("examples/*/holos.yaml"))
    valid_files += sorted(p for p in root.glob("tests/samples/*.yaml")
                          if not p.name.startswith("invalid-"))
    valid_files += sorted(root.glob("tests/golden/*/holos.yaml"))
    for path in valid_files:
        if not check_valid(validator, path):
            failures += 1

    for name, document in INVALID.items():
        if validator.is_valid(document):
            print(f"the schema accepts {name}", file=sys.stderr)
            failures += 1

    print(f"{len(valid_files)} files valid, {len(INVALID)} invalid documents rejected"
          if failures == 0 else f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
