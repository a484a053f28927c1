#!/usr/bin/env python3
"""The figures measured on the host, without systemd and without root: generator and seed.

holos-generator finds its registrations through its Paths: run with SYSTEMD_SCOPE=user (as
systemd runs it for a user manager) it reads $XDG_RUNTIME_DIR/holos/projects and
$XDG_CONFIG_HOME/holos/holos.conf, so each project set lives in a temp root of its own and
every run writes into a fresh output directory. The same code parses and generates as under
the system manager; only the roots of the paths differ. Registrations and output directories
are on a tmpfs (/dev/shm), as /run and /run/systemd/generator are where systemd runs it.

    host_bench.py BUILD_DIR SOURCE_DIR WORK_DIR ROUNDS SAMPLES_FILE [--smoke]

generator_small: holos-generator with one 10-instance project against systemd's getty
generator (a trivial real generator), both into fresh temp output directories.
generator_scale: 50 projects x 20 instances against the 10-instance case; 200 and 500
instances are timed too, to show how the time grows.
seed: the seed of examples/hello's web-0 built in-process, by a child that has not opened
libisofs yet (so opening it counts), against genisoimage building an image of the same files
with the same options (bench/bench_seed.cpp).
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import benchlib

GETTY_GENERATOR = "/lib/systemd/system-generators/systemd-getty-generator"
SMALL_INSTANCES = 10
SCALE_PROJECTS = (10, 25, 50)  # x 20 instances: 200, 500, 1000
SCALE_REPLICAS = 20

COMPOSE = """name: {name}
services:
  web:
    image: debian:12
    replicas: {replicas}
    ports:
      - "{port}:80"
    vm:
      memory_mb: 128
"""


def make_root(root, projects, replicas):
    """Registrations for `projects` projects of `replicas` instances under root."""
    first_port = 20000
    for p in range(projects):
        name = f"p{p:02d}" if projects > 1 else "small"
        reg_dir = os.path.join(root, "runtime", "holos", "projects", name)
        compose = COMPOSE.format(name=name, replicas=replicas, port=10000 + p * replicas)
        source = os.path.join(root, "src", name, "holos.yaml")
        benchlib.write_file(source, compose)
        benchlib.write_file(os.path.join(reg_dir, "holos.yaml"), compose)
        ssh_ports = {f"web-{i}": first_port + p * replicas + i for i in range(replicas)}
        registration = {"project": name, "source_file": source, "variables": {},
                        "ssh_ports": ssh_ports, "allocated_ports": {}}
        benchlib.write_file(os.path.join(reg_dir, "registration.json"),
                            json.dumps(registration, indent=2) + "\n")
    benchlib.write_file(os.path.join(root, "config", "holos", "holos.conf"), "accel = tcg\n")
    os.makedirs(os.path.join(root, "state"), exist_ok=True)
    return ["SYSTEMD_SCOPE=user", f"XDG_RUNTIME_DIR={root}/runtime",
            f"XDG_CONFIG_HOME={root}/config", f"XDG_STATE_HOME={root}/state",
            f"HOME={root}/home"]


def generated_instances(generator, env, out):
    """Runs the generator once and counts the QEMU drop-ins it wrote."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    variables = dict(os.environ, **dict(item.split("=", 1) for item in env))
    subprocess.run([generator, out, out, out], env=variables, check=True)
    count = len(glob.glob(os.path.join(out, "*.service.d", "50-qemu.conf")))
    shutil.rmtree(out)
    return count


