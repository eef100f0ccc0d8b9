#!/usr/bin/env python3
"""Spreadsheets with real clients (issue 14, item 8), run by xlsx_check.sh.

  xlsx_check.py fixture DIR   writes DIR/seed-000.csv-made workbooks: the items of
                              fixtures/seed-000.yaml as CSV, converted by LibreOffice Calc to
                              .xlsx and .ods, and the quarter files importing them
                              (tests/data/import/ is made this way; tests/import.rs reads it).
  xlsx_check.py check         every check below; exit 1 on the first failure.

Import: the LibreOffice-made .xlsx and .ods, and a workbook openpyxl writes the way a platform
export looks (a merged title row, a two-row header with merge records, numbers stored as text,
full-width digits, blank cells, 是/否, 不考核, two sheets picked by name), each render to the same
text as fixtures/seed-000.yaml; `tongbao init --items` on each gives a draft that `check`
accepts and `render` renders.

Export: every fixture rendered with --format xlsx,json; the workbook read back by openpyxl and
by LibreOffice (--convert-to csv, every sheet, cells as shown) and compared cell by cell with
the composed document: sheet titles, label and title rows, header texts and merged ranges,
numbers stored as numbers (and shown as printed: 88.9, 83.3%), the lines before and after.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parents[2]
TONGBAO = ROOT / "target" / "debug" / "tongbao"
SEED = ROOT / "fixtures" / "seed-000.yaml"

# Item fields in the order the sheets carry them, with the platform's header text.
FIELDS = [("unit", "主管单位"), ("name", "名称"), ("category", "类别"), ("platform", "平台"),
          ("filing", "备案单号"), ("veto", "单项否决")]
RESULTS = [("score", "得分"), ("result", "检查结果"), ("rank", "排名"), ("featured", "列入满分名单")]

failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print(f"FAIL {what}", file=sys.stderr)
    return ok


def tongbao(*args, cwd=None):
    return subprocess.run([str(TONGBAO), *map(str, args)], capture_output=True, cwd=cwd)


def soffice(src, fmt, out, work):
    """LibreOffice converts `src` to `fmt` in `out`; returns the written path."""
    profile = "file://" + os.path.join(work, "lo-profile")
    cmd = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    if str(src).endswith(".csv"):
        # Comma-separated, double quotes, UTF-8 (76), from line 1.
        cmd.append("--infilter=CSV:44,34,76,1")
    cmd += ["--convert-to", fmt, "--outdir", str(out), str(src)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"soffice failed on {src}: {r.stderr}")
    return r


# ---- the items of seed 000 as the platform's sheet --------------------------------------------

def sheet_layout(insp):
    """Columns of one inspection's sheet: (key in the YAML mapping, top header, sub header,
    field path), and the items."""
    items = insp["items"]
    cols = [("序号", "序号", "", None)]
    for field, head in FIELDS:
        if any(field in it for it in items):
            cols.append((head, head, "", field))
    for ind in insp["scheme"]["indicators"]:
        name, group = ind["name"], ind.get("group")
        if group:
            cols.append((f"{group}/{name}", group, name, f"d.{name}"))
        else:
            cols.append((name, name, "", f"d.{name}"))
    for field, head in RESULTS:
        if any(field in it for it in items):
            cols.append((head, head, "", field))
    return cols, items


def cell(item, field, seq, style):
    """One cell's value; `style` "csv" writes text as LibreOffice reads it, "platform" stores
    some numbers as text and some digits full-width, as exports do."""
    if field is None:
        return seq
    if field.startswith("d."):
        v = item.get("d", {}).get(field[2:])
    else:
        v = item.get(field)
    if field == "veto":
        return "是" if v else "否"
    if field == "featured":
        return "是" if v else None
    if v is None:
        return None
    if style == "platform" and isinstance(v, (int, float)) and not isinstance(v, bool):
        # Deductions stored as text, ranks in full-width digits.
        if field.startswith("d."):
            return str(v)
        if field == "rank":
            return str(v).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return v


def rows_of(insp, title, style):
    cols, items = sheet_layout(insp)
    top = [c[1] for c in cols]
    # A group's header cell is written once, over its first column.
    for i in range(len(top) - 1, 0, -1):
        if cols[i][2] and cols[i - 1][2] and top[i] == top[i - 1]:
            top[i] = None
    sub = [c[2] or None for c in cols]
    data = [[cell(it, c[3], n + 1, style) for c in cols] for n, it in enumerate(items)]
    return cols, [[title], top, sub] + data


def mapping_yaml(cols, source, sheet=None):
    lines = ["    items:", f"      from: {source}"]
    if sheet:
        lines.append(f"      sheet: {sheet}")
    lines += ["      header_row: 3", "      columns:"]
    for key, _, _, field in cols:
        lines.append(f"        {key}: {field or '~'}")
    return lines


def twin(sources):
    """seed-000.yaml with each inspection's inline items replaced by an import of
    `sources[i]` = (file, sheet or None)."""
    text = SEED.read_text(encoding="utf-8").split("\n")
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    out, i, k = [], 0, 0
    while i < len(text):
        line = text[i]
        if line == "    items:":
            cols, _ = sheet_layout(data["inspections"][k])
            out += mapping_yaml(cols, *sources[k])
            k += 1
            i += 1
            while i < len(text) and (text[i].startswith("      ") or not text[i].strip()):
                if not text[i].strip():
                    out.append("")
                i += 1
            continue
        out.append(line)
        i += 1
    header = ["# seed-000.yaml 的检查对象改由表格导入（tests/clients/xlsx_check.py fixture 生成，勿手改）。"]
    return "\n".join(header + out)


def titles():
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    return data["inspections"], [f"2021年第二季度{insp['kind']}检查结果" for insp in data["inspections"]]


def make_fixture(out, work):
    """The CSV files, their LibreOffice .xlsx and .ods, and the two quarter files."""
    out.mkdir(parents=True, exist_ok=True)
    inspections, heads = titles()
    stems = []
    for insp, head in zip(inspections, heads):
        stem = f"seed-000-{insp['id']}"
        _, rows = rows_of(insp, head, "csv")
        csv_path = Path(work) / f"{stem}.csv"
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["" if v is None else v for v in r] for r in rows])
        for fmt in ("xlsx", "ods"):
            soffice(csv_path, fmt, out, work)
        stems.append(stem)
    for ext in ("xlsx", "ods"):
        (out / f"seed-000-{ext}.yaml").write_text(
            twin([(f"{s}.{ext}", None) for s in stems]) , encoding="utf-8")
    return [out / f"seed-000-{ext}.yaml" for ext in ("xlsx", "ods")]


def make_platform_workbook(path):
    """What a monitoring platform's export looks like, written by openpyxl."""
    inspections, heads = titles()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = []
    for insp, head, name in zip(inspections, heads, ["网站", "新媒体"]):
        ws = wb.create_sheet(name)
        cols, rows = rows_of(insp, head, "platform")
        for r in rows:
            ws.append(r)
        last = openpyxl.utils.get_column_letter(len(cols))
        ws.merge_cells(f"A1:{last}1")
        c = 0
        while c < len(cols):
            letter = openpyxl.utils.get_column_letter(c + 1)
            if cols[c][2]:
                end = c
                while end + 1 < len(cols) and cols[end + 1][1] == cols[c][1] and cols[end + 1][2]:
                    end += 1
                ws.merge_cells(f"{letter}2:{openpyxl.utils.get_column_letter(end + 1)}2")
                c = end + 1
            else:
                ws.merge_cells(f"{letter}2:{letter}3")
                c += 1
        names.append(name)
    wb.save(path)
    return names


