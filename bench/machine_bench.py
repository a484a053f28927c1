#!/usr/bin/env python3
"""The figures measured inside the test machine (tests/harness/holos-ns), as root.

    machine_bench.py FIGURE --samples FILE --work DIR --bench-spawn PATH [options]

FIGURE is one of:
  ps      holosctl ps over 50 instances whose QEMU is replaced by `sleep infinity` (a drop-in),
          against `systemctl list-units 'holos-*'`
  up      holosctl up of 20 instances until all are active, against the same 20 QEMU command
          lines (read from the generated drop-ins) started with systemd-run in parallel
  scale   up and down of 100 instances against up and down of 10, and nothing left behind
  guest   one real guest: boot to ready (when healthchecks exist), exec, memory

The ps, up and scale figures use an image whose boot sector halts the CPU: QEMU starts and
idles without booting a guest. Every figure stops what it started and checks that it did.
"""
import argparse
import glob
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import benchlib
from benchlib import run

GENERATOR_DIR = "/run/systemd/generator"
STATE_DIR = "/var/lib/holos"
RUNTIME_DIR = "/run/holos"
IDLE_IMAGE = "idle:1"
IDLE_IMAGE_BYTES = 64 * 2**20
HALT_BOOT_CODE = bytes([0xFA, 0xF4, 0xEB, 0xFD])  # cli; hlt; jmp back to hlt


# A service has at most 64 replicas; larger counts are spread over services web, web2, ...
REPLICAS_PER_SERVICE = 50


