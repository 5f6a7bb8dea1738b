"""Generates the benchmark workbook: 10 agencies (the example agency under ten codes, each
with its salaries scaled a little so they differ) and N child rows spread across them.

    python3 bench/make_workbook.py TEMPLATE.xlsx OUT.xlsx [ROWS]

TEMPLATE.xlsx is `adoptcost template`'s output; rows default to 100,000. Written with
openpyxl's write-only mode."""
import datetime
import sys

import openpyxl

template, out = sys.argv[1], sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
src = openpyxl.load_workbook(template)
wb = openpyxl.Workbook(write_only=True)
codes = [f"A{i:02d}" for i in range(1, 11)]
for name in ["Agencies", "Staff", "Direct", "Overheads", "Back office"]:
    ws = wb.create_sheet(name)
    data = list(src[name].iter_rows(values_only=True))
    ws.append(data[0])
    for k, code in enumerate(codes):
        for r in data[1:]:
            if all(v is None for v in r):
                continue
            r = list(r)
            r[0] = code
            if name == "Agencies":
                r[1] = f"Benchmark agency {code}"
            if name == "Staff":
                r[3] = round(r[3] * (1 + k / 100), 2)
            ws.append(r)
ws = wb.create_sheet("Children")
header = [c.value for c in src["Children"][1]]
ws.append(header)
providers = ["vaa", "la"]
for i in range(rows):
    children = 1 + (i % 7 == 0) + (i % 13 == 0)
    provider = providers[i % 2] if children == 1 else "la"
    row = [
        f"C{i + 1:06d}", codes[i % 10], children, i % 12, "no", "no", "no",
        700 + (i % 50) * 10, None, provider, None, "yes" if i % 9 == 0 else "no",
        None, 20 + i % 40, 15 + i % 30, 13 if i % 3 == 0 else None, 0.5 if i % 3 == 0 else None,
        None, None, None, None, None, None, None,
    ]
    ws.append(row)
ws = wb.create_sheet("Fee overrides")
ws.append([c.value for c in src["Fee overrides"][1]])
wb.save(out)
print(f"wrote {out}: 10 agencies, {rows} child rows")
