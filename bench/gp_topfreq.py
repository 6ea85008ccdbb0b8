"""Plain GP-TopFreq over a purchase history: the reference the offline command is timed against.

    python3 bench/gp_topfreq.py --history H.csv --k 10 --out R.csv

Reads `member_id,basket_seq,product_id`, ranks for every member the products in most of the
member's baskets (ties by how many baskets overall hold the product, then id), fills up to k with
the products in most baskets overall, and writes `member_id,rank,product_id`. Standard library only,
written the way one would write it by hand: this is the baseline, not a tuned implementation.
"""
import argparse
import csv
import resource
import sys
from collections import Counter, defaultdict


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", required=True)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    baskets = defaultdict(set)  # (member, seq) -> items
    with open(args.history, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            baskets[(row["member_id"], row["basket_seq"])].add(row["product_id"])

    own = defaultdict(Counter)
    popularity = Counter()
    for (member, _), items in baskets.items():
        own[member].update(items)
        popularity.update(items)
    top = sorted(popularity, key=lambda item: (-popularity[item], item))

    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["member_id", "rank", "product_id"])
        for member in sorted(own):
            counts = own[member]
            ranked = sorted(counts, key=lambda item: (-counts[item], -popularity[item], item))[: args.k]
            chosen = set(ranked)
            for item in top:
                if len(ranked) >= args.k:
                    break
                if item not in chosen:
                    ranked.append(item)
            for rank, item in enumerate(ranked, start=1):
                writer.writerow([member, rank, item])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"ranked {len(own)} members; peak memory {peak_mb} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