def services_of(replicas):
    """(service name, replicas) pairs adding up to `replicas`."""
    counts = [REPLICAS_PER_SERVICE] * (replicas // REPLICAS_PER_SERVICE)
    counts += [replicas % REPLICAS_PER_SERVICE] if replicas % REPLICAS_PER_SERVICE else []
    return [("web" if i == 0 else f"web{i + 1}", count) for i, count in enumerate(counts)]


def compose(name, replicas, image, memory_mb=128, extra=""):
    text = f"name: {name}\nservices:\n"
    for service, count in services_of(replicas):
        text += (f"  {service}:\n    image: {image}\n    replicas: {count}\n"
                 f"    stop_grace_period: 1s\n    vm:\n      vcpu: 1\n"
                 f"      memory_mb: {memory_mb}\n" + extra)
    return text


class Machine:
    """The figures share the samples file, the work dir and the idle image."""

    def __init__(self, args):
        self.args = args
        self.samples = benchlib.Samples(args.samples)
        self.work = args.work
        os.makedirs(self.work, exist_ok=True)

    def project_file(self, name, text):
        path = os.path.join(self.work, name, "holos.yaml")
        benchlib.write_file(path, text)
        return path

    def idle_image(self):
        """An idle guest in the image store, where the instances' unprivileged users can read
        it (the work dir is root's alone): its boot sector halts the CPU, so QEMU idles
        from the moment the firmware hands over. A disk with no boot sector would leave the
        firmware trying network boot, which keeps every vCPU busy for seconds. Each figure
        imports it again (the same blob), as each runs in a process of its own."""
        path = os.path.join(self.work, "idle.raw")
        with open(path, "wb") as disk:
            disk.truncate(IDLE_IMAGE_BYTES)
            disk.write(HALT_BOOT_CODE)
            disk.seek(510)
            disk.write(b"\x55\xaa")
        run(["holosctl", "image", "import", path, "--name", IDLE_IMAGE])
        os.remove(path)
        return IDLE_IMAGE

    def spawn_rounds(self, rounds, commands):
        return benchlib.spawn_rounds(self.args.bench_spawn, rounds,
                                     os.path.join(self.work, "spawn"), commands)


# ---- systemd and holos helpers -----------------------------------------------------------

def backing_file(project, instance="web-0"):
    """(path, format) of the base image under an instance's overlay, as holos resolved it in
    its image store."""
    overlay = os.path.join(STATE_DIR, "instances", project, instance, "overlay.qcow2")
    info = json.loads(run(["qemu-img", "info", "--output=json", "-U", overlay]))
    return info["full-backing-filename"], info["backing-filename-format"]


def create_overlay(base, overlay):
    """An overlay on base, a (path, format) pair, as holos-instance prepare makes it."""
    path, backing_format = base
    run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", backing_format, "-b", path, overlay])


def instance_units(project, replicas):
    return [f"holos-{project}-{service}@{i}.service" for service, count in services_of(replicas)
            for i in range(count)]


def active_count(units):
    states = subprocess.run(["systemctl", "is-active", *units], stdout=subprocess.PIPE,
                            text=True, check=False).stdout.split()
    return states.count("active")


def holosctl(*argv, check=True):
    result = subprocess.run(["holosctl", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"holosctl {' '.join(argv)} exited with {result.returncode}:\n"
                           f"{result.stdout}")
    return result


def timed_holosctl(*argv):
    start = benchlib.now_ms()
    holosctl(*argv)
    return benchlib.now_ms() - start


def exec_start_argv(dropin):
    """The argv of ExecStart= in a generated drop-in, unquoted as systemd does."""
    with open(dropin, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    value = lines[-1][len("ExecStart="):]
    if value[:1] in "-@:+!":
        raise RuntimeError(f"{dropin}: ExecStart= prefix {value[0]} is not handled")
    argv = [word.replace("%%", "%") for word in shlex.split(value)]
    if any("%" in word or "$" in word for word in argv):
        raise RuntimeError(f"{dropin}: a specifier or variable is left in {argv}")
    return argv


def qemu_command_lines(project, replicas):
    return [exec_start_argv(os.path.join(GENERATOR_DIR, f"{unit}.d", "50-qemu.conf"))
            for unit in instance_units(project, replicas)]


def main_pid(unit):
    return int(run(["systemctl", "show", "-p", "MainPID", "--value", unit]).strip())


def process_lines():
    """(pid, cmdline) of every process of the test machine."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                continue
            if cmdline:
                found.append((int(entry), cmdline))
    return found


def leftovers(project):
    """What a project's down left behind: units, processes, disks, registrations."""
    left = []
    units = run(["systemctl", "list-units", "--all", "--plain", "--no-legend",
                 f"holos-{project}*"]).split("\n")
    left += [f"unit {line.split()[0]}" for line in units if line.strip()]
    left += [f"generated unit {os.path.basename(path)}"
             for path in glob.glob(os.path.join(GENERATOR_DIR, f"holos-{project}[-.]*"))]
    marker = f"/instances/{project}/"
    left += [f"process {pid}: {cmd[:80]}" for pid, cmd in process_lines()
             if marker in cmd or f"holos-instance console-log {project} " in cmd]
    for root in (os.path.join(STATE_DIR, "instances", project),
                 os.path.join(RUNTIME_DIR, "instances", project),
                 os.path.join(RUNTIME_DIR, "projects", project)):
        for dirpath, _, files in os.walk(root):
            left += [f"file {os.path.join(dirpath, name)}" for name in files]
    if os.path.isdir(os.path.join(RUNTIME_DIR, "projects", project)):
        left.append(f"registration {project}")
    return left


def check_clean(samples, figure, project):
    left = leftovers(project)
    samples.check(figure, f"nothing of {project} left behind", not left, "; ".join(left[:10]))
    return left


# ---- ps ----------------------------------------------------------------------------------

NO_VM_DROPIN = """[Service]
ExecStartPre=
ExecStart=
ExecStart=/bin/sleep infinity
ExecStop=
"""


def figure_ps(machine):
    """holosctl ps against systemctl list-units, 50 instances without QEMU."""
    project, replicas, samples = "psbench", machine.args.ps_instances, machine.samples
    dropin_dir = f"/run/systemd/system/holos-{project}-web@.service.d"
    path = machine.project_file(project, compose(project, replicas, machine.idle_image()))
    try:
        benchlib.write_file(os.path.join(dropin_dir, "90-no-vm.conf"), NO_VM_DROPIN)
        holosctl("up", "-f", path)
        units = instance_units(project, replicas)
        if not samples.check("ps", f"{replicas} instances active", active_count(units) ==
                             replicas):
            return
        holos, baseline = machine.spawn_rounds(machine.args.rounds, [
            ["holosctl", "ps", "-p", project],
            ["systemctl", "list-units", "--no-pager", "holos-*"]])
        samples.add("ps", "holos", holos)
        samples.add("ps", "baseline", baseline)
        listed = holosctl("ps", "-p", project).stdout.count("active (running)")
        samples.check("ps", f"ps lists {replicas} running instances", listed == replicas,
                      f"listed {listed}")
        statuses = run([machine.args.bench_unit_statuses, str(machine.args.rounds), *units])
        samples.info("ps", instances=replicas, unit_statuses=statuses.strip().splitlines())
    finally:
        holosctl("down", "-f", path, check=False)
        shutil.rmtree(dropin_dir, ignore_errors=True)
        run(["systemctl", "daemon-reload"])
    check_clean(samples, "ps", project)


# ---- up ----------------------------------------------------------------------------------

class DirectUnits:
    """The baseline: the QEMU command lines holos generated, run as plain transient units."""

    def __init__(self, project, command_lines, seeds, base_image):
        self.project = project
        self.command_lines = command_lines
        self.seeds = seeds
        self.base_image = base_image
        self.units = [f"bench-qemu-{i}.service" for i in range(len(command_lines))]

    # The disks and socket directories the command lines name, made as holos-instance
    # prepare and RuntimeDirectory= make them (not timed: holos's are timed, so this favours
    # the baseline).
    def prepare(self):
        for i, seed in enumerate(self.seeds):
            instance_dir = os.path.join(STATE_DIR, "instances", self.project, f"web-{i}")
            os.makedirs(instance_dir, mode=0o700, exist_ok=True)
            os.makedirs(os.path.join(RUNTIME_DIR, "instances", self.project, f"web-{i}"),
                        mode=0o700, exist_ok=True)
            create_overlay(self.base_image, os.path.join(instance_dir, "overlay.qcow2"))
            shutil.copyfile(seed, os.path.join(instance_dir, "seed.iso"))

    def start(self):
        """Starts every unit at once and waits for all; returns the wall time in ms."""
        start = benchlib.now_ms()
        children = [subprocess.Popen(["systemd-run", "--quiet", f"--unit={unit}",
                                      "--property=Type=exec", "--", *argv])
                    for unit, argv in zip(self.units, self.command_lines)]
        statuses = [child.wait() for child in children]
        took = benchlib.now_ms() - start
        if any(statuses):
            raise RuntimeError(f"systemd-run failed: {statuses}")
        return took

    def stop(self):
        subprocess.run(["systemctl", "stop", *self.units], check=False)
        subprocess.run(["systemctl", "reset-failed", *self.units], check=False,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(STATE_DIR, "instances", self.project), ignore_errors=True)
        shutil.rmtree(os.path.join(RUNTIME_DIR, "instances", self.project), ignore_errors=True)


def save_seeds(machine, project, replicas):
    saved = []
    for i in range(replicas):
        target = os.path.join(machine.work, project, "seeds", f"web-{i}.iso")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(STATE_DIR, "instances", project, f"web-{i}", "seed.iso"),
                        target)
        saved.append(target)
    return saved


def figure_up(machine):
    """holosctl up of N instances against the same N QEMU command lines via systemd-run."""
    project, replicas, samples = "upbench", machine.args.up_instances, machine.samples
    image = machine.idle_image()
    path = machine.project_file(project, compose(project, replicas, image))
    units = instance_units(project, replicas)

    # A first round of each side, not counted, creates the project's key, yields the command
    # lines and wakes whatever either side starts on first use.
    try:
        holosctl("up", "-f", path)
        direct = DirectUnits(project, qemu_command_lines(project, replicas),
                             save_seeds(machine, project, replicas), backing_file(project))
    finally:
        holosctl("down", "-f", path, check=False)
    direct.prepare()
    try:
        direct.start()
    finally:
        direct.stop()
    for round_ in range(machine.args.up_rounds):
        # The order alternates, so neither side always runs on the other's leftovers.
        for side in (("holos", "baseline") if round_ % 2 == 0 else ("baseline", "holos")):
            if side == "holos":
                try:
                    took = timed_holosctl("up", "-f", path)
                    ok = active_count(units) == replicas
                finally:
                    holosctl("down", "-f", path, check=False)
                # Before the baseline makes the same directories again.
                ok = not check_clean(samples, "up", project) and ok
            else:
                direct.prepare()
                try:
                    took = direct.start()
                    ok = active_count(direct.units) == replicas
                finally:
                    direct.stop()
            if not samples.check("up", f"{side} round {round_ + 1}: {replicas} active", ok):
                return
            samples.add("up", side, [took])
    samples.info("up", instances=replicas, memory_mb=128, image="boot sector that halts (idle)",
                 qemu_argv_example=direct.command_lines[0])
    baseline_left = [cmd for _, cmd in process_lines() if "qemu-system" in cmd]
    baseline_left += run(["systemctl", "list-units", "--all", "--plain", "--no-legend",
                          "bench-qemu-*"]).splitlines()
    samples.check("up", "no QEMU or baseline unit left", not baseline_left,
                  "; ".join(baseline_left))


# ---- scale -------------------------------------------------------------------------------

def up_and_down(path, project, replicas):
    """(up ms, down ms, instances active after up)."""
    up_ms = timed_holosctl("up", "-f", path)
    active = active_count(instance_units(project, replicas))
    down_ms = timed_holosctl("down", "-f", path)
    return up_ms, down_ms, active


def figure_scale(machine):
    """Up and down of 100 instances against up and down of 10."""
    samples, image = machine.samples, machine.idle_image()
    sizes = {"baseline": ("ten", machine.args.scale_small),
             "holos": ("hundred", machine.args.scale_large)}
    paths = {side: machine.project_file(name, compose(name, replicas, image, memory_mb=64))
             for side, (name, replicas) in sizes.items()}
    split = {side: {"up_ms": [], "down_ms": []} for side in sizes}
    # Round 0 is not counted: it creates each project's SSH key.
    for round_ in range(machine.args.scale_rounds + 1):
        for side, (name, replicas) in sizes.items():
            up_ms, down_ms, active = up_and_down(paths[side], name, replicas)
            ok = samples.check("scale", f"{name} round {round_}: {replicas} active",
                               active == replicas, f"{active} active")
            left = check_clean(samples, "scale", name)
            if not ok or left:
                return
            if round_ > 0:
                samples.add("scale", side, [up_ms + down_ms])
                split[side]["up_ms"].append(round(up_ms, 1))
                split[side]["down_ms"].append(round(down_ms, 1))
    samples.info("scale", instances={side: r for side, (_, r) in sizes.items()}, memory_mb=64,
                 stop_grace_period="1s (the firmware never answers the power button)",
                 **split)


# ---- guest -------------------------------------------------------------------------------

READY_EXTRA = """    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      timeout: 10s
      retries: 3
      start_period: 600s
"""


class Guest:
    """One real guest (service web of project `ready`), booted by holos or by bare QEMU."""
    project = "ready"
    unit = "holos-ready-web@0.service"
    health_unit = "holos-ready-web_health@0.service"

    def __init__(self, machine):
        self.machine = machine
        self.path = machine.project_file(self.project, compose(
            self.project, 1, "debian:12", memory_mb=1024, extra=READY_EXTRA)
            .replace("vcpu: 1", "vcpu: 2"))
        self.key = os.path.join(STATE_DIR, "projects", self.project, "id_ed25519")
        self.instance_dir = os.path.join(STATE_DIR, "instances", self.project, "web-0")
        self.port = None
        self.qemu_argv = None
        self.qemu_port = None
        self.seed = None
        self.base_image = None

    def ssh(self, *extra, port=None):
        return ["ssh", "-F", "/dev/null", "-i", self.key, "-p", str(port or self.port),
                "-o", "BatchMode=yes", *extra, "root@127.0.0.1", "true"]

    def up(self):
        holosctl("up", "-f", self.path)
        rows = json.loads(holosctl("ps", "-p", self.project, "--json").stdout)
        self.port = rows[0]["ssh_port"]
        if self.qemu_argv is None:
            self.qemu_argv = qemu_command_lines(self.project, 1)[0]
            # A later up may pick another free port; the bare QEMU keeps this one.
            self.qemu_port = self.port
            self.base_image = backing_file(self.project)
            self.seed = os.path.join(self.machine.work, "ready-seed.iso")
            shutil.copyfile(os.path.join(self.instance_dir, "seed.iso"), self.seed)

    def down(self):
        holosctl("down", "-f", self.path)

    def wait_for_ssh(self, timeout_s):
        return holosctl("exec", "-p", self.project, "-w", str(timeout_s), "web-0", "--",
                        "true", check=False).returncode == 0

    def bare_boot_ms(self, timeout_s):
        """Bare QEMU on the same command line, image and seed, polled with ssh."""
        os.makedirs(self.instance_dir, mode=0o700, exist_ok=True)
        os.makedirs(os.path.join(RUNTIME_DIR, "instances", self.project, "web-0"), mode=0o700,
                    exist_ok=True)
        create_overlay(self.base_image, os.path.join(self.instance_dir, "overlay.qcow2"))
        shutil.copyfile(self.seed, os.path.join(self.instance_dir, "seed.iso"))
        probe = self.ssh("-o", "ConnectTimeout=5", "-o", "StrictHostKeyChecking=no",
                         "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                         port=self.qemu_port)
        start = benchlib.now_ms()
        qemu = subprocess.Popen(self.qemu_argv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            ready = benchlib.wait_for(
                lambda: subprocess.run(probe, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL).returncode == 0,
                timeout_s, interval_s=1)
            took = benchlib.now_ms() - start
        finally:
            qemu.send_signal(signal.SIGTERM)
            qemu.wait()
            shutil.rmtree(os.path.join(STATE_DIR, "instances", self.project),
                          ignore_errors=True)
            shutil.rmtree(os.path.join(RUNTIME_DIR, "instances", self.project),
                          ignore_errors=True)
        return took if ready else None


def measure_ready(machine, guest, health_unit):
    """Boot to ready, holos and bare QEMU in turn; leaves a holos guest running."""
    samples, rounds, timeout_s = machine.samples, machine.args.ready_rounds, 900

    def holos_round(kept=True):
        start = benchlib.now_ms()
        guest.up()
        ready = benchlib.wait_for(lambda: active_count([health_unit]) == 1, timeout_s, 0.2)
        took = benchlib.now_ms() - start
        if samples.check("boot_to_ready", "holos: the healthcheck passed", ready) and kept:
            samples.add("boot_to_ready", "holos", [took / 1000])
        return took

    def bare_round():
        took = guest.bare_boot_ms(timeout_s)
        if samples.check("boot_to_ready", "bare QEMU: ssh answered", took is not None):
            samples.add("boot_to_ready", "baseline", [took / 1000])

    # The first up also makes the project's SSH key and state and reads the image into the
    # page cache, from which the baseline then boots: it is not counted, as up and scale
    # drop their first round too.
    warm_up_ms = holos_round(kept=False)
    running = True
    for round_ in range(rounds):
        # The order alternates, so neither side always boots right after the other; the
        # last round ends with holos, whose guest the exec and memory figures then use.
        holos_first = (rounds - 1 - round_) % 2 == 1
        for side in ("holos", "baseline") if holos_first else ("baseline", "holos"):
            if running:
                guest.down()
                running = False
            if side == "holos":
                holos_round()
                running = True
            else:
                bare_round()
    samples.info("boot_to_ready", warm_up_s=warm_up_ms / 1000, health_unit=health_unit,
                 probe_interval_s=1, ssh_poll_interval_s=1, memory_mb=1024, vcpu=2,
                 order="alternating, holos last")


def figure_exec(machine, guest):
    known_hosts = os.path.join(machine.work, "known_hosts")
    first = subprocess.run(guest.ssh("-o", f"UserKnownHostsFile={known_hosts}",
                                     "-o", "StrictHostKeyChecking=accept-new"), check=False)
    if not machine.samples.check("exec", "ssh reaches the guest", first.returncode == 0):
        return
    holos, baseline = machine.spawn_rounds(machine.args.rounds, [
        ["holosctl", "exec", "-p", guest.project, "-T", "web-0", "--", "true"],
        guest.ssh("-o", f"UserKnownHostsFile={known_hosts}", "-o", "StrictHostKeyChecking=yes")])
    machine.samples.add("exec", "holos", holos)
    machine.samples.add("exec", "baseline", baseline)


def cgroup_pids(cgroup):
    pids = []
    for dirpath, _, files in os.walk("/sys/fs/cgroup" + cgroup):
        if "cgroup.procs" in files:
            with open(os.path.join(dirpath, "cgroup.procs"), encoding="utf-8") as f:
                pids += [int(line) for line in f if line.strip()]
    return pids


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def comm(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:100]
    except OSError:
        return "?"


def holos_processes(qemu_pid):
    """Every process in the units of holos.slice other than the VM's QEMU."""
    units = run(["systemctl", "list-units", "--plain", "--no-legend", "--state=active",
                 "holos-*"]).split("\n")
    found = {}
    for line in units:
        if not line.strip():
            continue
        name = line.split()[0]
        cgroup = run(["systemctl", "show", "-p", "ControlGroup", "--value", name]).strip()
        for pid in cgroup_pids(cgroup) if cgroup else []:
            if pid != qemu_pid:
                found[pid] = (name, comm(pid))
    return found


def figure_memory(machine, guest):
    """RSS of every holos process per running VM against that VM's QEMU."""
    samples = machine.samples
    qemu_pid = main_pid(guest.unit)
    detail = {}
    for _ in range(machine.args.memory_samples):
        processes = holos_processes(qemu_pid)
        helpers_kib = sum(rss_kib(pid) for pid in processes)
        samples.add("memory", "holos", [helpers_kib / 1024])
        samples.add("memory", "baseline", [rss_kib(qemu_pid) / 1024])
        detail = {f"{unit}: {cmd}": rss_kib(pid) for pid, (unit, cmd) in processes.items()}
        time.sleep(1)
    samples.info("memory", running_vms=1, qemu_pid=qemu_pid, helpers_rss_kib=detail)
    samples.check("memory", "a holos helper runs beside the VM", bool(detail))


def figure_guest(machine):
    guest = Guest(machine)
    try:
        measure_ready(machine, guest, guest.health_unit)
        if not machine.samples.check("exec", "the guest answers over SSH",
                                     guest.wait_for_ssh(900)):
            return
        # sshd answers before cloud-init ends; a guest still provisioning is not warm.
        holosctl("exec", "-p", guest.project, "web-0", "--", "cloud-init", "status", "--wait",
                 check=False)
        figure_exec(machine, guest)
        figure_memory(machine, guest)
    finally:
        holosctl("down", "-f", guest.path, check=False)
    check_clean(machine.samples, "memory", guest.project)


FIGURES = {"ps": figure_ps, "up": figure_up, "scale": figure_scale, "guest": figure_guest}
# The report's figures that each run measures.
REPORTED_AS = {"ps": ["ps"], "up": ["up"], "scale": ["scale"],
               "guest": ["boot_to_ready", "exec", "memory"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("figure", choices=FIGURES)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--bench-spawn", required=True)
    parser.add_argument("--bench-unit-statuses", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--ps-instances", type=int, default=50)
    parser.add_argument("--up-instances", type=int, default=20)
    parser.add_argument("--up-rounds", type=int, default=9)
    parser.add_argument("--scale-small", type=int, default=10)
    parser.add_argument("--scale-large", type=int, default=100)
    parser.add_argument("--scale-rounds", type=int, default=3)
    parser.add_argument("--ready-rounds", type=int, default=5)
    parser.add_argument("--memory-samples", type=int, default=5)
    args = parser.parse_args()
    machine = Machine(args)
    return benchlib.run_figure(machine.samples, REPORTED_AS[args.figure],
                               lambda: FIGURES[args.figure](machine))


if __name__ == "__main__":
    sys.exit(main())
