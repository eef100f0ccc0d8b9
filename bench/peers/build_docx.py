#!/usr/bin/env python3
"""Build the 通报 as DOCX with python-docx, the way a competent office script does.

Usage: build_docx.py DOC.json OUT.docx

DOC.json is tongbao's Document IR (`tongbao render X.yaml --format json`), so every string is
the one tongbao sets. The layout follows GB/T 9704-2012 as far as python-docx reaches: A4 with
the 156 x 225 mm type area, 16 pt 仿宋 on a fixed 28.95 pt line pitch (22 lines of 28
characters), the red 版头, headings by level, 附件 on new pages with merged table headers that
repeat on every page, the 版记 at the foot of an even page and "— N —" page numbers.
"""

import json
import sys
from collections.abc import Iterator

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# Families of the faces in fonts/ (fc-scan), standing in for the official GB/T 9704 faces.
FANGSONG = "FandolFang"  # 仿宋_GB2312: body text
XIAOBIAOSONG = "Noto Serif CJK SC"  # 方正小标宋简体 (bold face): mark and titles
HEITI = "Noto Sans CJK SC"  # 黑体
KAITI = "AR PL KaitiM GB"  # 楷体_GB2312
SONGTI = "Noto Serif CJK SC"  # 宋体 (regular face): page numbers
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}

