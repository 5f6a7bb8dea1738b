"""Checks that the peer and adoptcost agree, to the penny, on the first rows of Placements.

    python3 bench/agree.py ADOPTCOST.xlsx PEER.xlsx [ROWS]"""
import sys
from decimal import Decimal as D

import openpyxl

ours, peer = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
PENNY = D("0.01")
COLUMNS = ["Net fee", "Full in-house cost", "In-house route", "External route", "In-house first (sequential)",
           "Difference (external − in-house)", "Break-even wait (weeks)", "Break-even approvals"]
# adoptcost's in-house cost of a row is the household's plus the sibling uplift, which the peer
# does not model: the benchmark's agencies give no uplift, so the two are the same figure.
OURS = {"Full in-house cost": "In-house cost (household + sibling uplift)"}


def table(path):
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)["Placements"]
    it = ws.iter_rows(values_only=True)
    header = list(next(it))
    out = []
    for i, r in enumerate(it):
        if i >= limit:
            break
        out.append(dict(zip(header, r)))
    return out


def money(v):
    return None if v in (None, "none") else D(str(v)).quantize(PENNY)


a, b = table(ours), table(peer)
bad = 0
for ra, rb in zip(a, b):
    for c in COLUMNS:
        mine = ra.get(OURS.get(c, c))
        if money(mine) != money(rb.get(c)):
            bad += 1
            if bad <= 5:
                print(f"row {ra['Row']}: {c}: adoptcost {mine} peer {rb.get(c)}")
print(f"{len(a)} rows compared, {bad} figures differ")
sys.exit(1 if bad or len(a) != len(b) else 0)
