#!/usr/bin/env python3
"""RPO of every transaction of a chain: when its change segment was durable in the bucket (the
manifest's createdAt) minus its commit time (the segment's own "-- txn <commit time> ..." header).

    bench/stream_rpo.py CHAIN_FOLDER   (a chain's folder in the embedded S3's file store)

Prints "p50 | p99 | max" in seconds, as a Markdown table's cells.
"""
import datetime
import glob
import gzip
import json
import sys


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def main(folder):
    lags = []
    for manifest_file in sorted(glob.glob(folder + "/*.json")):
        with open(manifest_file) as f:
            manifest = json.load(f)
        durable = instant(manifest["createdAt"])
        segment = manifest_file[: -len(".manifest.json")] + ".sql.gz"
        with gzip.open(segment, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("-- txn "):
                    lags.append((durable - instant(line.split(" ")[2])).total_seconds())
    if not lags:
        raise SystemExit("no transactions under " + folder)
    lags.sort()

    def pct(p):
        return lags[min(len(lags) - 1, int(round(p / 100 * (len(lags) - 1))))]

    print("%9.2f | %9.2f | %9.2f" % (pct(50), pct(99), lags[-1]))


if __name__ == "__main__":
    main(sys.argv[1])
