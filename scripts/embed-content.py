#!/usr/bin/env python3
"""Generates the C++ source that embeds every content/*.json file.

    scripts/embed-content.py CONTENT_DIR OUT_FILE

Each file is embedded minified (same keys, order and values; no whitespace
between tokens): the embedded text is part of the wasm the page downloads
and what the engine parses at start-up, so whitespace costs twice (issue 7).
The output file is rewritten only when it changes, so builds stay incremental.

It also lists where each member of each file's top-level object, and each
member of those that are objects, lies in the embedded text, so that the
engine parses only the parts of the content a request reads: the first
answer in the page waited on parsing all of it (issue 7).
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


# Members of a file's members are listed only inside members of at least this
# size (an indication's rules, the adverse-reaction table, the warnings).
SPLIT_BYTES = 2048


def minified_with_members(data):
    """The minified text of `data` (as dumps gives it) and the byte ranges of
    its members, to depth 2: [(parent key or "", key, begin, end)]."""
    members = []
    out = bytearray()

    def emit(value, depth, parent):
        if not isinstance(value, dict) or depth > 2:
            out.extend(dumps(value).encode("utf-8"))
            return
        start, first_child = len(out), len(members)
        out.extend(b"{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.extend(b",")
            out.extend((dumps(key) + ":").encode("utf-8"))
            begin = len(out)
            emit(item, depth + 1, key)
            if depth >= 1:
                members.append((parent if depth == 2 else "", key, begin, len(out)))
        if depth == 2 and len(out) - start < SPLIT_BYTES:
            # A small member is parsed whole: listing its members would cost
            # more wasm than parsing them saves.
            del members[first_child:]
        out.extend(b"}")

    emit(data, 1, "")
    text = out.decode("utf-8")
    assert text == dumps(data), "member offsets must describe the minified text"
    return text, members


def cpp_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    content_dir, out_file = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    entries = []
    member_rows = []
    # The content version's hash (FNV-1a over every file's name and embedded
    # text, in name order) is computed here, not at start-up in the browser.
    digest = 2166136261
    for path in sorted(content_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text, members = minified_with_members(data)
        for parent, key, begin, end in members:
            member_rows.append((len(entries), parent.encode("utf-8"), key.encode("utf-8"),
                                f"  {{{len(entries)}, {cpp_string(parent)}, {cpp_string(key)}, {begin}, {end}}},\n"))
        digest = fnv1a(text.encode("utf-8"), fnv1a(path.name.encode("utf-8"), digest))
        pieces = "\n".join(literal_pieces(text))
        entries.append(f'  {{"{path.name}", std::string_view(\n{pieces})}},\n')
    out = (
        "// Generated from content/ by scripts/embed-content.py. Do not edit.\n"
        '#include "content_data.hpp"\n'
        "namespace mtorcalc::content {\n"
        "const EmbeddedFile embedded_files[] = {\n" + "".join(entries) + "};\n"
        f"const std::size_t embedded_file_count = {len(entries)};\n"
        # Sorted by (file, parent, key) as bytes, the order std::string_view
        # compares in: the engine finds a member by binary search.
        "const EmbeddedMember embedded_members[] = {\n"
        + "".join(row[3] for row in sorted(member_rows)) + "};\n"
        f"const std::size_t embedded_member_count = {len(member_rows)};\n"
        f'const char embedded_content_hash[] = "{digest:08x}";\n'
        "}\n"
    )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if not out_file.exists() or out_file.read_text(encoding="utf-8", errors="surrogateescape") != out:
        out_file.write_text(out, encoding="utf-8", errors="surrogateescape")


if __name__ == "__main__":
    main()
