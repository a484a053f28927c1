#!/usr/bin/env python3
"""A stand-in for distribution download servers, on loopback, for the image tests.

Files live under ROOT/<upstream host>/<path>, the layout holos reads through its
image_mirror setting. ROOT/rules.json (re-read on every request) makes chosen paths
misbehave, as real servers and networks do:

    {"/cloud.debian.org/x.qcow2": {"mode": "truncate", "bytes": 65536, "times": 1}}

    missing   answer 404
    truncate  promise the whole file, send the first "bytes", then close the connection
    stall     send the first "bytes", then nothing for "seconds" (default 30)
    no-range  ignore Range headers and always send the whole file with 200
    "times": N applies the rule to the first N requests of the path only.

Every request is appended to ROOT/requests.log as a JSON line {"path", "range"}.

    image_server.py serve ROOT PORT_FILE [LIFETIME_S]   serve until killed or LIFETIME_S
    image_server.py publish ROOT ENTRY_JSON IMAGE_FILE [--wrong-checksum]
        put IMAGE_FILE where the catalogue entry (one element of `holosctl images --json`'s
        "catalogue") says, with a checksum file in the entry's format
"""
import hashlib
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse

RANGE = re.compile(r"^bytes=(\d+)-$")


def local_path(root, url):
    """ROOT/<host>/<path> for an upstream URL."""
    parts = urllib.parse.urlsplit(url)
    return os.path.join(root, parts.netloc, parts.path.lstrip("/"))


def checksum_text(entry, digest):
    """A checksum file as the distribution of `entry` writes one."""
    name = entry["file_name"] if "file_name" in entry else entry["url"].rsplit("/", 1)[1]
    algorithm = entry["algorithm"].upper()
    decoy = "0" * len(digest)
    if entry["checksum_format"] == "gnu":
        return f"{decoy}  other-{name}\n{digest}  {name}\n"
    if entry["checksum_format"] == "bsd":
        return ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                f"# {name}: 123 bytes\n{algorithm} (other-{name}) = {decoy}\n"
                f"{algorithm} ({name}) = {digest}\n"
                "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n")
    return f"{digest}\n"


def publish(root, entry, image_file, wrong_checksum=False):
    with open(image_file, "rb") as f:
        data = f.read()
    digest = hashlib.new(entry["algorithm"], data).hexdigest()
    if wrong_checksum:
        digest = hashlib.new(entry["algorithm"], data + b"x").hexdigest()
    image_path = local_path(root, entry["url"])
    os.makedirs(os.path.dirname(image_path), exist_ok=True)
    with open(image_path, "wb") as f:
        f.write(data)
    checksum_path = local_path(root, entry["checksum_url"])
    os.makedirs(os.path.dirname(checksum_path), exist_ok=True)
    with open(checksum_path, "w") as f:
        f.write(checksum_text(entry, digest))
    return hashlib.sha256(data).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counts = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def rule(self, path):
        try:
            with open(os.path.join(self.server.root, "rules.json")) as f:
                rule = json.load(f).get(path)
        except FileNotFoundError:
            return None
        if not rule:
            return None
        with self.lock:
            seen = self.counts.get(path, 0)
            self.counts[path] = seen + 1
        if "times" in rule and seen >= rule["times"]:
            return None
        return rule

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        wanted = self.headers.get("Range")
        with open(os.path.join(self.server.root, "requests.log"), "a") as log:
            log.write(json.dumps({"path": path, "range": wanted}) + "\n")
        rule = self.rule(path) or {"mode": "ok"}
        file = os.path.join(self.server.root, path.lstrip("/"))
        if rule["mode"] == "missing" or not os.path.isfile(file):
            return self.send_error(404)
        with open(file, "rb") as f:
            data = f.read()
        start = 0
        match = RANGE.match(wanted or "")
        if match and rule["mode"] != "no-range":
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
            self.send_header("Accept-Ranges", "bytes")
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.send_body(body, rule)

    def send_body(self, body, rule):
        if rule["mode"] == "truncate":
            self.wfile.write(body[:rule["bytes"]])
            self.close_connection = True
            return
        if rule["mode"] == "stall":
            self.wfile.write(body[:rule["bytes"]])
            self.wfile.flush()
            time.sleep(min(rule.get("seconds", 30), 120))
            self.close_connection = True
            return
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root):
        super().__init__(("127.0.0.1", 0), Handler)
        self.root = root

    def handle_error(self, request, client_address):
        # A client that gives up on a misbehaving answer resets the connection: expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start(root):
    """Serves ROOT from a thread; returns the server (its port: server.server_port)."""
    server = Server(root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv):
    if len(argv) >= 3 and argv[0] == "serve":
        server = Server(argv[1])
        with open(argv[2] + ".tmp", "w") as f:
            f.write(str(server.server_port))
        os.rename(argv[2] + ".tmp", argv[2])
        lifetime = float(argv[3]) if len(argv) > 3 else 1800
        threading.Timer(lifetime, server.shutdown).start()
        server.serve_forever()
        return 0
    if len(argv) >= 4 and argv[0] == "publish":
        with open(argv[2]) as f:
            entry = json.load(f)
        print(publish(argv[1], entry, argv[3], "--wrong-checksum" in argv[4:]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
