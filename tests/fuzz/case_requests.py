#!/usr/bin/env python3
"""Prints or writes the request of every case file, as check-cases sends it.

A case's "request" that is a string is sent as-is; an object is serialised
with json.dumps (as scripts/check-cases does).

  case_requests.py --jsonl OUT FILE|DIR...    "<case file>\t<request>" per line
                                              (requests without a newline)
  case_requests.py --dir OUT FILE|DIR...      one file per request (fuzz seeds)
  case_requests.py --dict OUT FILE|DIR...     a libFuzzer dictionary of every
                                              key and string value
Shared by scripts/fuzz, scripts/trace-rules and tests/node/parity.test.mjs.
"""
import hashlib, json, pathlib, sys


def case_files(paths):
    for p in paths:
        p = pathlib.Path(p)
        if p.is_dir():
            yield from sorted(p.rglob('*.json'))
        elif p.exists():
            yield p


def requests(paths):
    for f in case_files(paths):
        try:
            c = json.loads(f.read_text())
        except (ValueError, OSError) as e:
            print(f'case_requests: skipping {f}: {e}', file=sys.stderr)
            continue
        if not isinstance(c, dict) or 'request' not in c:
            continue
        r = c['request']
        yield f, (r if isinstance(r, str) else json.dumps(r))


def strings(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            strings(x, out)
    elif isinstance(v, list):
        for x in v:
            strings(x, out)
    elif isinstance(v, str):
        out.add(v)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    mode, target, paths = argv[1], argv[2], argv[3:]
    if mode == '--dir':
        out = pathlib.Path(target)
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for _, text in requests(paths):
            data = text.encode('utf-8', 'surrogatepass')
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            n += 1
        print(f'{n} seed requests in {out}')
    elif mode == '--dict':
        words = set()
        for _, text in requests(paths):
            try:
                strings(json.loads(text), words)
            except ValueError:
                pass
        tokens = ['{', '}', '[', ']', ':', ',', 'true', 'false', 'null', '-0', '1e999', '0.5']
        lines = [f'"{t}"' for t in tokens]
        for w in sorted(words):
            q = json.dumps(w)  # a JSON string literal, quotes included
            esc = q.replace('\\', '\\\\').replace('"', '\\"')
            if all(0x20 <= ord(ch) < 0x7f for ch in esc):
                lines.append(f'"{esc}"')
        pathlib.Path(target).write_text('\n'.join(lines) + '\n')
        print(f'{len(lines)} dictionary entries in {target}')
    elif mode == '--jsonl':
        # Requests that fit on one line (every serialised object does).
        with open(target, 'w') as fh:
            for f, text in requests(paths):
                if '\n' not in text and text.strip():
                    fh.write(f'{f}\t{text}\n')
    else:
        print(__doc__, file=sys.stderr)
        return 64
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