def render_text(path, cwd=None):
    r = tongbao("render", path, "--format", "txt", "-o", "-", cwd=cwd)
    if not check(r.returncode == 0, f"render {path}: {r.stderr.decode()}"):
        return None
    return r.stdout.decode()


def check_import(work):
    work = Path(work)
    expected = render_text(SEED)
    made = make_fixture(work / "lo", str(work))
    book = work / "lo" / "平台导出.xlsx"
    sheets = make_platform_workbook(book)
    platform = work / "lo" / "seed-000-platform.yaml"
    platform.write_text(twin([(book.name, s) for s in sheets]), encoding="utf-8")
    for y in made + [platform]:
        got = render_text(y)
        check(got == expected, f"{y.name} renders to the text of seed-000.yaml")
        r = tongbao("check", y)
        check(r.returncode == 1 and "0 个错误" in r.stderr.decode(),
              f"{y.name}: check reports seed 000's contradictions and no error: {r.stderr.decode()[-400:]}")
    # The committed fixture is what this script makes (the cells, not LibreOffice's bytes).
    for ext in ("xlsx", "ods"):
        committed = ROOT / "tests" / "data" / "import" / f"seed-000-{ext}.yaml"
        check(committed.read_text(encoding="utf-8") == (work / "lo" / committed.name).read_text(encoding="utf-8"),
              f"{committed} is what `xlsx_check.py fixture` writes")
    for sheet in [work / "lo" / "seed-000-sites.xlsx", work / "lo" / "seed-000-media.ods", book]:
        draft = work / "init" / f"{sheet.stem}-{sheet.suffix[1:]}.yaml"
        draft.parent.mkdir(exist_ok=True)
        r = tongbao("init", "--items", sheet, "-o", draft)
        if not check(r.returncode == 0, f"init --items {sheet.name}: {r.stderr.decode()}"):
            continue
        r = tongbao("check", draft)
        check(r.returncode == 0, f"the draft of {sheet.name} checks: {r.stderr.decode()}")
        check(render_text(draft) is not None, f"the draft of {sheet.name} renders")


