#!/usr/bin/python3
"""Make ``import drover`` work in every Debian Python kernel of this user, without pip.

Writes ``drover.pth`` (one line: the absolute path of this folder) into the user's site-packages
(``python3 -m site --user-site``; honours ``PYTHONUSERBASE``). Python reads it at start-up, so
kernels started afterwards find the package; edits to the package apply at the next kernel start.

usage: /usr/bin/python3 core/python/install_pth.py [--uninstall]
"""

from __future__ import annotations

import argparse
import site
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pth_path() -> Path:
    """Where the ``.pth`` file goes: the user site directory of this interpreter."""
    return Path(site.getusersitepackages()) / "drover.pth"


def install() -> Path:
    """Write (or rewrite) the ``.pth`` file; idempotent."""
    path = pth_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{HERE}\n"
    if not path.exists() or path.read_text() != line:
        path.write_text(line)
    return path


def uninstall() -> Path:
    """Remove the ``.pth`` file if it is there."""
    path = pth_path()
    path.unlink(missing_ok=True)
    return path


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uninstall", action="store_true", help="remove the .pth file")
    options = parser.parse_args(argv)
    if not site.ENABLE_USER_SITE:
        print("this Python runs without a user site directory (python -s or a virtualenv); "
              f"set PYTHONPATH={HERE} for its kernels instead", file=sys.stderr)
        return 1
    path = uninstall() if options.uninstall else install()
    print(f"{'removed' if options.uninstall else 'wrote'} {path}" + ("" if options.uninstall else f" -> {HERE}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
