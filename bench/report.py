#!/usr/bin/env python3
"""Turns a samples file (see benchlib.py) into the benchmark table and its JSON.

    report.py SAMPLES_FILE OUTPUT_JSON MACHINE_JSON [--mode full|smoke]

Each figure's value is the median of its samples; the ratio is holos's median over the
baseline's, so it carries across machines where absolute times do not. The table shows the
spread (min-max, and the interquartile range in the JSON) beside each median. Exits 1 when a
check recorded on the way failed, so a broken benchmark is not mistaken for a result.
"""
import argparse
import datetime
import json
import statistics
import sys

# name, what holos does, what the baseline does, unit, target (ratio at most), target text
FIGURES = [
    ("generator_small", "generator, small",
     "holos-generator, one 10-instance project",
     "systemd-getty-generator", "ms", 3.0, "<= 3x"),
    ("generator_scale", "generator, scale",
     "holos-generator, 50 projects x 20 instances",
     "holos-generator, 10 instances", "ms", 120.0, "<= 120x (linear: 1000 instances)"),
    ("up", "up, control plane",
     "holosctl up until 20 instance units are active",
     "the same 20 QEMU command lines via systemd-run, in parallel", "ms", 1.5, "<= 1.5x"),
    ("boot_to_ready", "boot to ready",
     "holosctl up until the healthcheck (true over SSH) passes",
     "bare QEMU, same image and seed, polled with ssh", "s", 1.1, "<= 1.1x"),
    ("ps", "ps", "holosctl ps, 50 instances",
     "systemctl list-units 'holos-*'", "ms", 1.5, "<= 1.5x"),
    ("exec", "exec", "holosctl exec -T web-0 -- true, warm VM",
     "ssh -i key -p PORT root@127.0.0.1 true", "ms", 1.2, "<= 1.2x"),
    ("seed", "seed", "one cloud-init seed, in a process yet to load libisofs",
     "genisoimage on the same seed files", "ms", 0.3, "<= 0.3x"),
    ("memory", "memory", "RSS of every holos process per running VM",
     "RSS of that VM's QEMU", "MiB", 0.02, "<= 2%"),
    ("scale", "scale", "up + down of 100 instances (64 MiB, idle)",
     "up + down of 10 instances", "ms", 12.0, "<= 12x, nothing left behind"),
]


def spread(values):
    if not values:
        return None
    ordered = sorted(values)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
    return {"n": len(ordered), "median": statistics.median(ordered), "min": ordered[0],
            "max": ordered[-1], "q1": quartiles[0], "q3": quartiles[2]}


def load(path):
    by_figure = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"report.py: {path}:{number}: not a JSON record: {e}")
            entry = by_figure.setdefault(record["figure"], {
                "holos": [], "baseline": [], "info": {}, "status": None, "checks": []})
            if "side" in record:
                entry[record["side"]].append(record["value"])
            elif "info" in record:
                entry["info"].update(record["info"])
            elif "status" in record:
                entry["status"] = record["status"]
            elif "check" in record:
                entry["checks"].append({k: record[k] for k in ("check", "ok", "detail")})
    return by_figure


def figure_result(spec, entry):
    key, name, holos_does, baseline_does, unit, target, target_text = spec
    holos, baseline = spread(entry["holos"]), spread(entry["baseline"])
    failed = [c for c in entry["checks"] if not c["ok"]]
    result = {"name": name, "key": key, "ratio": None, "target": target,
              "target_text": target_text, "holos": None, "baseline": None, "unit": unit,
              "holos_measures": holos_does, "baseline_measures": baseline_does,
              "holos_spread": holos, "baseline_spread": baseline, "met": None,
              "status": entry["status"] or "measured", "checks": entry["checks"],
              **({"detail": entry["info"]} if entry["info"] else {})}
    if entry["status"] is None and holos and baseline and baseline["median"] > 0:
        result["holos"] = round(holos["median"], 4)
        result["baseline"] = round(baseline["median"], 4)
        result["ratio"] = round(holos["median"] / baseline["median"], 4)
        result["met"] = result["ratio"] <= target and not failed
    elif entry["status"] is None:
        why = "; ".join(c["check"] + (f" ({c['detail']})" if c["detail"] else "") for c in failed)
        if not why:
            why = "baseline median is 0" if holos and baseline else "no samples"
        result["status"] = "not measured: " + why
    return result


def cell(side, unit):
    if not side:
        return "-"
    digits = 2 if side["median"] < 100 else 0
    return (f"{side['median']:.{digits}f} [{side['min']:.{digits}f}-{side['max']:.{digits}f}]"
            f" {unit}")


def ratio_cell(result):
    if result["ratio"] is None:
        # The whole reason is in results.json and printed as FAIL below; one line fits here.
        first_line = result["status"].splitlines()[0]
        return first_line if len(first_line) <= 60 else first_line[:57] + "..."
    if result["key"] == "memory":
        return f"{result['ratio'] * 100:.2f}%"
    return f"{result['ratio']:.2f}x"


def print_table(results, machine):
    rows = [("figure", "holos median [min-max]", "baseline median [min-max]", "ratio",
             "target", "met")]
    for r in results:
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        rows.append((r["name"], cell(r["holos_spread"], r["unit"]),
                     cell(r["baseline_spread"], r["unit"]), ratio_cell(r), r["target_text"],
                     met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    loads = "; ".join(f"{phase} {' '.join(str(v) for v in values)}"
                      for phase, values in machine.get("load_average", {}).items())
    print(f"\n{machine.get('cpus')} CPUs; load average (1, 5, 15 min) as each phase began: "
          f"{loads}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("samples")
    parser.add_argument("output")
    parser.add_argument("machine")
    parser.add_argument("--mode", default="full")
    args = parser.parse_args()
    by_figure = load(args.samples)
    with open(args.machine, encoding="utf-8") as f:
        machine = json.load(f)
    empty = {"holos": [], "baseline": [], "info": {}, "status": None, "checks": []}
    results = [figure_result(spec, by_figure.get(spec[0], empty)) for spec in FIGURES]
    document = {"figures": results, "machine": machine,
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
                    timespec="seconds"),
                "mode": args.mode}
    # The table first: a run's results reach the terminal even if the file cannot be written.
    print_table(results, machine)
    failed = [(r["name"], c["check"]) for r in results for c in r["checks"] if not c["ok"]]
    # A figure with no ratio that was not skipped on purpose (a smoke run's guest figures) and
    # has no failed check to say why did not run to its end.
    failed += [(r["name"], r["status"]) for spec, r in zip(FIGURES, results)
               if r["ratio"] is None and by_figure.get(spec[0], empty)["status"] is None
               and all(c["ok"] for c in r["checks"])]
    for name, check in failed:
        print(f"FAIL: {name}: {check}")
    with open(args.output, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2)
        out.write("\n")
    print(f"results: {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
