#!/usr/bin/env python3
"""Writes the golden net's fuzz-style corpus: request texts derived from the
case requests by deterministic mutations (a fixed seed), one per line as
JSON {"q": text} or {"q64": base64} for bytes that are not UTF-8.

  make_corpus.py OUT.jsonl CASE_FILE|DIR...

The mutations aim at what a parser and validator must get right: invalid
JSON (truncation, stray bytes), wrong types, values at and beyond the
schema's bounds, whole-number floats, duplicate keys, unknown and missing
fields, invalid UTF-8 and escapes, deep nesting and long lists. scripts/
check-golden --update keeps the corpus stored; run this only to grow it.
"""
import base64, json, pathlib, random, sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / 'fuzz'))
import case_requests  # noqa: E402

SEED = 17
REPLACEMENTS = [None, True, False, 'x', '', 'ü', 0, -1, 1, 0.5, 2.5, 10.0, -0.0, 1e308,
                18446744073709551616, -9223372036854775809, [], {}, [1], {'a': 1}, 'A' * 120]
RAW_NUMBERS = ['1e999', '-1e999', '10.0', '1E2', '-0', '0.0000001', '1e-400', '4.9e-324',
               '12345678901234567890', '0.1e1', '100000000000000000000000']
BAD_BYTES = [b'\xff', b'\xc3(', b'\xed\xa0\x80', b'\xf4\x90\x80\x80', b'\xe2\x82', b'\xc0\xaf', b'\x00']
ESCAPES = ['\\ud800', '\\udc00', '\\ud83d\\ude00', '\\u0000', '\\u001f', '\\"', '\\\\', '\\/',
           '\\b', '\\x', '\\u12', '\\uD834\\uDD1E', '\u00e9', '\u2014', '\U0001F600']


