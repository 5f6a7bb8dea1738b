"""The Python peer of the batch benchmark (bench/run): what a careful finance analyst's script
would do with openpyxl. It reads the same input workbook in read-only mode, costs each agency
and each child row with decimal.Decimal by COSTING.md (shares no code with adoptcost), and writes
the same Placements sheet in write-only mode (values, not formulas: openpyxl cannot write a
formula's cached result).

    python3 bench/peer.py INPUT.xlsx OUT.xlsx

It covers what the benchmark workbook uses: England, VAA and LA/RAA fees for 2025/26 (one to
three or four children), the London weighting, weekly care cost per child, both waits, the
sequential search, common costs; no contributions, monthly fees or price indices."""
import sys
from collections import defaultdict
from decimal import Decimal as D, getcontext

import openpyxl

getcontext().prec = 40
ZERO, ONE = D(0), D(1)
# The 2025/26 England schedule adoptcost ships (core/reference/fees.toml), by provider and band.
FEES = {"vaa": {1: D(39245)}, "la": {1: D(27000), 2: D(43000), 3: D(60000), 4: D(60000)}}
LONDON = D("0.10")
NI_RATE, NI_THRESHOLD, LEVY_RATE = D("0.15"), D(5000), D("0.005")


def dec(v, default=ZERO):
    if v is None or v == "":
        return default
    return D(str(v))


def shares(row, col):
    vals = [row[col[k]] for k in ("Share A", "Share B", "Share C", "Share other")]
    if all(v is None for v in vals):
        return None
    return [dec(v) for v in vals]


def rows(ws):
    it = ws.iter_rows(values_only=True)
    header = next(it)
    width = len(header)
    # read-only mode leaves trailing empty cells off a row
    return [tuple(r) + (None,) * (width - len(r)) for r in it if any(v is not None for v in r)], header


def sheet(wb, name):
    """A sheet's rows, and each column's position by its header (the template's columns move as
    it gains fields)."""
    body, header = rows(wb[name])
    return body, {h: i for i, h in enumerate(header)}


def agencies(wb):
    ag, c = sheet(wb, "Agencies")
    out = {}
    for r in ag:
        out[r[0]] = {"pension": dec(r[c["Pension rate"]]), "levy": r[c["Apprenticeship levy"]] == "yes",
                     "ni_rate": dec(r[c["NI rate"]], NI_RATE), "ni_thr": dec(r[c["NI threshold"]], NI_THRESHOLD),
                     "levy_rate": dec(r[c["Levy rate"]], LEVY_RATE), "approvals": dec(r[c["Approvals"]]),
                     "matches": dec(r[c["Matches own"]]) + dec(r[c["Sales"]]),
                     "supported": dec(r[c["Supported placements"]], None),
                     "util": dec(r[c["Utilisation"]], ONE), "staff": [], "direct": [], "over": [], "back": []}
    body, c = sheet(wb, "Staff")
    for r in body:
        out[r[0]]["staff"].append((dec(r[c["FTE"]]), dec(r[c["Salary"]]), r[c["Variable"]] == "yes", shares(r, c)))
    body, c = sheet(wb, "Direct")
    for r in body:
        out[r[0]]["direct"].append((dec(r[c["Amount"]]), r[c["Variable"]] == "yes", shares(r, c)))
    body, c = sheet(wb, "Overheads")
    for r in body:
        out[r[0]]["over"].append((r[c["Category"]], dec(r[c["Amount"]], None), dec(r[c["Per FTE"]], None),
                                  shares(r, c)))
    body, c = sheet(wb, "Back office")
    for r in body:
        out[r[0]]["back"].append((dec(r[c["Amount"]], None), dec(r[c["Recharge"]], None)))
    return {code: cost(a) for code, a in out.items()}


def cost(a):
    """COSTING.md §3–5: stage totals, unit costs and what break-even approvals need."""
    direct = [ZERO] * 4   # salary + on-costs + direct lines + office + regulation, by stage
    total = [ZERO] * 4
    var = [ZERO] * 4
    fte = sum(f for f, _, _, _ in a["staff"])
    key = [sum(f * s[k] for f, _, _, s in a["staff"]) / fte for k in range(4)]
    for f, sal, variable, s in a["staff"]:
        line = f * sal + f * a["ni_rate"] * max(ZERO, sal - a["ni_thr"]) + f * a["pension"] * sal
        if a["levy"]:
            line += a["levy_rate"] * f * sal
        for k in range(4):
            direct[k] += line * s[k]
            if variable:
                var[k] += line * s[k]
    for amt, variable, s in a["direct"]:
        for k in range(4):
            direct[k] += amt * s[k]
            if variable:
                var[k] += amt * s[k]
    capital = [ZERO] * 4
    for cat, amt, per_fte, s in a["over"]:
        amount = amt if amt is not None else per_fte * fte
        for k in range(4):
            part = amount * (s[k] if s else key[k])
            if cat == "capital":
                capital[k] += part
            else:
                direct[k] += part
    base = sum(direct)
    back = sum((amt if amt is not None else ZERO) + (rate * base if rate is not None else ZERO)
               for amt, rate in a["back"])
    for k in range(4):
        total[k] = direct[k] + capital[k] + back * direct[k] / base
    supported = a["supported"] if a["supported"] is not None else a["matches"]
    per_a, per_b, per_c = total[0] / a["approvals"], total[1] / a["matches"], total[2] / supported
    return {"full": per_a / a["util"] + per_b + per_c, "per_b": per_b, "per_c": per_c,
            "fixed_a": total[0] - var[0], "var_a_per": var[0] / a["approvals"], "util": a["util"]}


def main():
    src, out = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
    costed = agencies(wb)
    it = wb["Children"].iter_rows(values_only=True)
    width = len(next(it))
    ow = openpyxl.Workbook(write_only=True)
    ws = ow.create_sheet("Placements")
    ws.append(["Row", "Reference", "Agency code", "Children", "Provider", "London", "Weekly care cost",
               "Weeks in-house", "Weeks external", "Search weeks", "Success probability", "Common costs",
               "Placement fee", "Net fee", "Full in-house cost", "In-house route", "External route",
               "In-house first (sequential)", "Difference (external − in-house)", "Break-even wait (weeks)",
               "Break-even approvals"])
    for n, r in enumerate(it, start=2):
        if all(v is None for v in r):
            continue
        r = tuple(r) + (None,) * (width - len(r))
        a = costed[r[1]]
        children = int(r[2])
        provider = r[9] or "vaa"
        fee = FEES[provider][min(children, 4)]
        if r[11] == "yes":
            fee = fee * (ONE + LONDON)
        net = fee
        weekly = dec(r[8], None) if r[8] is not None else dec(r[7]) * children
        w_in, w_ext = dec(r[13]), dec(r[14])
        common = dec(r[17])
        full = a["full"]
        in_house = full + w_in * weekly + common
        external = net + w_ext * weekly + common
        seq = None
        if r[15] is not None and r[16] is not None:
            s, p = dec(r[15]), dec(r[16])
            seq = p * (full + w_in * weekly) + (ONE - p) * (s * weekly + net + w_ext * weekly) + common
        denom = a["util"] * (net - a["per_b"] - a["per_c"]) - a["var_a_per"]
        approvals = a["fixed_a"] / denom if denom > 0 else "none"
        ws.append([n, r[0], r[1], children, provider, r[11], weekly, w_in, w_ext, r[15], r[16], common, fee, net,
                   full, in_house, external, seq, external - in_house, (net - full) / weekly, approvals])
    ow.save(out)


if __name__ == "__main__":
    main()