BODY_PT = 16.0
TRACKING_PT = -0.25  # 28 characters of 16 pt fill the 156 mm line, as the standard's grid asks
CHAR_PT = BODY_PT + TRACKING_PT
LINE_PT = 28.95  # 22 lines in 225 mm
TYPE_WIDTH = Mm(156)
TABLE_SIZES = (9, 10.5)  # 小五 for tables of more than 8 columns, 五号 otherwise
RED = RGBColor(0xFF, 0x00, 0x00)
ALIGN = {
    "Left": WD_ALIGN_PARAGRAPH.LEFT,
    "Center": WD_ALIGN_PARAGRAPH.CENTER,
    "Right": WD_ALIGN_PARAGRAPH.RIGHT,
    "Justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_font(element, name: str) -> None:
    """Name the font of a run or style for Latin and East Asian text alike."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def add_child(parent, tag: str, **attrs: str):
    """Append a new w: element with w: attributes to `parent` and return it."""
    child = OxmlElement(tag)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    parent.append(child)
    return child


def text_width(s: str) -> float:
    """Width of `s` in body characters: ASCII is half a character wide."""
    return sum(0.5 if ord(c) < 0x80 else 1.0 for c in s)


def define_styles(doc) -> dict:
    """Create the paragraph styles used below and return them by short name."""
    normal = doc.styles["Normal"]
    set_font(normal.element, FANGSONG)
    add_child(normal.element.get_or_add_rPr(), "w:spacing", val=str(round(TRACKING_PT * 20)))
    normal.font.size = Pt(BODY_PT)  # after w:spacing: w:rPr children are ordered
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False  # every page keeps its 22 lines

    def style(name, base="Normal", font=None, size=None, indent=False, align=None, keep=False):
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = doc.styles[base]
        if font:
            set_font(s.element, font)
        if size:
            s.font.size = Pt(size)
        if indent:
            s.paragraph_format.first_line_indent = Pt(2 * BODY_PT)
        if align is not None:
            s.paragraph_format.alignment = align
        s.paragraph_format.keep_with_next = keep
        return s

    styles = {
        "body": style("公文正文", indent=True),
        "mark": style("发文机关标志", font=XIAOBIAOSONG, align=WD_ALIGN_PARAGRAPH.CENTER),
        "title": style(
            "公文标题", font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True
        ),
        "center": style("居中", align=WD_ALIGN_PARAGRAPH.CENTER),
        "label": style("附件标识", font=HEITI, keep=True),
        "colophon": style("版记", size=14),
        "page": style("页码", font=SONGTI, size=14),
    }
    styles["mark"].font.color.rgb = RED
    for s in (styles["mark"], styles["title"]):
        s.font.bold = True
    for level, font in HEADING_FONTS.items():
        styles[f"h{level}"] = style(f"{level}级标题", base="公文正文", font=font, keep=True)
    for size in TABLE_SIZES:
        for key, font in (("cell", FANGSONG), ("head", HEITI)):
            s = style(f"表格{key}{size}", font=font, align=WD_ALIGN_PARAGRAPH.CENTER)
            add_child(s.element.get_or_add_rPr(), "w:spacing", val="0")
            s.font.size = Pt(size)
            s.paragraph_format.line_spacing = Pt(size * 1.3)
            styles[key, size] = s
    return styles


def setup_pages(doc, styles) -> None:
    """A4, the GB/T 9704 margins and "— N —" numbers: odd pages right, even pages left."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the number's top edge 7 mm below the type area
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        p = footer.paragraphs[0]
        p.style = styles["page"]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        p.add_run("— ")
        field = p.add_run()._r
        add_child(field, "w:fldChar", fldCharType="begin")
        add_child(field, "w:instrText").text = "PAGE"
        add_child(field, "w:fldChar", fldCharType="end")
        p.add_run(" —")


def add_para(doc, style, text: str = ""):
    """A paragraph in `style`, empty for a blank line of the grid."""
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def add_header(doc, styles, d: dict) -> None:
    """版头 (mark, 发文字号, red rule), 标题 and 主送机关."""
    h = d["header"]
    for field in ("copy_number", "secrecy", "urgency"):
        if h[field]:
            add_para(doc, styles["label"], h[field])
    if h["issuer_mark"]:
        mark = h["issuer_mark"]
        size = min(30.0, TYPE_WIDTH.pt / len(mark))  # one line at most
        p = add_para(doc, styles["mark"], mark)
        p.runs[0].font.size = Pt(size)
        p.paragraph_format.line_spacing = Pt(size * 1.3)
        p.paragraph_format.space_before = Mm(35) - Pt(size * 0.3)
        add_para(doc, styles["center"])
        add_para(doc, styles["center"])
        number = add_para(doc, styles["center"], h["doc_number"] or "")
        border = add_child(number._p.get_or_add_pPr(), "w:pBdr")
        add_child(border, "w:bottom", val="single", sz="12", space="11", color="FF0000")
        add_para(doc, styles["center"])
        add_para(doc, styles["center"])
    elif h["doc_number"]:
        add_para(doc, styles["center"], h["doc_number"])
        add_para(doc, styles["center"])
    add_para(doc, styles["title"], d["title"])
    add_para(doc, styles["center"])
    if d["recipients"]:
        add_para(doc, doc.styles["Normal"], d["recipients"] + "：")


def add_body(doc, styles, blocks: list) -> None:
    for block in blocks:
        if "Heading" in block:
            h = block["Heading"]
            add_para(doc, styles[f"h{h['level']}"], h["text"])
            continue
        p = doc.add_paragraph(style=styles["body"])
        for run in block["Paragraph"]["runs"]:
            r = p.add_run(run["text"])
            if run["role"] != "Body":  # {"Heading": level}: a run-in heading
                set_font(r._r, HEADING_FONTS[run["role"]["Heading"]])


def add_closing(doc, styles, d: dict) -> None:
    """附件说明, 署名 and 成文日期, 附注."""
    names = d["attachment_note"]
    if names:
        add_para(doc, styles["body"])
        numbered = len(names) > 1
        for i, name in enumerate(names):
            prefix = "附件：" if i == 0 else ""
            number = f"{i + 1}．" if numbered else ""
            p = add_para(doc, doc.styles["Normal"], prefix + number + name)
            # wrapped lines align with the first character of the name
            hang = text_width(number) * CHAR_PT
            p.paragraph_format.left_indent = Pt(5 * CHAR_PT + hang)
            p.paragraph_format.first_line_indent = -Pt(hang + len(prefix) * CHAR_PT)
    sig = d["signature"]
    if sig:
        add_para(doc, styles["body"])
        issuer, date = text_width(sig["issuer"]), text_width(sig["date"])
        line = TYPE_WIDTH.pt / CHAR_PT
        if sig["sealed"]:
            # date 4 characters from the right, the issuer centred over it
            date_at = line - 4 - date
            issuer_at = date_at + (date - issuer) / 2
        else:
            # issuer 2 characters from the right, the date 2 characters right of its start
            block = max(issuer, date + 2)
            issuer_at = line - 2 - block
            date_at = issuer_at + 2
        for text, at in ((sig["issuer"], issuer_at), (sig["date"], date_at)):
            p = add_para(doc, doc.styles["Normal"], text)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.left_indent = Pt(max(at, 0) * CHAR_PT)
    if d["note"]:
        add_para(doc, styles["body"], d["note"])


def grid(rows: list) -> Iterator[tuple[int, int, dict]]:
    """(row, column, cell) for IR rows whose spanned cells appear once, at their top-left."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            yield r, c, cell
            for dr in range(cell["row_span"]):
                for dc in range(cell["col_span"]):
                    taken.add((r + dr, c + dc))
            c += cell["col_span"]


def fill_rows(table, rows: list, style, aligns: list, header: bool) -> None:
    """Append `rows` to `table`, set their text and merge their spanned cells."""
    trs = []
    for _ in rows:
        row = table.add_row()
        props = row._tr.get_or_add_trPr()
        add_child(props, "w:cantSplit")
        if header:
            add_child(props, "w:tblHeader")  # repeated at the top of every page
        trs.append(row)
    cells = [row.cells for row in trs]  # Row.cells walks the row: once per row, not per cell
    spans = []
    for r, c, cell in grid(rows):
        target = cells[r][c]
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = target.paragraphs[0]
        # the public Paragraph.style setter scans every style for the default on each call:
        # two thirds of the run time on a table of 17,000 cells
        p._p.get_or_add_pPr().style = style.style_id
        if aligns[c] != WD_ALIGN_PARAGRAPH.CENTER and not header:
            p.alignment = aligns[c]
        p.add_run(cell["text"])
        if cell["row_span"] > 1 or cell["col_span"] > 1:
            spans.append((r, c, cell))
    for r, c, cell in spans:
        end = trs[r + cell["row_span"] - 1].cells[c + cell["col_span"] - 1]
        trs[r].cells[c].merge(end)


def add_table(doc, styles, t: dict) -> None:
    cols = t["columns"]
    size = TABLE_SIZES[0] if len(cols) > 8 else TABLE_SIZES[1]
    # columns without a width hint get one from their longest text
    hints = [
        c["width"]
        or min(
            12.0, max([text_width(row[i]["text"]) for row in t["rows"] if i < len(row)] or [2.0])
        )
        for i, c in enumerate(cols)
    ]
    table = doc.add_table(rows=0, cols=len(cols))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, hint in zip(table.columns, hints, strict=True):
        column.width = int(TYPE_WIDTH * hint / sum(hints))
    margins = OxmlElement("w:tblCellMar")
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook")
    for side, twips in (("top", "36"), ("left", "45"), ("bottom", "36"), ("right", "45")):
        add_child(margins, f"w:{side}", w=twips, type="dxa")
    aligns = [ALIGN[c["align"]] for c in cols]
    fill_rows(table, t["header"], styles["head", size], aligns, header=True)
    fill_rows(table, t["rows"], styles["cell", size], aligns, header=False)


def add_attachments(doc, styles, attachments: list) -> None:
    for att in attachments:
        add_para(doc, styles["label"], att["label"]).paragraph_format.page_break_before = True
        add_para(doc, styles["center"])
        add_para(doc, styles["title"], att["title"])
        add_para(doc, styles["center"])
        for block in att["content"]:
            if "Table" in block:
                add_table(doc, styles, block["Table"])
            else:
                para = block["Paragraph"]
                add_para(doc, doc.styles["Normal"], para["text"]).alignment = ALIGN[para["align"]]


def add_colophon(doc, styles, c: dict) -> None:
    """版记 in a frame at the foot of a new even page, between rules."""
    doc.add_section(WD_SECTION.EVEN_PAGE)
    lines = ([f"抄送：{c['cc']}。"] if c["cc"] else []) + [c["printer"]]
    for i, text in enumerate(lines):
        p = add_para(doc, styles["colophon"], text)
        pPr = p._p.get_or_add_pPr()  # frame and borders first: w:pPr children are ordered
        add_child(
            pPr,
            "w:framePr",
            wrap="around",
            hAnchor="margin",
            vAnchor="margin",
            xAlign="center",
            yAlign="bottom",
            w=str(TYPE_WIDTH.twips),
        )
        # 0.35 mm rules; identical on every framed paragraph, or LibreOffice drops the frame
        border = add_child(pPr, "w:pBdr")
        for side in ("top", "bottom"):
            add_child(border, f"w:{side}", val="single", sz="8", space="1", color="000000")
        fmt = p.paragraph_format
        fmt.left_indent, fmt.right_indent = Pt(14), Pt(14)
        if i < len(lines) - 1:  # 抄送: wrapped lines align after the colon
            fmt.left_indent, fmt.first_line_indent = Pt(4 * 14), -Pt(3 * 14)
    # 印发日期 flush right on the 印发机关 line
    fmt.tab_stops.add_tab_stop(TYPE_WIDTH - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("\t" + c["print_date"])
    add_para(doc, styles["colophon"])  # the paragraph the frame anchors to


def main() -> None:
    src, out = sys.argv[1:3]
    with open(src, encoding="utf-8") as f:
        d = json.load(f)
    doc = Document()
    doc.core_properties.title = d["meta"]["title"]
    doc.core_properties.author = d["meta"]["issuer"]
    styles = define_styles(doc)
    setup_pages(doc, styles)
    add_header(doc, styles, d)
    add_body(doc, styles, d["body"])
    add_closing(doc, styles, d)
    add_attachments(doc, styles, d["attachments"])
    if d["colophon"]:
        add_colophon(doc, styles, d["colophon"])
    doc.save(out)


if __name__ == "__main__":
    main()