def leaves(v, path=()):
    """Paths to every value (containers included, the root excluded)."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield path + (k,)
            yield from leaves(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield path + (i,)
            yield from leaves(x, path + (i,))


def get(v, path):
    for p in path:
        v = v[p]
    return v


def put(v, path, value):
    v = json.loads(json.dumps(v))
    get(v, path[:-1])[path[-1]] = value
    return v


def drop(v, path):
    v = json.loads(json.dumps(v))
    del get(v, path[:-1])[path[-1]]
    return v


def dumps(v):
    return json.dumps(v, ensure_ascii=False).encode('utf-8', 'surrogatepass')


def mutations(rng, text, doc):
    raw = text.encode('utf-8', 'surrogatepass')
    # Invalid JSON: truncations and a stray byte.
    for _ in range(2):
        if len(raw) > 2:
            yield raw[:rng.randrange(1, len(raw))]
    if raw:
        i = rng.randrange(len(raw))
        yield raw[:i] + rng.choice([b'}', b']', b',', b':', b'"', b'{', b'[', b' x', b'\\']) + raw[i:]
    if not isinstance(doc, dict):
        return
    paths = list(leaves(doc))
    if not paths:
        return
    # Wrong types and odd values.
    for _ in range(3):
        yield dumps(put(doc, rng.choice(paths), rng.choice(REPLACEMENTS)))
    # Numbers at and beyond the bounds: scaled, negated, halves, raw spellings.
    numeric = [p for p in paths if isinstance(get(doc, p), (int, float)) and not isinstance(get(doc, p), bool)]
    for p in rng.sample(numeric, min(2, len(numeric))):
        v = get(doc, p)
        yield dumps(put(doc, p, rng.choice([v * 1000, -v, 0, v + 0.5, v - 0.5, v * 1.1, v / 3])))
        marker = '"@@N@@"'
        yield dumps(put(doc, p, '@@N@@')).replace(marker.encode(), rng.choice(RAW_NUMBERS).encode())
    # Strings: an enum value changed, invalid UTF-8, escapes.
    strs = [p for p in paths if isinstance(get(doc, p), str)]
    for p in rng.sample(strs, min(2, len(strs))):
        v = get(doc, p)
        yield dumps(put(doc, p, rng.choice([v.upper(), v + '_', v[:-1], ' ' + v, v * 2])))
        marker = '"@@S@@"'
        body = dumps(put(doc, p, '@@S@@'))
        yield body.replace(marker.encode(), b'"' + v.encode('utf-8', 'surrogatepass') + rng.choice(BAD_BYTES) + b'"')
        yield body.replace(marker.encode(), ('"' + rng.choice(ESCAPES) + v + '"').encode('utf-8', 'surrogatepass'))
    # Missing and unknown fields.
    yield dumps(drop(doc, rng.choice(paths)))
    objects = [p for p in [()] + paths if isinstance(get(doc, p), dict)]
    p = rng.choice(objects)
    extra = json.loads(json.dumps(doc))
    get(extra, p)[rng.choice(['unknown', 'Weight_kg', 'a/b~c', '', 'contract '])] = 1
    yield dumps(extra)
    # A duplicate key: the object's first member written twice.
    p = rng.choice(objects)
    obj = get(doc, p)
    if obj:
        k = next(iter(obj))
        dup = rng.choice([obj[k], None, 'dup'])
        member = dumps(k) + b': ' + dumps(dup) + b', '
        text_obj = b'{' + member + dumps(obj)[1:]
        yield dumps(put(doc, p, '@@D@@')).replace(b'"@@D@@"', text_obj) if p else text_obj


def generic():
    yield b''
    yield b' '
    yield b'\xef\xbb\xbf{}'
    yield b'\xef\xbb\xbf' + b'{"contract": "mtor-calc/1"}'
    for t in ['null', 'true', '0', '"x"', '[]', '{}', '[{}]', '{"contract":"mtor-calc/1"}',
              '{"contract":"mtor-calc/2","indication":"rcc"}', '{"contract":1}', '1e999',
              '{"a":1e999}', '{"contract":"mtor-calc/1"} x', '{"contract":"mtor-calc/1"}\n',
              '{"contract":"mtor-calc/1",}', "{'contract':'mtor-calc/1'}", '{"contract"}',
              '{"contract":"mtor-calc/1"}\x00junk', '\t{"indication":"rcc"}\r\n', 'NaN',
              '{"indication":"rcc","indication":"rcc"}', '{"patient":{"age_years":1,"age_years":2}}']:
        yield t.encode()
    for depth in (14, 15, 16, 17, 18, 64, 1000):
        yield b'[' * depth + b']' * depth
        yield b'{"a":' * depth + b'1' + b'}' * depth
        yield b'{"contract":"mtor-calc/1","patient":' + b'{"x":' * depth + b'1' + b'}' * (depth + 1)
    for n in (63, 64, 65, 1000):
        names = json.dumps(['drug%d' % i for i in range(n)])
        yield ('{"contract":"mtor-calc/1","indication":"rcc","comedications":%s}' % names).encode()
    for n in (99, 100, 101):
        yield ('{"contract":"mtor-calc/1","indication":"rcc","comedications":["%s"]}' % ('a' * n)).encode()
    yield ('{"contract":"mtor-calc/1","x":"%s"}' % ('y' * (256 * 1024))).encode()
    yield ('{"contract":"mtor-calc/1","x":"%s"}' % ('y' * (256 * 1024 - 30))).encode()
    yield b'{' + b','.join(b'"k%d":1' % i for i in range(200)) + b'}'
    yield b'{' + b','.join(b'"k":%d' % i for i in range(40)) + b'}'


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    rng = random.Random(SEED)
    seen, out = set(), []
    def add(b):
        if b not in seen:
            seen.add(b)
            out.append(b)
    for b in generic():
        add(b)
    for _, text in case_requests.requests(argv[2:]):
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        for b in mutations(rng, text, doc):
            add(b)
    with open(argv[1], 'w') as fh:
        for b in out:
            try:
                fh.write(json.dumps({'q': b.decode('utf-8')}) + '\n')
            except UnicodeDecodeError:
                fh.write(json.dumps({'q64': base64.b64encode(b).decode()}) + '\n')
    print(f'{len(out)} corpus requests in {argv[1]}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
