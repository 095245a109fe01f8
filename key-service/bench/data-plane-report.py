"""The data-plane benchmark's table, from ghz's JSON reports and the RSS samples data-plane.sh collected.

Every comparison ran in interleaved rounds (files CASE-r1.json, CASE-r2.json, ...): a case's figures pool its
rounds, its rate as calls / seconds and its percentiles over every call's latency.

Usage: data-plane-report.py WORK_DIR KMS_CALLS MASTER_KEYS DATABASES CLOCK_TICKS STARTED COMMAND JVM_FLAGS ROUNDS
"""
import json
import sys
from pathlib import Path

work, kms_calls, master_keys, databases, clock_ticks, started, command, jvm_flags, rounds = sys.argv[1:]
work, kms_calls, master_keys, clock_ticks, rounds = Path(work), int(kms_calls), int(master_keys), int(clock_ticks), int(rounds)


def report(name):
    return json.loads((work / f"{name}.json").read_text())


def parts(case):
    return [f"{case}-r{r}" for r in range(1, rounds + 1)]


def calls(case):
    return sum(report(part)["count"] for part in parts(case))


def rps(case):
    return calls(case) / sum(report(part)["total"] / 1e9 for part in parts(case))  # ns -> s


def round_ratios(keys, whoami):
    return [report(k)["rps"] / report(w)["rps"] for k, w in zip(parts(keys), parts(whoami))]


def percentile(case, percentage):
    latencies = sorted(d["latency"] for part in parts(case) for d in report(part).get("details") or [])
    if not latencies:
        return float("nan")
    return latencies[min(len(latencies) - 1, int(len(latencies) * percentage / 100))] / 1e6  # ns -> ms


def errors(case):
    return sum(count for part in parts(case) for code, count in (report(part).get("statusCodeDistribution") or {}).items()
               if code != "OK")


def cpu_us_per_call(case):
    """CPU microseconds the key service and its MariaDB used per call of the case."""
    ticks = [[int(t) for t in (work / f"{part}.cpu").read_text().split()[:2]] for part in parts(case)]
    n = max(calls(case), 1)
    return sum(t[0] for t in ticks) * 1e6 / clock_ticks / n, sum(t[1] for t in ticks) * 1e6 / clock_ticks / n


def seconds(t):
    return int(t.split("m")[0]) * 60 + float(t.split("m")[1][:-1])


def ghz_cpu_us_per_call(case):
    """CPU microseconds the load generator used per call: bash's `times` for ghz, e.g. "0m1.250s 0m0.310s"."""
    total = 0.0
    for part in parts(case):
        user, system = (seconds(t) for t in (work / f"{part}.cpu").read_text().split()[2:4])
        total += user + system
    return total * 1e6 / max(calls(case), 1)


def verdict(ok):
    return "met" if ok else "MISSED"


rows = [("WhoAmI (baseline)", "whoami-c16", 16), ("GetDatabaseKey", "keys-c16", 16),
        ("WhoAmI (baseline)", "whoami-c64", 64), ("GetDatabaseKey", "keys-c64", 64),
        ("WhoAmI, half rate", "whoami-half-rate", 16), ("GetDatabaseKey, half rate", "keys-half-rate", 16)]
rss_samples = [int(line) for line in (work / "rss.kb").read_text().split()] if (work / "rss.kb").exists() else [0]
max_rss_mb = max(rss_samples) / 1024
ratios = {c: rps(f"keys-c{c}") / rps(f"whoami-c{c}") for c in (16, 64)}
half_p99 = percentile("keys-half-rate", 99)
half_p99_ratio = half_p99 / percentile("whoami-half-rate", 99)
gc_pauses = [float(line.rsplit(" ", 1)[1][:-2]) for line in (work / "gc.log").read_text().splitlines()
             if "Pause" in line and line.endswith("ms")] if (work / "gc.log").exists() else []
creation_errors = sum(n for code, n in (report("create").get("statusCodeDistribution") or {}).items() if code != "OK")
failed = sum(errors(case) for _, case, _ in rows) + creation_errors

print(f"# Data-plane benchmark\n\n{started}, `{command}`\n")
print(f"Key service JVM: `{jvm_flags}`; {databases} database keys over {master_keys} clusters (one master key "
      f"each) of one project on an AWS CMK in moto; KEY_CONSUMER token; ghz over 4 connections on loopback. "
      f"Each pair in {rounds} interleaved rounds (ABBA); rates and percentiles pool the rounds.\n")
print("| case | concurrency | rps | p50 ms | p99 ms | errors | service CPU µs/call | MariaDB CPU µs/call"
      " | ghz CPU µs/call |")
print("|---|---|---|---|---|---|---|---|---|")
for name, case, concurrency in rows:
    service_us, database_us = cpu_us_per_call(case)
    print(f"| {name} | {concurrency} | {rps(case):.0f} | {percentile(case, 50):.2f} | {percentile(case, 99):.2f}"
          f" | {errors(case)} | {service_us:.0f} | {database_us:.0f} | {ghz_cpu_us_per_call(case):.0f} |")
print()
print("| target | measured | |")
print("|---|---|---|")
for concurrency, ratio in ratios.items():
    each = ", ".join(f"{r:.2f}" for r in round_ratios(f"keys-c{concurrency}", f"whoami-c{concurrency}"))
    print(f"| GetDatabaseKey rps / WhoAmI rps >= 0.8, concurrency {concurrency} (rounds: {each}) | {ratio:.2f} "
          f"| {verdict(ratio >= 0.8)} |")
for concurrency in (16, 64):
    cost = sum(cpu_us_per_call(f"keys-c{concurrency}")) / sum(cpu_us_per_call(f"whoami-c{concurrency}"))
    print(f"| (service + MariaDB CPU per call, GetDatabaseKey / WhoAmI, concurrency {concurrency}: {cost:.2f})"
          f" | | |")
half = rps("keys-half-rate")
print(f"| p99 at half the best GetDatabaseKey rate ({half:.0f}/s), GetDatabaseKey / WhoAmI <= 1.25 "
      f"| {half_p99:.2f} / {percentile('whoami-half-rate', 99):.2f} ms = {half_p99_ratio:.2f} "
      f"| {verdict(half_p99_ratio <= 1.25)} |")
print(f"| (p99 at half rate <= 2 ms, on a host where the load generator has cores of its own) | {half_p99:.2f} ms "
      f"| {verdict(half_p99 <= 2)} |")
print(f"| KMS calls at moto (key creation + all load) <= master keys touched ({master_keys}) | {kms_calls} "
      f"| {verdict(kms_calls <= master_keys)} |")
print(f"| key service max RSS under load <= 300 MB ({len(rss_samples)} samples) | {max_rss_mb:.0f} MB "
      f"| {verdict(max_rss_mb <= 300)} |")
print(f"| (GC pauses in the whole run: {len(gc_pauses)}, longest {max(gc_pauses, default=0):.1f} ms, "
      f"total {sum(gc_pauses):.0f} ms) | | |")
print(f"| failed calls (all cases, incl. key creation) = 0 | {failed} | {verdict(failed == 0)} |")