def figure_seed(args, samples):
    work = os.path.join(args.work_dir, "seed")
    compose = os.path.join(args.source_dir, "examples", "hello", "holos.yaml")
    out = benchlib.run([os.path.join(args.build_dir, "bench", "bench_seed"), args.rounds,
                        compose, work, shutil.which("genisoimage") or "/usr/bin/genisoimage"])
    result = json.loads(out)
    samples.add("seed", "holos", result["holos_ms"])
    samples.add("seed", "baseline", result["baseline_ms"])
    listings = [benchlib.run(["isoinfo", "-R", "-f", "-i", os.path.join(work, image)]).split()
                for image in ("holos-seed.iso", "genisoimage-seed.iso")]
    samples.check("seed", "both images hold the same files", sorted(listings[0]) ==
                  sorted(listings[1]), f"{listings[0]} vs {listings[1]}")
    steps = {step: round(statistics.median(times), 3)
             for step, times in result["holos_steps_ms"].items()}
    samples.info("seed", files=result["files"], holos_bytes=result["holos_bytes"],
                 genisoimage_bytes=result["baseline_bytes"], compose="examples/hello",
                 holos_median_steps_ms=steps)


def main():
    parser = argparse.ArgumentParser()
    for name in ("build_dir", "source_dir", "work_dir", "rounds", "samples"):
        parser.add_argument(name)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    samples = benchlib.Samples(args.samples)
    # The seed is written where holos writes it, to disk (WORK_DIR is on /var/tmp).
    status = benchlib.run_figure(samples, ["seed"], lambda: figure_seed(args, samples))
    runtime = tempfile.mkdtemp(prefix="holos-bench-", dir=tmpfs_dir(args.work_dir))
    try:
        return benchlib.run_figure(samples, ["generator_small", "generator_scale"],
                          lambda: figure_generator(args, samples, runtime)) or status
    finally:
        shutil.rmtree(runtime, ignore_errors=True)


def tmpfs_dir(fallback):
    shm = "/dev/shm"
    if os.path.isdir(shm) and subprocess.run(["stat", "-f", "-c", "%T", shm],
                                             stdout=subprocess.PIPE, text=True,
                                             check=False).stdout.strip() == "tmpfs":
        return shm
    os.makedirs(fallback, exist_ok=True)
    return fallback


def figure_generator(args, samples, work_dir):
    generator = os.path.join(args.build_dir, "generator", "holos-generator")
    bench_spawn = os.path.join(args.build_dir, "bench", "bench_spawn")
    scale_projects = SCALE_PROJECTS[:1] if args.smoke else SCALE_PROJECTS

    small_env = make_root(os.path.join(work_dir, "small"), 1, SMALL_INSTANCES)
    scale_envs = {}
    for projects in scale_projects:
        root = os.path.join(work_dir, f"scale-{projects}")
        scale_envs[projects * SCALE_REPLICAS] = make_root(root, projects, SCALE_REPLICAS)

    check_out = os.path.join(work_dir, "check")
    ok = samples.check("generator_small", f"generator writes {SMALL_INSTANCES} instances",
                       generated_instances(generator, small_env, check_out) == SMALL_INSTANCES)
    for instances, env in scale_envs.items():
        ok &= samples.check("generator_scale", f"generator writes {instances} instances",
                            generated_instances(generator, env, check_out) == instances)
    if not ok:
        return 1

    commands = [[GETTY_GENERATOR, "{out}", "{out}", "{out}"],
                small_env + [generator, "{out}", "{out}", "{out}"]]
    commands += [env + [generator, "{out}", "{out}", "{out}"] for env in scale_envs.values()]
    timed = benchlib.spawn_rounds(bench_spawn, int(args.rounds),
                                  os.path.join(work_dir, "runs"), commands)
    getty, small, *scale = timed
    samples.add("generator_small", "baseline", getty)
    samples.add("generator_small", "holos", small)
    samples.add("generator_scale", "baseline", small)
    largest = max(scale_envs)
    samples.add("generator_scale", "holos", scale[-1])
    samples.info("generator_scale", instances=largest,
                 median_ms_by_instances={str(SMALL_INSTANCES): statistics.median(small),
                                         **{str(n): statistics.median(s) for n, s in
                                            zip(scale_envs, scale)}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