# ---- our workbook read back -------------------------------------------------------------------

def grid(rows, ncols):
    """[(row, col, cell)] as ir::grid places them: a cell takes the next column free of the
    row spans above."""
    taken, placed = set(), []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            cs, rs = max(cell["col_span"], 1), max(cell["row_span"], 1)
            placed.append((r, c, cell))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
    return placed


def expected_sheets(doc):
    """(sheet title, {(row, col): text}, {merged range}, {(row, col) of data cells}) for each
    table, as src/xlsx.rs lays it out."""
    out, taken = [], []
    for att in doc["attachments"]:
        blocks = att["content"]
        tables = [i for i, b in enumerate(blocks) if "Table" in b]
        for k, at in enumerate(tables):
            t = blocks[at]["Table"]
            ncols = max([len(t["columns"])] + [sum(max(c["col_span"], 1) for c in r)
                                                for r in t["header"] + t["rows"]])
            start = tables[k - 1] + 1 if k else 0
            end = tables[k + 1] if k + 1 < len(tables) else len(blocks)
            before = [b["Paragraph"]["text"] for b in blocks[start:at] if "Paragraph" in b]
            after = [b["Paragraph"]["text"] for b in blocks[at + 1:end] if "Paragraph" in b]
            cells, merges, data = {}, set(), set()

            def line(r, text):
                cells[(r, 0)] = text
                if ncols > 1:
                    merges.add((r, 0, r, ncols - 1))

            cells[(0, 0)] = att["label"]
            line(1, att["title"])
            row = 2
            for text in before:
                line(row, text)
                row += 1
            for part, is_data in ((t["header"], False), (t["rows"], True)):
                for r, c, cell in grid(part, ncols):
                    cells[(row + r, c)] = cell["text"]
                    if is_data:
                        data.add((row + r, c))
                    cs, rs = max(cell["col_span"], 1), max(cell["row_span"], 1)
                    if cs > 1 or rs > 1:
                        merges.add((row + r, c, row + r + rs - 1, min(c + cs, ncols) - 1))
                row += len(part)
            for text in after:
                line(row, text)
                row += 1
            name = "".join("_" if ch in "[]:*?/\\" else ch for ch in att["title"]).strip("'").strip()
            suffix = f"（{k + 1}）" if k else ""
            name = name[:31 - len(suffix)] + suffix
            taken.append(name)
            out.append((name, cells, merges, data))
    return out


