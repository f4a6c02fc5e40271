"""The manager's clusters as a notebook sees them, and a Dask client for one of them."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional

from ._errors import DroverError
from ._manager import Manager

__all__ = ["ClusterInfo", "ClusterList", "clusters", "connect", "choose_cluster"]


@dataclass(frozen=True)
class ClusterInfo:
    """One cluster of the manager.

    Attributes
    ----------
    name : str
    kind : str
        ``local``, ``slurm``, ``pbs``, ``lsf`` or ``sge``.
    engine : str
        ``dask`` (Dask scheduler and workers; Python clients) or ``drover`` (TypeScript clients).
    state : str
        ``starting``, ``running``, ``closing``, ``closed`` or ``failed``.
    workers : int
        Connected workers.
    requested : int
        Workers (local) or jobs (batch) asked for.
    model : dict
        The manager's full model of the cluster (no secrets).
    """

    name: str
    kind: str
    engine: str
    state: str
    workers: int
    requested: int
    model: dict = field(repr=False, compare=False)

    @classmethod
    def from_model(cls, model: dict) -> "ClusterInfo":
        workers = model.get("workers") or {}
        return cls(name=model["name"], kind=model["kind"], engine=model.get("engine") or "drover",
                   state=model["state"], workers=int(workers.get("connected", 0)),
                   requested=int(workers.get("requested", 0)), model=model)

    def describe(self) -> str:
        """``name (dask engine, local, running, 2/2 workers)``."""
        return f"{self.name} ({self.engine} engine, {self.kind}, {self.state}, {self.workers}/{self.requested} workers)"


class ClusterList(List[ClusterInfo]):
    """A list of clusters that shows itself as a table in a notebook."""

    _columns = ("name", "engine", "kind", "state", "workers")

    def _rows(self) -> List[List[str]]:
        return [[c.name, c.engine, c.kind, c.state, f"{c.workers}/{c.requested}"] for c in self]

    def __repr__(self) -> str:
        if not self:
            return "no clusters (start one with %drover new local --workers 2 --engine dask)"
        rows = [list(self._columns)] + self._rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(self._columns))]
        return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)

    def _repr_html_(self) -> str:
        if not self:
            return f"<p>{html.escape(repr(self))}</p>"
        head = "".join(f"<th>{c}</th>" for c in self._columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in self._rows())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def clusters(manager: Optional[Manager] = None) -> ClusterList:
    """The clusters of the running Drover manager.

    Parameters
    ----------
    manager : Manager, optional
        The manager to ask; by default the one found with :func:`drover.find_manager`.

    Returns
    -------
    ClusterList
        A list of :class:`ClusterInfo`, shown as a table in a notebook.

    Examples
    --------
    >>> import drover
    >>> drover.clusters()  # doctest: +SKIP
    name     engine  kind   state    workers
    local-1  dask    local  running  2/2
    """
    return ClusterList(ClusterInfo.from_model(m) for m in (manager or Manager()).clusters())


def _listed(items: Iterable[ClusterInfo]) -> str:
    return ", ".join(c.describe() for c in items) or "none"


def _drover_engine_advice(name: str) -> str:
    return (f"cluster '{name}' runs the Drover engine, which takes TypeScript clients "
            "(in a Deno notebook: import { connect } from '@drover/core/notebook'; "
            f"const client = await connect({name!r})). For Python, start a Dask-engine cluster: "
            "%drover new local --workers 4 --engine dask (or engine 'dask' in the dashboard's form)")


def choose_cluster(all_clusters: List[ClusterInfo], name: Optional[str]) -> ClusterInfo:
    """The Dask-engine cluster to connect to: the named one, or the only one.

    Raises
    ------
    DroverError
        Naming the choices when the name is unknown or the choice is unclear, and saying what to
        do instead for a Drover-engine cluster.
    """
    if name is not None:
        found = [c for c in all_clusters if c.name == name]
        if not found:
            raise DroverError(f"no cluster named {name!r}; the manager has: {_listed(all_clusters)}")
        cluster = found[0]
        if cluster.engine != "dask":
            raise DroverError(_drover_engine_advice(name))
        if cluster.state != "running":
            raise DroverError(f"cluster {name!r} is {cluster.state}, not running; wait for it or start another")
        return cluster
    dask = [c for c in all_clusters if c.engine == "dask" and c.state == "running"]
    if len(dask) == 1:
        return dask[0]
    if not dask:
        others = [c for c in all_clusters if c.engine != "dask"]
        hint = (f" Its clusters run the Drover engine: {_listed(others)}; " + _drover_engine_advice(others[0].name)
                if others else " Start one: %drover new local --workers 4 --engine dask")
        raise DroverError(f"no running Dask-engine cluster to connect to.{hint}")
    raise DroverError(f"{len(dask)} Dask-engine clusters are running; say which, e.g. "
                      f"drover.connect({dask[0].name!r}). They are: {_listed(dask)}")


def security_for(connection: dict) -> Any:
    """A ``distributed.security.Security`` from the connection route's certificate paths, or None."""
    tls = connection.get("tls")
    if not tls:
        return None
    from distributed.security import Security

    return Security(tls_ca_file=tls["ca"], tls_client_cert=tls.get("cert"), tls_client_key=tls.get("key"),
                    require_encryption=True)


def connect(name: Optional[str] = None, *, manager: Optional[Manager] = None, **client_options: Any) -> Any:
    """A ``dask.distributed.Client`` connected to a Dask-engine cluster of the running manager.

    Parameters
    ----------
    name : str, optional
        The cluster's name; may be left out when exactly one Dask-engine cluster runs.
    manager : Manager, optional
        The manager to ask; by default the one found with :func:`drover.find_manager`.
    **client_options
        Passed to ``distributed.Client`` (``timeout``, ``set_as_default``, ...).

    Returns
    -------
    distributed.Client
        Connected, with the cluster's TLS security when it has one. The address and the
        certificates come from the manager; nothing secret is in the notebook.

    Raises
    ------
    DroverError
        No manager, an unknown name (the error lists the clusters), several candidates, or a
        Drover-engine cluster (the error says to use the TypeScript client or start a Dask one).

    Examples
    --------
    >>> import drover
    >>> client = drover.connect("local-1")  # doctest: +SKIP
    >>> client.submit(sum, [1, 2, 3]).result()  # doctest: +SKIP
    6
    """
    manager = manager or Manager()
    cluster = choose_cluster(clusters(manager), name)
    connection = manager.connection(cluster.name)
    if connection.get("engine") != "dask":
        raise DroverError(_drover_engine_advice(cluster.name))
    from distributed import Client

    security = security_for(connection)
    return Client(connection["address"], **({"security": security} if security else {}), **client_options)
