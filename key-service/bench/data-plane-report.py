"""The data-plane benchmark's table, from ghz's JSON reports and the RSS samples data-plane.sh collected.

Usage: data-plane-report.py WORK_DIR KMS_CALLS MASTER_KEYS DATABASES CLOCK_TICKS STARTED COMMAND JVM_FLAGS
"""
import json
import sys
from pathlib import Path

work, kms_calls, master_keys, databases, clock_ticks, started, command, jvm_flags = sys.argv[1:]
work, kms_calls, master_keys, clock_ticks = Path(work), int(kms_calls), int(master_keys), int(clock_ticks)


def report(case):
    return json.loads((work / f"{case}.json").read_text())


def percentile(case, percentage):
    for entry in report(case).get("latencyDistribution") or []:
        if entry["percentage"] == percentage:
            return entry["latency"] / 1e6  # ns -> ms
    return float("nan")


def errors(case):
    codes = report(case).get("statusCodeDistribution") or {}
    return sum(count for code, count in codes.items() if code != "OK")


def cpu_us_per_call(case):
    """CPU microseconds the key service and its MariaDB used per call of the case."""
    service, database = (int(ticks) for ticks in (work / f"{case}.cpu").read_text().split()[:2])
    calls = max(report(case)["count"], 1)
    return service * 1e6 / clock_ticks / calls, database * 1e6 / clock_ticks / calls


def ghz_cpu_us_per_call(case):
    """CPU microseconds the load generator used per call: bash's `times` for ghz, e.g. "0m1.250s 0m0.310s"."""
    user, system = (int(t.split("m")[0]) * 60 + float(t.split("m")[1][:-1])
                    for t in (work / f"{case}.cpu").read_text().split()[2:4])
    return (user + system) * 1e6 / max(report(case)["count"], 1)


def verdict(ok):
    return "met" if ok else "MISSED"


rows = [("WhoAmI (baseline)", "whoami-c16", 16), ("WhoAmI (baseline)", "whoami-c64", 64),
        ("GetDatabaseKey", "keys-c16", 16), ("GetDatabaseKey", "keys-c64", 64),
        ("GetDatabaseKey, half rate", "keys-half-rate", 16), ("WhoAmI, same rate", "whoami-half-rate", 16),
        ("GetDatabaseKey, ghz renders each request from a template", "keys-c16-templated", 16)]
rss_samples = [int(line) for line in (work / "rss.kb").read_text().split()] if (work / "rss.kb").exists() else [0]
max_rss_mb = max(rss_samples) / 1024
ratios = {c: report(f"keys-c{c}")["rps"] / report(f"whoami-c{c}")["rps"] for c in (16, 64)}
half_p99 = percentile("keys-half-rate", 99)
gc_pauses = [float(line.rsplit(" ", 1)[1][:-2]) for line in (work / "gc.log").read_text().splitlines()
             if "Pause" in line and line.endswith("ms")] if (work / "gc.log").exists() else []
failed = sum(errors(case) for _, case, _ in rows) + errors("create")

print(f"# Data-plane benchmark\n\n{started}, `{command}`\n")
print(f"Key service JVM: `{jvm_flags}`; {databases} database keys over {master_keys} clusters (one master key "
      f"each) of one project on an AWS CMK in moto; KEY_CONSUMER token; ghz over 4 connections on loopback.\n")
print("| case | concurrency | rps | p50 ms | p99 ms | errors | service CPU µs/call | MariaDB CPU µs/call"
      " | ghz CPU µs/call |")
print("|---|---|---|---|---|---|---|---|---|")
for name, case, concurrency in rows:
    data = report(case)
    service_us, database_us = cpu_us_per_call(case)
    print(f"| {name} | {concurrency} | {data['rps']:.0f} | {percentile(case, 50):.2f} | {percentile(case, 99):.2f}"
          f" | {errors(case)} | {service_us:.0f} | {database_us:.0f} | {ghz_cpu_us_per_call(case):.0f} |")
print()
print("| target | measured | |")
print("|---|---|---|")
for concurrency, ratio in ratios.items():
    print(f"| GetDatabaseKey rps / WhoAmI rps >= 0.8, concurrency {concurrency} | {ratio:.2f} | {verdict(ratio >= 0.8)} |")
templated_ratio = report("keys-c16-templated")["rps"] / report("whoami-c16")["rps"]
print(f"| (the same ratio at concurrency 16 with ghz rendering each request from a template: {templated_ratio:.2f})"
      f" | | |")
for concurrency in (16, 64):
    cost = sum(cpu_us_per_call(f"keys-c{concurrency}")) / sum(cpu_us_per_call(f"whoami-c{concurrency}"))
    print(f"| (service + MariaDB CPU per call, GetDatabaseKey / WhoAmI, concurrency {concurrency}: {cost:.2f})"
          f" | | |")
print(f"| p99 at half the best GetDatabaseKey rate ({report('keys-half-rate')['rps']:.0f}/s) <= 2 ms "
      f"| {half_p99:.2f} ms | {verdict(half_p99 <= 2)} |")
print(f"| KMS calls at moto (key creation + all load) <= master keys touched ({master_keys}) | {kms_calls} "
      f"| {verdict(kms_calls <= master_keys)} |")
print(f"| key service max RSS under load <= 300 MB ({len(rss_samples)} samples) | {max_rss_mb:.0f} MB "
      f"| {verdict(max_rss_mb <= 300)} |")
print(f"| (GC pauses in the whole run: {len(gc_pauses)}, longest {max(gc_pauses, default=0):.1f} ms, "
      f"total {sum(gc_pauses):.0f} ms) | | |")
print(f"| failed calls (all cases, incl. key creation) = 0 | {failed} | {verdict(failed == 0)} |")