def printed_number(text):
    """The value a printed number is stored as ("83.3%" → 0.833), or None for text."""
    t = text.strip()
    body = t[:-1] if t.endswith("%") else t
    digits = body.lstrip("-")
    whole, _, frac = digits.partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or (len(whole) > 1 and whole[0] == "0") \
            or len(whole) + len(frac) > 15 or digits.endswith("."):
        return None
    return float(body) / 100 if t.endswith("%") else float(body)


def check_export(work):
    """Returns how many cells were checked as numbers."""
    work = Path(work)
    numbers = 0
    fixtures = sorted((ROOT / "fixtures").glob("*.yaml"))
    for fx in fixtures:
        out = work / "export" / fx.stem
        out.mkdir(parents=True)
        r = tongbao("render", fx, "--format", "xlsx,json", "-o", out)
        if not check(r.returncode == 0, f"render {fx.name}: {r.stderr.decode()}"):
            continue
        doc = json.loads((out / f"{fx.stem}.json").read_text(encoding="utf-8"))
        expected = expected_sheets(doc)
        wb = openpyxl.load_workbook(out / f"{fx.stem}.xlsx")
        if not expected:
            check(wb.sheetnames == ["无附件表格"], f"{fx.name}: a workbook without tables says so")
            continue
        check(wb.sheetnames == [e[0] for e in expected],
              f"{fx.name}: sheet titles {wb.sheetnames} are the attachments' {[e[0] for e in expected]}")
        soffice(out / f"{fx.stem}.xlsx",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                out / "csv", str(work))
        for (name, cells, merges, data), ws in zip(expected, wb.worksheets):
            where = f"{fx.name} sheet {name}"
            got_merges = {(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                          for m in ws.merged_cells.ranges}
            check(got_merges == merges, f"{where}: merged ranges {sorted(got_merges ^ merges)[:5]} differ")
            nrows = max(r for r, _ in cells) + 1
            ncols = max(c for _, c in cells) + 1
            check(ws.max_row == nrows, f"{where}: {ws.max_row} rows, expected {nrows}")
            for (r, c), text in cells.items():
                v = ws.cell(row=r + 1, column=c + 1).value
                n = printed_number(text) if (r, c) in data else None
                if n is not None:
                    numbers += 1
                    check(isinstance(v, (int, float)) and abs(v - n) < 1e-9,
                          f"{where} {ws.cell(row=r + 1, column=c + 1).coordinate}: {text!r} stored as {v!r}, not the number {n}")
                else:
                    check(v == (text or None), f"{where} {ws.cell(row=r + 1, column=c + 1).coordinate}: {v!r}, expected {text!r}")
            # LibreOffice shows each cell as the circular prints it.
            csv_path = out / "csv" / f"{fx.stem}-{name}.csv"
            if not check(csv_path.exists(), f"{where}: LibreOffice wrote {csv_path.name}"):
                continue
            with open(csv_path, encoding="utf-8", newline="") as f:
                shown = list(csv.reader(f))
            check(len(shown) == nrows, f"{where}: LibreOffice reads {len(shown)} rows, expected {nrows}")
            for r in range(nrows):
                row = shown[r] if r < len(shown) else []
                want = [cells.get((r, c), "") for c in range(ncols)]
                row = (row + [""] * ncols)[:ncols]
                check(row == want, f"{where} row {r + 1}: LibreOffice shows {row}, expected {want}")
    return numbers


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        with tempfile.TemporaryDirectory() as work:
            for y in make_fixture(Path(sys.argv[2]), work):
                print(y)
        return 0
    if sys.argv[1:] != ["check"]:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as work:
        check_import(work)
        # Scores, ranks and deductions of every fixture: thousands of cells, not a handful.
        numbers = check_export(work)
        check(numbers > 1000, f"only {numbers} cells were checked as numbers")
    if failures:
        print(f"xlsx_check: {failures} failure(s)", file=sys.stderr)
        return 1
    print(f"xlsx_check: import from LibreOffice and openpyxl workbooks, export read back by both"
          f" ({numbers} numeric cells): ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
