#!/usr/bin/python3
"""Writes each executed example notebook's last figure to docs/images/notebooks/<notebook>.<png|svg>.

    /usr/bin/python3 scripts/notebook-thumbnails.py test-artifacts/notebooks/*.ipynb

The notebooks suite keeps the executed copies in test-artifacts/notebooks/; the README shows these
figures next to the notebooks' descriptions.
"""

import base64
import pathlib
import sys

import nbformat

OUT = pathlib.Path(__file__).resolve().parents[1] / "docs" / "images" / "notebooks"


def last_figure(path):
    """(extension, bytes) of the notebook's last image output, or None."""
    found = None
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                found = ("png", base64.b64decode(data["image/png"]))
            elif "image/svg+xml" in data:
                svg = data["image/svg+xml"]
                found = ("svg", ("".join(svg) if isinstance(svg, list) else svg).encode())
    return found


def main(paths):
    OUT.mkdir(parents=True, exist_ok=True)
    for path in map(pathlib.Path, paths):
        figure = last_figure(path)
        if figure is None:
            sys.exit(f"{path}: no figure in its outputs; run it first (bash scripts/suites/notebooks.sh)")
        target = OUT / f"{path.stem}.{figure[0]}"
        target.write_bytes(figure[1])
        print(target.relative_to(OUT.parents[2]))


if __name__ == "__main__":
    main(sys.argv[1:])
