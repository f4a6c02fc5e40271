"""The IPython extension: ``%load_ext drover`` and the ``%drover`` line magic."""

from __future__ import annotations

import argparse
import os
import shlex
from typing import Any, List, Optional

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from traitlets import Bool, Unicode

from ._clusters import ClusterInfo, clusters, connect
from ._errors import DroverError
from ._manager import Manager

__all__ = ["DroverMagics", "load_ipython_extension", "HELP"]

HELP = """\
%drover                          list the clusters of the running Drover manager
%drover connect [NAME]           connect to a Dask-engine cluster; binds `client`
%drover scale NAME N             scale NAME to N workers (local) or jobs (batch)
%drover new KIND [--workers N] [--engine dask|drover] [--name NAME] [--threads N]
                                 start a cluster through the manager (KIND: local, slurm, pbs, lsf, sge)
%drover close NAME               close a cluster (its workers stop, its jobs are cancelled)
%drover help                     this text

Auto-connect at %load_ext: DROVER_AUTOCONNECT=1 (or =NAME) in the kernel's environment, or
c.DroverMagics.autoconnect = True (and c.DroverMagics.cluster = "NAME") in the IPython config.
"""

_KINDS = ("local", "slurm", "pbs", "lsf", "sge")


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError (shown by IPython) instead of exiting the kernel."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"%drover {self.prog}: {message}\n\n{HELP}")


def _new_parser() -> _Parser:
    parser = _Parser(prog="new", add_help=False)
    parser.add_argument("kind", choices=_KINDS)
    parser.add_argument("--workers", "--jobs", dest="scale", type=int, default=None)
    parser.add_argument("--engine", choices=("dask", "drover"), default=None)
    parser.add_argument("--name", default=None)
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (local)")
    return parser


@magics_class
class DroverMagics(Magics):
    """``%drover``: list, connect to, scale and start the clusters of the running Drover manager."""

    autoconnect = Bool(False, help="Connect `client` when the extension loads.").tag(config=True)
    cluster = Unicode(None, allow_none=True, help="The cluster auto-connect picks (default: the only Dask one).").tag(
        config=True)

    def _manager(self) -> Manager:
        return Manager()

    @line_magic
    def drover(self, line: str) -> Any:
        """List, connect to, scale and start Drover clusters; ``%drover help`` shows how."""
        try:
            words = shlex.split(line)
        except ValueError as error:
            raise UsageError(f"%drover: {error}") from None
        command, rest = (words[0], words[1:]) if words else ("list", [])
        try:
            if command in ("list", "ls"):
                self._no_more(command, rest, 0)
                return clusters(self._manager())
            if command == "connect":
                self._no_more(command, rest, 1)
                return self._connect(rest[0] if rest else None)
            if command == "scale":
                return self._scale(rest)
            if command == "new":
                return self._new(rest)
            if command == "close":
                self._no_more(command, rest, 1)
                if not rest:
                    raise UsageError("%drover close: give the cluster's name")
                self._manager().close(rest[0])
                print(f"closed {rest[0]}")
                return None
            if command in ("help", "-h", "--help"):
                print(HELP)
                return None
        except DroverError as error:
            raise UsageError(str(error)) from None
        raise UsageError(f"%drover: unknown command {command!r}\n\n{HELP}")

    @staticmethod
    def _no_more(command: str, rest: List[str], allowed: int) -> None:
        if len(rest) > allowed:
            raise UsageError(f"%drover {command}: unexpected {' '.join(rest[allowed:])!r}\n\n{HELP}")

    def _connect(self, name: Optional[str]) -> Any:
        client = connect(name, manager=self._manager())
        self.shell.user_ns["client"] = client
        print(f"drover: `client` is connected to {client.scheduler.address}")
        return None

    def _scale(self, rest: List[str]) -> ClusterInfo:
        if len(rest) != 2:
            raise UsageError(f"%drover scale: give a name and a number, e.g. %drover scale local-1 4\n\n{HELP}")
        name, count = rest
        try:
            n = int(count)
        except ValueError:
            raise UsageError(f"%drover scale: N must be a whole number, got {count!r}") from None
        if n < 0:
            raise UsageError(f"%drover scale: N must be 0 or more, got {n}")
        info = ClusterInfo.from_model(self._manager().scale(name, n))
        print(f"scaled {info.describe()}")
        return info

    def _new(self, rest: List[str]) -> ClusterInfo:
        options = _new_parser().parse_args(rest)
        spec: dict = {"kind": options.kind}
        if options.name is not None:
            spec["name"] = options.name
        if options.scale is not None:
            spec["scale"] = options.scale
        if options.engine is not None:
            spec["engine"] = options.engine
        if options.threads is not None:
            if options.kind != "local":
                raise UsageError("%drover new: --threads is for local clusters; batch kinds take cores in a profile")
            spec["options"] = {"threadsPerWorker": options.threads}
        info = ClusterInfo.from_model(self._manager().create(spec))
        print(f"started {info.describe()}")
        if info.engine == "dask":
            print(f"connect with: %drover connect {info.name}")
        else:
            print("this cluster runs the Drover engine (TypeScript clients); for Dask add --engine dask")
        return info


def _autoconnect_target(magics: DroverMagics) -> Optional[List[Optional[str]]]:
    """None when auto-connect is off; else ``[name or None]``."""
    value = os.environ.get("DROVER_AUTOCONNECT", "").strip()
    if value and value.lower() not in ("0", "false", "no", "off"):
        return [None if value.lower() in ("1", "true", "yes", "on") else value]
    if magics.autoconnect or magics.cluster:
        return [magics.cluster or None]
    return None


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext drover``: registers ``%drover`` and auto-connects when a setting asks for it.

    Auto-connect never stops the kernel from starting: when it cannot connect it prints why.
    """
    magics = DroverMagics(ipython)
    ipython.register_magics(magics)
    target = _autoconnect_target(magics)
    if target is None:
        return
    try:
        magics._connect(target[0])
    except DroverError as error:
        print(f"drover: auto-connect skipped: {error}")
