#!/usr/bin/env python3
"""The engine's layering: a file in engine/core/<folder>/ includes only headers of its own
folder or of lower ones. Lowest first: base, config, data, model, train, methods, run,
results. The method catalogue's interface (methods/registry.h: descriptors with forward
declarations only) belongs to the config layer: validation asks it which methods exist. Prints each include that
runs upward and exits 1 if there is one."""
import pathlib
import re
import sys

RANKS = {"base": 0, "config": 1, "data": 2, "model": 3, "train": 4, "methods": 5, "run": 6,
         "results": 7}
CATALOGUE = "methods/registry.h"


def rank(path):
    return RANKS["config"] if path == CATALOGUE else RANKS[path.split("/")[0]]


def main():
    core = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "engine/core")
    include = re.compile(r'#include "core/([a-z_]+/[a-z_]+\.h)"')
    bad = []
    files = sorted(p for p in core.rglob("*") if p.suffix in (".h", ".cpp"))
    for f in files:
        own = f.relative_to(core).as_posix()
        if own.split("/")[0] not in RANKS:
            bad.append(f"{own}: not in a layer folder ({', '.join(RANKS)})")
            continue
        for n, line in enumerate(f.read_text().splitlines(), 1):
            m = include.search(line)
            if m and rank(m.group(1)) > rank(own):
                bad.append(f"{own}:{n}: includes {m.group(1)}, a higher layer")
    for b in bad:
        print(b)
    print(f"{len(files)} files, {len(bad)} upward includes")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
