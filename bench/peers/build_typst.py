#!/usr/bin/env python3
"""Write the 通报 as a Typst document, or compile one with the `typst` package.

Usage:
  build_typst.py source DOC.json OUT.typ
  build_typst.py compile SRC.typ OUT.pdf [--no-pdf-tags]

DOC.json is tongbao's Document IR (`tongbao render X.yaml --format json`), so every string is
the one tongbao sets. The source sets it on the GB/T 9704-2012 page: A4 with the 156 x 225 mm
type area, 16 pt 仿宋 on a 28.95 pt line pitch (22 lines of 28 characters), the red 版头,
headings by level, 附件 on new pages with merged table headers that repeat on every page, the
版记 at the foot of an even page and "— N —" page numbers. `compile` uses only the faces in the
repository's fonts/ (no system fonts); Typst tags its PDFs unless --no-pdf-tags is given.
"""

import json
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "fonts"

# The faces in fonts/ by Typst family name; 仿宋 and 楷体 fall back to the 宋体 face for
# characters they lack, as tongbao does.
PREAMBLE = r"""
#let fangsong = ("FandolFang R", "Noto Serif CJK SC")
#let xiaobiaosong = "Noto Serif CJK SC"  // bold face
#let heiti = "Noto Sans CJK SC"
#let kaiti = ("AR PL KaitiM GB", "Noto Serif CJK SC")
#let songti = "Noto Serif CJK SC"
#let pitch = 28.95pt  // 22 lines in 225 mm

#set page(
  paper: "a4",
  margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm,
  footer: context {
    // "— N —" 4号宋体, one character in from the outer edge
    set text(font: songti, size: 14pt, tracking: 0pt)
    set par(first-line-indent: 0pt)
    let n = counter(page).display()
    if calc.odd(counter(page).get().first()) {
      align(right)[— #n —#h(1em)]
    } else {
      align(left)[#h(1em)— #n —]
    }
  },
)
// Line boxes one em tall, so the leading completes the pitch; -0.25 pt tracking puts 28
// characters of 16 pt on the 156 mm line.
#set text(font: fangsong, size: 16pt, lang: "zh", region: "cn", tracking: -0.25pt,
  top-edge: 0.88em, bottom-edge: -0.12em)
#set par(justify: true, leading: pitch - 1em, spacing: pitch - 1em,
  first-line-indent: (amount: 2em, all: true))

#let blank = block(height: 1em)  // one empty line of the grid
#let flush(body, at: left) = {
  set par(first-line-indent: 0pt)
  align(at, body)
}
#let doc-title(body) = flush(at: center, text(font: xiaobiaosong, weight: "bold", size: 22pt, body))
#let heading-font = (heiti, kaiti, fangsong, fangsong)
#let level-heading(level, body) = block(sticky: true,
  par(text(font: heading-font.at(level - 1), body)))
#let th(body, ..span) = table.cell(..span, text(font: heiti, body))
"""

TYPE_WIDTH_PT = 156 / 25.4 * 72
TABLE_SIZES = (9, 10.5)  # 小五 for tables of more than 8 columns, 五号 otherwise
ALIGN = {"Left": "left", "Center": "center", "Right": "right", "Justify": "left"}


