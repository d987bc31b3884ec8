"""Runs Splink (DuckDB backend) on a Records CSV v1 file and writes `source,record_id,cluster`.

Used by run.py, which measures this process's wall time and peak memory; the stage times it
prints (JSON on the last line) come from inside the process.

    python splink_run.py febrl4|synthetic RECORDS.csv CLUSTERS.csv
"""

import json
import sys
import time

import pandas as pd
from unidecode import unidecode
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def first_last(row):
    """Given and family name in lower-case ASCII. Names arrive in Cyrillic and in several Latin
    systems; a Splink user would transliterate them first (unidecode), so Splink gets that."""
    given, family, name = row["given_name"], row["family_name"], row["name"]
    if not given and not family and name:
        parts = name.split()
        given, family = parts[0], parts[-1] if len(parts) > 1 else ""
    return unidecode(given).lower(), unidecode(family).lower()


def main():
    kind, records, out = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = time.time()
    df = pd.read_csv(records, dtype=str, keep_default_na=False)
    times = {}
    if kind == "febrl4":
        df["first_name"] = df["given_name"].str.lower()
        df["surname"] = df["family_name"].str.lower()
        df["dob"] = df["birth_date"].str.replace("-", "")
        # Residence holds "street_number;address_1;address_2;suburb;postcode;state" (run.py).
        parts = df["residence"].str.split(";", expand=True)
        for i, c in enumerate(["street_number", "address_1", "address_2", "suburb", "postcode", "state"]):
            df[c] = parts[i] if i in parts else ""
        cols = ["first_name", "surname", "dob", "street_number", "address_1", "address_2", "suburb", "postcode", "state"]
        comparisons = [
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.ExactMatch("state"),
        ]
        blocking = [
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "street_number"),
        ]
        em_rules = [block_on("first_name", "surname"), block_on("dob")]
        det = [block_on("first_name", "surname", "dob")]
    else:
        fl = df.apply(first_last, axis=1, result_type="expand")
        df["first_name"], df["surname"] = fl[0], fl[1]
        df["birth_year"] = df["birth_date"].str[:4]
        cols = ["first_name", "surname", "birth_date", "birth_year", "sex", "origin", "citizenship", "event", "event_date", "residence"]
        comparisons = [
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("sex"),
            cl.ExactMatch("origin"),
            cl.ExactMatch("citizenship"),
            cl.ExactMatch("event"),
            cl.LevenshteinAtThresholds("event_date", [2]),
        ]
        blocking = [
            block_on("first_name", "surname"),
            block_on("surname", "birth_year"),
            block_on("first_name", "birth_date"),
            block_on("first_name", "event", "event_date"),
        ]
        em_rules = [block_on("first_name", "surname"), block_on("birth_date")]
        det = [block_on("first_name", "surname", "birth_date")]
    for c in cols:
        df[c] = df[c].replace("", None)
    df["unique_id"] = df["source"] + "/" + df["record_id"]
    sources = sorted(df["source"].unique())
    link_type = "link_only" if kind != "synthetic" else "link_and_dedupe"
    db = DuckDBAPI()
    frames = [db.register(df[df["source"] == s][["unique_id", "source"] + cols].copy(), table_name=f"t_{i}") for i, s in enumerate(sources)]
    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
    )
    linker = Linker(frames, settings, log_level=30)
    times["read"] = time.time() - t0
    t = time.time()
    linker.training.estimate_probability_two_random_records_match(det, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for r in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(r)
    times["train"] = time.time() - t
    t = time.time()
    pred = linker.inference.predict(threshold_match_probability=0.5)
    times["predict"] = time.time() - t
    t = time.time()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5).as_pandas_dataframe()
    times["cluster"] = time.time() - t
    key = clusters["unique_id"].str.split("/", n=1, expand=True)
    pd.DataFrame({"source": key[0], "record_id": key[1], "cluster": clusters["cluster_id"]}).to_csv(out, index=False)
    print(json.dumps(times))


if __name__ == "__main__":
    main()
