#!/usr/bin/env python3
"""Golden tests of holos-generator.

Each case is a directory tests/golden/NN-what/ with a holos.yaml and an expected/ tree: every
file and symlink the generator writes for it. The runner asks the generator for its units
(--dry-run, with the accelerator pinned to kvm, plus the arguments listed one per line in the
case's optional generator-args file, such as --user or --enable), rebuilds the tree, and
diffs it against expected/. The checkout's absolute path is replaced by @SOURCE_DIR@, and
the generator sees a fixed home and runtime directory, so results do not depend on where the
tree lives or who runs the tests.

    run_golden.py GENERATOR CASES_DIR            compare
    run_golden.py GENERATOR CASES_DIR --update   rewrite every expected/ tree
    run_golden.py GENERATOR CASES_DIR --write-to DIR
        write each case's generated tree, with real paths, to DIR/CASE (for systemd-analyze
        verify, which needs the holos programs installed where the units point)
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEADER = re.compile(r"^==> (.+?)(?: -> (.+))? <==$")


# What user-mode paths derive from; everything else that could vary is removed.
ENVIRONMENT = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/home/holos",
               "XDG_RUNTIME_DIR": "/run/user/1000"}


def generator_args(compose_file):
    path = os.path.join(os.path.dirname(compose_file), "generator-args")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def dry_run(generator, compose_file):
    result = subprocess.run([generator, "--dry-run", compose_file, "--accel", "kvm"] +
                            generator_args(compose_file),
                            capture_output=True, text=True, env=ENVIRONMENT)
    if result.returncode != 0:
        raise RuntimeError(f"{compose_file}: generator failed:\n{result.stderr}")
    return result.stdout


def split_units(output, source_dir):
    """Turns the "==> NAME <==" sections back into {path: content or ('link', target)}."""
    tree, name, lines = {}, None, []
    for line in output.replace(source_dir, "@SOURCE_DIR@").splitlines(keepends=True):
        match = HEADER.match(line.rstrip("\n"))
        if match:
            if name is not None:
                tree[name] = "".join(lines)[:-1]  # drop the separating blank line
            name, lines = match.group(1), []
            if match.group(2):
                tree[name], name = ("link", match.group(2)), None
            continue
        lines.append(line)
    if name is not None:
        tree[name] = "".join(lines)[:-1]
    return tree


def read_tree(root):
    tree = {}
    for directory, _, files in os.walk(root):
        for file in files:
            path = os.path.join(directory, file)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                tree[relative] = ("link", os.readlink(path))
            else:
                with open(path) as f:
                    tree[relative] = f.read()
    return tree


def write_tree(root, tree):
    shutil.rmtree(root, ignore_errors=True)
    for relative, content in tree.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, tuple):
            os.symlink(content[1], path)
        else:
            with open(path, "w") as f:
                f.write(content)


def describe(content):
    if isinstance(content, tuple):
        return [f"symlink -> {content[1]}\n"]
    return content.splitlines(keepends=True)


def compare(case, expected, actual):
    failures = []
    for path in sorted(set(expected) | set(actual)):
        if path not in actual:
            failures.append(f"{case}: {path}: expected but not generated\n")
        elif path not in expected:
            failures.append(f"{case}: {path}: generated but not expected\n")
        elif expected[path] != actual[path]:
            diff = difflib.unified_diff(describe(expected[path]), describe(actual[path]),
                                        f"expected/{path}", f"generated/{path}")
            failures.append(f"{case}: {path} differs:\n" + "".join(diff))
    return failures


def main():
    if len(sys.argv) not in (3, 4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    generator, cases_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    update = len(sys.argv) == 4 and sys.argv[3] == "--update"
    write_to = sys.argv[4] if len(sys.argv) == 5 and sys.argv[3] == "--write-to" else None
    source_dir = os.path.dirname(os.path.dirname(cases_dir))
    failures, cases = [], sorted(d for d in os.listdir(cases_dir)
                                 if os.path.isfile(os.path.join(cases_dir, d, "holos.yaml")))
    for case in cases:
        case_dir = os.path.join(cases_dir, case)
        if write_to:
            output = dry_run(generator, os.path.join(case_dir, "holos.yaml"))
            write_tree(os.path.join(write_to, case), split_units(output, "\0"))
            continue
        actual = split_units(dry_run(generator, os.path.join(case_dir, "holos.yaml")),
                             source_dir)
        expected_dir = os.path.join(case_dir, "expected")
        if update:
            write_tree(expected_dir, actual)
            continue
        failures += compare(case, read_tree(expected_dir), actual)
    if write_to:
        return 0
    for failure in failures:
        print(failure, end="")
    passed = len(cases) - len({f.split(":")[0] for f in failures})
    print(f"{passed} passed, {len(cases) - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