def lit(s: str) -> str:
    """A Typst string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def header(d: dict) -> list[str]:
    """版头 (mark, 发文字号, red rule), 标题 and 主送机关."""
    h, out = d["header"], []
    for field in ("copy_number", "secrecy", "urgency"):
        if h[field]:
            out.append(f"#flush(text(font: heiti, {lit(h[field])}))")
    if h["issuer_mark"]:
        mark = h["issuer_mark"]
        size = min(30.0, TYPE_WIDTH_PT / len(mark))  # one line at most
        out += [
            "#v(35mm - 0.3em)",
            f'#flush(at: center, text(font: xiaobiaosong, weight: "bold", fill: rgb("#ff0000"),'
            f" size: {size:.2f}pt, {lit(mark)}))",
            "#blank #blank",
            f"#flush(at: center, {lit(h['doc_number'] or '')})",
            '#block(above: 4mm, line(length: 100%, stroke: 1.5pt + rgb("#ff0000")))',
            "#blank #blank",
        ]
    elif h["doc_number"]:
        out += [f"#flush(at: center, {lit(h['doc_number'])})", "#blank"]
    out += [f"#doc-title({lit(d['title'])})", "#blank"]
    if d["recipients"]:
        out.append(f"#flush({lit(d['recipients'] + '：')})")
    return out


def body(blocks: list) -> list[str]:
    out = []
    for block in blocks:
        if "Heading" in block:
            h = block["Heading"]
            out.append(f"#level-heading({h['level']}, {lit(h['text'])})")
            continue
        runs = []
        for run in block["Paragraph"]["runs"]:
            if run["role"] == "Body":
                runs.append(f"#{lit(run['text'])}")
            else:  # {"Heading": level}: a run-in heading
                level = run["role"]["Heading"]
                runs.append(f"#text(font: heading-font.at({level - 1}), {lit(run['text'])})")
        out.append("".join(runs))
    return out


def closing(d: dict) -> list[str]:
    """附件说明, 署名 and 成文日期, 附注."""
    out = []
    names = d["attachment_note"]
    if names:
        # wrapped lines align with the first character of the name
        if len(names) > 1:
            rows = [
                f'{lit("附件：" if i == 0 else "")}, "{i + 1}．", {lit(name)}'
                for i, name in enumerate(names)
            ]
            grid = f"grid(columns: (auto, auto, 1fr), row-gutter: pitch - 1em, {', '.join(rows)})"
        else:
            grid = f'grid(columns: (auto, 1fr), "附件：", {lit(names[0])})'
        out += ["#blank", f"#flush(pad(left: 2em, {grid}))"]
    sig = d["signature"]
    if sig:
        if sig["sealed"]:
            # date 4 characters from the right, the issuer centred over it
            inner = (
                f"grid(align: center, row-gutter: pitch - 1em, {lit(sig['issuer'])},"
                f" {lit(sig['date'])})"
            )
            pad = "right: 4em"
        else:
            # issuer 2 characters from the right, the date 2 characters right of its start
            inner = (
                f"grid(row-gutter: pitch - 1em, {lit(sig['issuer'])},"
                f" pad(left: 2em, {lit(sig['date'])}))"
            )
            pad = "right: 2em"
        out += ["#blank", f"#flush(at: right, pad({pad}, {inner}))"]
    if d["note"]:
        out.append(f"#{lit(d['note'])}")
    return out


def table(t: dict) -> str:
    cols = t["columns"]
    size = TABLE_SIZES[0] if len(cols) > 8 else TABLE_SIZES[1]
    widths = ", ".join(f"{c['width']}fr" if c["width"] else "auto" for c in cols)
    aligns = ", ".join(f"{ALIGN[c['align']]} + horizon" for c in cols)

    def cell(c: dict, head: bool) -> str:
        span = []
        if c["col_span"] > 1:
            span.append(f"colspan: {c['col_span']}")
        if c["row_span"] > 1:
            span.append(f"rowspan: {c['row_span']}")
        if head:
            return f"th({', '.join([lit(c['text'])] + span)})"
        if span:
            return f"table.cell({', '.join(span)}, {lit(c['text'])})"
        return lit(c["text"])

    head_rows = ",\n    ".join(", ".join(cell(c, True) for c in row) for row in t["header"])
    head = f"table.header(\n    {head_rows},\n  ),\n  " if t["header"] else ""
    rows = ",\n  ".join(", ".join(cell(c, False) for c in row) for row in t["rows"])
    return (
        # lines 1.3 em apart, as the DOCX's exact line spacing
        f"#{{\nset text(size: {size}pt, tracking: 0pt, top-edge: 1.03em, bottom-edge: -0.27em)\n"
        "set par(first-line-indent: 0pt, justify: false, leading: 0pt)\n"
        f"table(\n  columns: ({widths},),\n  align: ({aligns},),\n"
        f"  inset: (x: 2.25pt, y: 1.8pt),\n  stroke: 0.5pt,\n  {head}{rows},\n)\n}}"
    )


def attachments(atts: list) -> list[str]:
    out = []
    for att in atts:
        out += [
            "#pagebreak()",
            f"#flush(text(font: heiti, {lit(att['label'])}))",
            "#blank",
            f"#doc-title({lit(att['title'])})",
            "#blank",
        ]
        for block in att["content"]:
            if "Table" in block:
                out.append(table(block["Table"]))
            else:
                p = block["Paragraph"]
                out.append(f"#flush(at: {ALIGN[p['align']]}, {lit(p['text'])})")
    return out


def colophon(c: dict) -> list[str]:
    """版记 at the foot of a new even page: 0.35 mm outer rules, a 0.25 mm rule between."""
    parts = []
    if c["cc"]:
        parts += [
            "pad(x: 1em, par(hanging-indent: 3em, " + lit(f"抄送：{c['cc']}。") + "))",
            "line(length: 100%, stroke: 0.25mm)",
        ]
    parts.append(
        f"pad(x: 1em, grid(columns: (1fr, auto), {lit(c['printer'])}, {lit(c['print_date'])}))"
    )
    return [
        '#pagebreak(to: "even")',
        "#place(bottom, block(width: 100%, {\n"
        "  set text(size: 14pt)\n  set par(first-line-indent: 0pt, leading: pitch - 1em)\n"
        "  line(length: 100%, stroke: 0.35mm)\n  "
        + "\n  ".join(parts)
        + "\n  line(length: 100%, stroke: 0.35mm)\n}))",
    ]


def source(d: dict) -> str:
    meta = d["meta"]
    y, m, day = (int(x) for x in meta["date"].split("-"))
    lines = [
        f"#set document(title: {lit(meta['title'])}, author: {lit(meta['issuer'])},"
        f" date: datetime(year: {y}, month: {m}, day: {day}))",
        PREAMBLE,
    ]
    lines += header(d) + body(d["body"]) + closing(d) + attachments(d["attachments"])
    if d["colophon"]:
        lines += colophon(d["colophon"])
    return "\n\n".join(lines) + "\n"


def main() -> None:
    cmd, src, out, *flags = sys.argv[1:]
    if cmd == "source":
        with open(src, encoding="utf-8") as f:
            Path(out).write_text(source(json.load(f)), encoding="utf-8")
    elif cmd == "compile":
        import typst

        typst.compile(
            src,
            output=out,
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            pdf_tags="--no-pdf-tags" not in flags,
        )
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
