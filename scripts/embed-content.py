#!/usr/bin/env python3
"""Generates the C++ source that embeds every content/*.json file.

    scripts/embed-content.py CONTENT_DIR OUT_FILE

Each file is embedded minified (same keys, order and values; no whitespace
between tokens): the embedded text is part of the wasm the page downloads.
The output file is rewritten only when it changes, so builds stay incremental.
"""
import json
import pathlib
import sys


def literal_pieces(text, size=8000):
    # Some compilers limit the length of one string literal; adjacent raw
    # literals are joined by the compiler, even inside a UTF-8 sequence.
    data = text.encode("utf-8")
    for pos in range(0, len(data), size):
        chunk = data[pos:pos + size].decode("utf-8", errors="surrogateescape")
        yield 'R"mtorc0ntent(' + chunk + ')mtorc0ntent"'


def fnv1a(data, h=2166136261):
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def main():
    content_dir, out_file = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    entries = []
    # The content version's hash (FNV-1a over every file's name and embedded
    # text, in name order) is computed here, not at start-up in the browser.
    digest = 2166136261
    for path in sorted(content_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = dumps(data)
        digest = fnv1a(text.encode("utf-8"), fnv1a(path.name.encode("utf-8"), digest))
        pieces = "\n".join(literal_pieces(text))
        entries.append(f'  {{"{path.name}", std::string_view(\n{pieces})}},\n')
    out = (
        "// Generated from content/ by scripts/embed-content.py. Do not edit.\n"
        '#include "content_data.hpp"\n'
        "namespace mtorcalc::content {\n"
        "const EmbeddedFile embedded_files[] = {\n" + "".join(entries) + "};\n"
        f"const std::size_t embedded_file_count = {len(entries)};\n"
        f'const char embedded_content_hash[] = "{digest:08x}";\n'
        "}\n"
    )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if not out_file.exists() or out_file.read_text(encoding="utf-8", errors="surrogateescape") != out:
        out_file.write_text(out, encoding="utf-8", errors="surrogateescape")


if __name__ == "__main__":
    main()
