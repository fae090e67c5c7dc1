#!/usr/bin/env python3
"""Checks content/*.json before it is embedded; a failure fails the build.

- every file is valid JSON;
- every reference has title, source (a URL), section, date and verification;
- every rule (any object with a "refs" array) names only existing references;
- every "verification" value is one of the manifest's statuses.
Usage: check-content.py CONTENT_DIR [STAMP_FILE]
"""
import json
import pathlib
import sys


def main():
    content = pathlib.Path(sys.argv[1])
    problems = []
    docs = {}
    for f in sorted(content.glob('*.json')):
        try:
            docs[f.stem] = json.loads(f.read_text(encoding='utf-8'))
        except Exception as e:  # noqa: BLE001 - report any parse failure
            problems.append(f'{f.name}: not valid JSON: {e}')
    refs = docs.get('references', {})
    statuses = set(docs.get('manifest', {}).get('verification_statuses', {}))
    for rid, r in refs.items():
        for key in ('title', 'source', 'section', 'date', 'verification'):
            if not isinstance(r.get(key), str) or not r.get(key):
                problems.append(f'references.{rid}: lacks "{key}"')
        if isinstance(r.get('source'), str) and not r['source'].startswith(('http://', 'https://')):
            problems.append(f'references.{rid}: source is not a URL')
        if statuses and r.get('verification') not in statuses:
            problems.append(f'references.{rid}: unknown verification "{r.get("verification")}"')

    def walk(node, path):
        if isinstance(node, dict):
            if 'refs' in node:
                if not isinstance(node['refs'], list):
                    problems.append(f'{path}: refs is not a list')
                else:
                    for r in node['refs']:
                        if r not in refs:
                            problems.append(f'{path}: names reference "{r}", which does not exist')
            v = node.get('verification')
            if statuses and isinstance(v, str) and path.split('.')[0] != 'references' and v not in statuses:
                problems.append(f'{path}: unknown verification "{v}"')
            for k, v in node.items():
                if k in ('refs',):
                    continue
                walk(v, f'{path}.{k}')
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f'{path}[{i}]')

    for stem, doc in docs.items():
        if stem != 'references':
            walk(doc, stem)
    if problems:
        print('content check failed:', file=sys.stderr)
        for p in problems:
            print('  ' + p, file=sys.stderr)
        sys.exit(1)
    if len(sys.argv) > 2:
        pathlib.Path(sys.argv[2]).write_text('ok\n')


if __name__ == '__main__':
    main()
