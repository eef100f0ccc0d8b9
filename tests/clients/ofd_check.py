"""OFD read back by an independent reader: easyofd parses each OFD and converts it to PDF; that
PDF has our PDF's page count, and each page's text (pdftotext, whitespace removed) is our PDF's
page text plus the repeated table header rows, which our PDF marks as artifacts (extracted once)
and easyofd cannot know of: <name>.repeats.json lists them, per page, from the layout.

easyofd draws every character in a reportlab font registered as "宋体" (its own fallback name)
and searches the whole system for it on every character when none is: the check registers
WenQuanYi Zen Hei (Debian fonts-wqy-zenhei, TrueType, GBK and Big5) under that name first.
The 横排表格 pages are landscape sheets, upright like every other page, so every page is compared
character by character.

usage: python ofd_check.py FILE.ofd...   (FILE.pdf and FILE.repeats.json beside each)
"""
import contextlib
import io
import json
import os
import subprocess
import sys
from collections import Counter

ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def fail(msg):
    print(f"ofd_check: {msg}", file=sys.stderr)
    sys.exit(1)


try:
    from loguru import logger

    logger.remove()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from easyofd.ofd import OFD
except ImportError as e:
    fail(f"{e}: pip install easyofd (tests/clients/publish_check.sh installs it)")
if not os.path.exists(ZENHEI):
    fail(f"{ZENHEI} missing (Debian package fonts-wqy-zenhei)")
pdfmetrics.registerFont(TTFont("宋体", ZENHEI, subfontIndex=0))


def pdf_pages(path):
    try:
        out = subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, check=True).stdout
    except FileNotFoundError:
        fail("pdftotext missing (Debian package poppler-utils)")
    pages = out.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return ["".join(p.split()) for p in pages]


passed = failed = 0
for ofd_path in sys.argv[1:]:
    base = ofd_path[: -len(".ofd")]
    ours = pdf_pages(base + ".pdf")
    with open(base + ".repeats.json", encoding="utf-8") as f:
        repeats = {int(k): v for k, v in json.load(f).items()}
    reader = OFD()
    with contextlib.redirect_stdout(io.StringIO()):  # easyofd prints what it registers
        reader.read(ofd_path, fmt="path")
        pdf = reader.to_pdf()
    converted = base + ".easyofd.pdf"
    with open(converted, "wb") as f:
        f.write(pdf)
    theirs = pdf_pages(converted)
    name = os.path.basename(base)
    problems = []
    if len(theirs) != len(ours):
        problems.append(f"{len(theirs)} pages from easyofd, {len(ours)} in our PDF")
    for i, (a, b) in enumerate(zip(ours, theirs), start=1):
        extra = "".join("".join(t.split()) for t in repeats.get(i, []))
        want = Counter(a) + Counter(extra)
        got = Counter(b)
        if want != got:
            missing = "".join(sorted((want - got).elements()))[:60]
            added = "".join(sorted((got - want).elements()))[:60]
            problems.append(f"page {i}: characters differ (missing {missing!r}, extra {added!r})")
        elif not extra and a != b:
            problems.append(f"page {i}: same characters, other order:\n  ours   {a[:120]}\n  theirs {b[:120]}")
    if problems:
        failed += 1
        print(f"FAIL {name}:\n  " + "\n  ".join(problems), file=sys.stderr)
    else:
        passed += 1
        print(f"{name}: {len(ours)} pages, text equal")
print(f"ofd_check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
