#!/usr/bin/env python3
"""Reference conversions by OpenCC itself, for tests/zh.rs (opencc_reference_differs_only_by_overrides).

Generated once with the C++ OpenCC 1.4.2 through its PyPI wrapper (package `opencc` 1.4.2,
which bundles OpenCC 1.4.2 and its dictionaries):

    python3 -m venv /tmp/occ && /tmp/occ/bin/pip install opencc==1.4.2
    /tmp/occ/bin/python golden/opencc/generate.py

For each seed it copies the simplified IR text (golden/seed-NNN.txt, what tongbao composes)
to golden/opencc/seed-NNN.zh-Hans.txt and writes OpenCC's conversion of that whole text with
s2t, s2tw and s2hk to golden/opencc/seed-NNN.opencc-CONFIG.txt. Rerun it when the simplified
golden text changes (the test says so).
"""
import pathlib

import opencc

HERE = pathlib.Path(__file__).resolve().parent
GOLDEN = HERE.parent
assert opencc.__version__ == "1.4.2", opencc.__version__

for seed in ["seed-000", "seed-002", "seed-004"]:
    text = (GOLDEN / f"{seed}.txt").read_text(encoding="utf-8")
    (HERE / f"{seed}.zh-Hans.txt").write_text(text, encoding="utf-8")
    for config in ["s2t", "s2tw", "s2hk"]:
        out = opencc.OpenCC(f"{config}.json").convert(text)
        (HERE / f"{seed}.opencc-{config}.txt").write_text(out, encoding="utf-8")
        print(seed, config, len(out), "characters")
