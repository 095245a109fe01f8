"""The capacity benchmark's tables, from what capacity.sh left in its work directory.

Usage: capacity-report.py WORK_DIR CLOCK_TICKS STARTED COMMAND KEYS CLUSTERS CONCURRENCY LOAD_BEFORE LOAD_AFTER MARIADB
"""
import json
import sys
from pathlib import Path

work, ticks, started, command, keys, clusters, concurrency, load_before, load_after, mariadb = sys.argv[1:]
work, ticks, keys, clusters, concurrency = Path(work), int(ticks), int(keys), int(clusters), int(concurrency)
backends = [("single", "single MariaDB"), ("galera", "3-node Galera")]


def ghz(backend, case):
    return json.loads((work / backend / f"{case}.json").read_text())


def p99(report):
    for entry in report.get("latencyDistribution") or []:
        if entry["percentage"] == 99:
            return entry["latency"] / 1e6
    return float("nan")


def failed(report):
    return sum(n for code, n in (report.get("statusCodeDistribution") or {}).items() if code != "OK")


def numbers(backend, name):
    return [float(x) for x in (work / backend / name).read_text().split()]


def tables(backend):
    rows = {}
    for line in (work / backend / "tables.tsv").read_text().splitlines():
        name, table_rows, data, index = line.split("\t")
        rows[name] = (int(table_rows), int(data), int(index))
    counts = {}
    for line in (work / backend / "counts.tsv").read_text().splitlines():
        name, value = line.split("\t")
        counts[name] = int(float(value or 0))
    return rows, counts


print(f"# Capacity benchmark\n\n{started}, `{command}`; {mariadb}; load average {load_before} before, "
      f"{load_after} after (2 cores, shared)\n")
print(f"Each backend: {keys} database keys over {clusters} clusters (one master key each) made through "
      f"GetDatabaseKey's first use; ghz at concurrency {concurrency} against one replica, then "
      f"{concurrency // 2} against each of two (one ghz each), everything on this one machine.\n")
print("| backend | replicas | rps | p99 ms | failed | service CPU µs/call | database CPU µs/call (all nodes) |")
print("|---|---|---|---|---|---|---|")
rates = {}
for backend, label in backends:
    if not (work / backend / "one.json").exists():
        continue
    one = ghz(backend, "one")
    svc, db = numbers(backend, "one.cpu")
    rates[(backend, 1)] = one["rps"]
    print(f"| {label} | 1 | {one['rps']:.0f} | {p99(one):.2f} | {failed(one)} | {svc * 1e6 / ticks / one['count']:.0f}"
          f" | {db * 1e6 / ticks / one['count']:.0f} |")
    two = [ghz(backend, "two-a"), ghz(backend, "two-b")]
    count = sum(r["count"] for r in two)
    svc, db = numbers(backend, "two.cpu")
    rates[(backend, 2)] = sum(r["rps"] for r in two)
    print(f"| {label} | 2 | {rates[(backend, 2)]:.0f} | {max(p99(r) for r in two):.2f} | {sum(failed(r) for r in two)}"
          f" | {svc * 1e6 / ticks / count:.0f} | {db * 1e6 / ticks / count:.0f} |")
print()
if ("galera", 1) in rates and ("single", 1) in rates:
    print("| ratio | value |\n|---|---|")
    for n in (1, 2):
        print(f"| Galera / single MariaDB, {n} replica{'s' if n > 1 else ''} | "
              f"{rates[('galera', n)] / rates[('single', n)]:.2f} |")
    for backend, label in backends:
        print(f"| 2 replicas / 1 replica, {label} | {rates[(backend, 2)] / rates[(backend, 1)]:.2f} |")
    print()

print("## Per-unit costs\n")
print("| backend | unit | measured | per unit |")
print("|---|---|---|---|")
for backend, label in backends:
    if not (work / backend / "tables.tsv").exists():
        continue
    rows, counts = tables(backend)
    master_file = work / backend / "master-keys.tsv"
    if master_file.exists():  # measured again after many clusters were enabled: 4 rows say nothing of a row's size
        _, exact_masters, data, index = master_file.read_text().split("\t")
        rows["master_key"], counts["master_key"] = (int(exact_masters), int(data), int(index)), int(exact_masters)
    for table, unit in (("database_key", "database key"), ("master_key", "master key"),
                        ("audit_record", "audit record")):
        stats_rows, data, index = rows[table]
        exact = counts[table]
        per = (data + index) / max(exact, 1)
        print(f"| {label} | {unit}: rows, InnoDB bytes (data + index) | {exact} rows, {data + index} B "
              f"({data} + {index}) | {per:.0f} B/row |")
    print(f"| {label} | audit record: bytes of its values | {counts['audit_record_bytes']} B in "
          f"{counts['audit_record']} | {counts['audit_record_bytes'] / max(counts['audit_record'], 1):.0f} B |")
    kms, svc, db = numbers(backend, "create.cost")
    create = ghz(backend, "create")
    print(f"| {label} | first-use creation: KMS calls, CPU service / database | {kms:.0f} for {keys} keys, "
          f"{create['rps']:.0f}/s | {svc * 1e6 / ticks / keys:.0f} / {db * 1e6 / ticks / keys:.0f} µs per key |")
    if (work / backend / "clusters.kms").exists():
        setup, setup_clusters = numbers(backend, "setup.kms")
        kms, n = numbers(backend, "clusters.kms")
        print(f"| {label} | KMS calls per CMK validation: UpdateProjectEncryption + {setup_clusters:.0f} clusters enabled, "
              f"less {setup_clusters:.0f} × the calls per cluster enabled (next row) | {setup:.0f} | "
              f"{setup - setup_clusters * kms / n:.2f} |")
        kms, n = numbers(backend, "clusters.kms")
        enabled = ghz(backend, "clusters")
        print(f"| {label} | KMS calls per cluster enabled (a new master key; {n:.0f} clusters, {failed(enabled)} failed)"
              f" | {kms:.0f} | {kms / n:.2f} |")
    miss, n = numbers(backend, "cache-miss.kms")
    print(f"| {label} | KMS calls per master-key cache miss (replica b's first release of {n:.0f} clusters' keys) | "
          f"{miss:.0f} | {miss / n:.2f} |")
    kms, wall, svc, db = numbers(backend, "rotation.cost")
    status = json.loads((work / backend / "rotation.json").read_text())
    rewrapped = int(status.get("rewrapped_keys", 0))
    print(f"| {label} | master-key rotation of {rewrapped} database keys: KMS calls, wall s | {kms:.0f}, "
          f"{wall:.1f} s | {rewrapped / max(wall, 1e-9):.0f} keys/s; CPU service / database "
          f"{svc * 1e6 / ticks / max(rewrapped, 1):.0f} / {db * 1e6 / ticks / max(rewrapped, 1):.0f} µs per key |")
