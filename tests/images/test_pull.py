#!/usr/bin/env python3
"""holosctl pull, verify, images and image import against a loopback HTTP server.

Runs the real holosctl in user mode with private XDG directories, so it needs neither root
nor systemd, and the store it fills is a temporary one. The server (image_server.py) plays
the distributions' download sites, reached through holos.conf's image_mirror.

    test_pull.py HOLOSCTL
"""
import hashlib
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_server  # noqa: E402

HOLOSCTL = None
QEMU_IMG = shutil.which("qemu-img") or "/usr/bin/qemu-img"


class PullTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="holos-pull-test-")
        self.root = os.path.join(self.tmp, "www")
        os.makedirs(self.root)
        self.server = image_server.start(self.root)
        for sub in ("run", "state", "config/holos"):
            os.makedirs(os.path.join(self.tmp, sub), exist_ok=True)
        with open(os.path.join(self.tmp, "config/holos/holos.conf"), "w") as f:
            f.write(f"image_mirror = http://127.0.0.1:{self.server.server_port}\n"
                    "pull_stall_timeout = 2\n")
        self.store = os.path.join(self.tmp, "state/holos/images")
        self.env = dict(os.environ, XDG_RUNTIME_DIR=os.path.join(self.tmp, "run"),
                        XDG_STATE_HOME=os.path.join(self.tmp, "state"),
                        XDG_CONFIG_HOME=os.path.join(self.tmp, "config"))
        self.catalogue = {e["image"]: e for e in self.holosctl_json("images")["catalogue"]}

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.tmp)

    # ---- helpers

    def holosctl(self, *args, **kwargs):
        return subprocess.run([HOLOSCTL, "--user", *args], env=self.env, capture_output=True,
                              text=True, timeout=120, **kwargs)

    def holosctl_json(self, *args):
        result = self.holosctl(*args, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def make_image(self, name, size="16M"):
        path = os.path.join(self.tmp, name)
        subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", path, size], check=True)
        return path

    def publish(self, image, file, wrong_checksum=False):
        return image_server.publish(self.root, self.catalogue[image], file, wrong_checksum)

    def image_path(self, image):
        return image_server.local_path(self.root, self.catalogue[image]["url"])

    def set_rule(self, image, **rule):
        path = "/" + os.path.relpath(self.image_path(image), self.root)
        with open(os.path.join(self.root, "rules.json"), "w") as f:
            json.dump({path: rule}, f)

    def requests(self):
        try:
            with open(os.path.join(self.root, "requests.log")) as f:
                return [json.loads(line) for line in f]
        except FileNotFoundError:
            return []

    def files_in(self, sub):
        found = []
        for directory, _, files in os.walk(os.path.join(self.store, sub)):
            found += [os.path.join(directory, f) for f in files]
        return found

    def stored(self):
        return {e["image"]: e for e in self.holosctl_json("images")["store"]}

    def assert_nothing_stored(self):
        self.assertEqual(self.files_in("refs"), [])
        self.assertEqual(self.files_in("blobs"), [])

    def sha256_of(self, path):
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    # ---- good pulls

    def test_pulls_every_catalogue_image_through_its_checksum_layout(self):
        expected = {}
        for number, image in enumerate(self.catalogue):
            expected[image] = self.publish(image, self.make_image(image, f"{16 + number}M"))
        result = self.holosctl("pull", *expected)
        self.assertEqual(result.returncode, 0, result.stderr)

        stored = self.stored()
        self.assertEqual(sorted(stored), sorted(expected))
        for image, sha256 in expected.items():
            blob = os.path.join(self.store, "blobs/sha256", sha256)
            self.assertEqual(stored[image]["sha256"], sha256, image)
            self.assertEqual(stored[image]["path"], blob, image)
            self.assertEqual(stored[image]["source"], "pull", image)
            self.assertEqual(self.sha256_of(blob), sha256, image)
            self.assertEqual(os.stat(blob).st_mode & 0o777, 0o444, image)
        self.assertEqual(self.files_in("tmp"), [p for p in self.files_in("tmp")
                                                if p.endswith(".lock")])
        verify = self.holosctl("verify", "--all")
        self.assertEqual(verify.returncode, 0, verify.stderr)
        self.assertEqual(verify.stdout.count(": ok (sha256:"), len(expected))

    def test_an_alias_is_pulled_and_filed_under_the_canonical_name(self):
        sha256 = self.publish("ubuntu:24.04", self.make_image("u"))
        result = self.holosctl("pull", "ubuntu:noble")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.stored()["ubuntu:24.04"]["sha256"], sha256)

    def test_a_second_pull_of_an_unchanged_image_downloads_nothing(self):
        self.publish("debian:12", self.make_image("d"))
        self.assertEqual(self.holosctl("pull", "debian:12").returncode, 0)
        before = len(self.requests())
        result = self.holosctl("pull", "debian:bookworm")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("debian:12 is up to date", result.stdout)
        paths = [r["path"] for r in self.requests()[before:]]
        self.assertEqual(paths, ["/cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS"])

    # The reason the store is content-addressed: a re-published "latest" is a new image.
    def test_a_republished_image_gets_a_new_file_and_the_old_one_stays(self):
        first = self.publish("arch:latest", self.make_image("a1", "16M"))
        self.assertEqual(self.holosctl("pull", "arch").returncode, 0)
        old_blob = os.path.join(self.store, "blobs/sha256", first)
        overlay = os.path.join(self.tmp, "overlay.qcow2")
        subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", old_blob,
                        overlay], check=True)

        second = self.publish("arch:latest", self.make_image("a2", "20M"))
        result = self.holosctl("pull", "arch")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("pulled arch:latest", result.stdout)
        self.assertEqual(self.stored()["arch:latest"]["sha256"], second)
        self.assertEqual(self.sha256_of(old_blob), first)
        self.assertEqual(self.holosctl_json("images")["unreferenced"], [first])
        check = subprocess.run([QEMU_IMG, "info", "--backing-chain", overlay],
                               capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("virtual size: 16 MiB", check.stdout)

    # ---- bad downloads leave nothing in the store

    def test_a_wrong_checksum_stores_nothing(self):
        self.publish("fedora:43", self.make_image("f"), wrong_checksum=True)
        result = self.holosctl("pull", "fedora:43")
        self.assertEqual(result.returncode, 1)
        self.assertIn("the download does not match its checksum (expected sha256:",
                      result.stderr)
        self.assertIn("it was deleted", result.stderr)
        self.assert_nothing_stored()
        self.assertEqual([p for p in self.files_in("tmp") if p.endswith(".part")], [])

    def test_a_missing_image_or_checksum_file_stores_nothing(self):
        self.publish("rocky:9", self.make_image("r"))
        self.set_rule("rocky:9", mode="missing")
        result = self.holosctl("pull", "rocky:9")
        self.assertEqual(result.returncode, 1)
        self.assertIn("GenericCloud-Base.latest.x86_64.qcow2: HTTP 404", result.stderr)
        self.assert_nothing_stored()

        result = self.holosctl("pull", "alma:9")
        self.assertEqual(result.returncode, 1)
        self.assertIn("holosctl: fetching http://127.0.0.1:", result.stderr)
        self.assertIn("/almalinux/9/cloud/x86_64/images/CHECKSUM: HTTP 404", result.stderr)
        self.assert_nothing_stored()

    def test_a_file_that_is_not_the_promised_format_stores_nothing(self):
        junk = os.path.join(self.tmp, "junk")
        with open(junk, "wb") as f:
            f.write(os.urandom(200000))
        self.publish("alpine:3.23", junk)
        result = self.holosctl("pull", "alpine")
        self.assertEqual(result.returncode, 1)
        self.assertIn("matches its checksum but is not a usable qcow2 image", result.stderr)
        self.assert_nothing_stored()

    def test_a_stalled_transfer_is_aborted(self):
        self.publish("debian:13", self.make_image("d13"))
        self.set_rule("debian:13", mode="stall", bytes=4096, seconds=60)
        started = time.monotonic()
        result = self.holosctl("pull", "debian:13")
        took = time.monotonic() - started
        self.assertEqual(result.returncode, 1)
        self.assertIn("the transfer stalled (less than 1024 bytes/s for 2 s)", result.stderr)
        self.assertLess(took, 30)
        self.assert_nothing_stored()

    def test_a_truncated_download_stores_nothing_and_the_next_pull_continues_it(self):
        sha256 = self.publish("ubuntu:22.04", self.make_image("u22"))
        self.set_rule("ubuntu:22.04", mode="truncate", bytes=100000, times=1)
        result = self.holosctl("pull", "ubuntu:22.04")
        self.assertEqual(result.returncode, 1)
        self.assertIn("the server closed the connection before the end of the file",
                      result.stderr)
        self.assert_nothing_stored()
        partial = [p for p in self.files_in("tmp") if p.endswith(".part")]
        self.assertEqual(len(partial), 1)
        self.assertEqual(os.path.getsize(partial[0]), 100000)

        result = self.holosctl("pull", "ubuntu:22.04")
        self.assertEqual(result.returncode, 0, result.stderr)
        image_requests = [r for r in self.requests() if r["path"].endswith(".img")]
        self.assertEqual([r["range"] for r in image_requests], [None, "bytes=100000-"])
        self.assertEqual(self.stored()["ubuntu:22.04"]["sha256"], sha256)
        self.assertEqual([p for p in self.files_in("tmp") if p.endswith(".part")], [])

    def test_a_server_without_ranges_makes_the_pull_start_over(self):
        sha256 = self.publish("alpine:3.22", self.make_image("a"))
        self.set_rule("alpine:3.22", mode="truncate", bytes=50000, times=1)
        self.assertEqual(self.holosctl("pull", "alpine:3.22").returncode, 1)
        self.set_rule("alpine:3.22", mode="no-range")
        result = self.holosctl("pull", "alpine:3.22")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.stored()["alpine:3.22"]["sha256"], sha256)

    # A partial file from before upstream replaced the image cannot be continued.
    def test_a_continued_download_that_does_not_match_starts_again(self):
        self.publish("fedora:42", self.make_image("old", "16M"))
        self.set_rule("fedora:42", mode="truncate", bytes=60000, times=1)
        self.assertEqual(self.holosctl("pull", "fedora:42").returncode, 1)
        sha256 = self.publish("fedora:42", self.make_image("new", "24M"))
        result = self.holosctl("pull", "fedora:42")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("the continued download does not match its checksum; starting again",
                      result.stderr)
        self.assertEqual(self.stored()["fedora:42"]["sha256"], sha256)

    # ---- output, offline verbs, import

    def test_progress_is_plain_lines_in_a_pipe_and_a_bar_on_a_terminal(self):
        self.publish("debian:12", self.make_image("d", "64M"))
        result = self.holosctl("pull", "debian:12")
        self.assertIn("debian:12: downloading http://127.0.0.1:", result.stderr)
        self.assertRegex(result.stderr, r"debian:12: [0-9.]+ MiB of [0-9.]+ MiB \(100%\)\n")
        self.assertNotIn("\r", result.stderr)

        os.remove(os.path.join(self.store, "refs/debian/12.json"))
        primary, replica = pty.openpty()
        process = subprocess.Popen([HOLOSCTL, "--user", "pull", "debian:12"], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=replica)
        os.close(replica)
        screen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        process.wait(timeout=60)
        os.close(primary)
        self.assertEqual(process.returncode, 0)
        self.assertIn(b"\rdebian:12 [##############################] 100%", screen)

    def test_offline_verbs_never_reach_the_server(self):
        compose = os.path.join(self.tmp, "holos.yaml")
        with open(compose, "w") as f:
            f.write("name: offline\nservices:\n  web:\n    image: fedora:43\n")
        for args in (["validate", "-f", compose], ["config", "-f", compose], ["images"],
                     ["verify", "--all"]):
            result = self.holosctl(*args)
            self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
        self.assertEqual(self.requests(), [])

    def test_pull_of_a_name_the_catalogue_does_not_know_fails_without_a_request(self):
        result = self.holosctl("pull", "debian:7")
        self.assertEqual(result.returncode, 1)
        self.assertIn("image debian:7 is not in the catalogue", result.stderr)
        result = self.holosctl("pull", "Debian")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(self.requests(), [])

    def test_import_adds_a_file_and_refuses_an_overlay(self):
        base = self.make_image("base.qcow2")
        result = self.holosctl("image", "import", base, "--name", "mine:1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.stored()["mine:1"]["sha256"], self.sha256_of(base))
        self.assertEqual(self.stored()["mine:1"]["origin"], base)
        names = self.holosctl("images", "-q").stdout.split()
        self.assertIn("mine:1", names)
        self.assertIn("debian:bookworm", names)

        overlay = os.path.join(self.tmp, "overlay.qcow2")
        subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base,
                        overlay], check=True)
        result = self.holosctl("image", "import", overlay, "--name", "bad")
        self.assertEqual(result.returncode, 1)
        self.assertIn("a base image must stand alone", result.stderr)
        self.assertNotIn("bad:latest", self.stored())

    def test_verify_reports_a_changed_file(self):
        base = self.make_image("base.qcow2")
        self.assertEqual(self.holosctl("image", "import", base, "--name", "mine").returncode, 0)
        blob = self.stored()["mine:latest"]["path"]
        os.chmod(blob, 0o644)
        with open(blob, "r+b") as f:
            f.seek(1000)
            f.write(b"x")
        result = self.holosctl("verify", "mine")
        self.assertEqual(result.returncode, 1)
        self.assertIn("holosctl: mine:latest: " + blob + " has changed", result.stderr)


if __name__ == "__main__":
    HOLOSCTL = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
