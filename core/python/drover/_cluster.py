"""Cluster objects in dask-jobqueue's shape, started and owned by the Drover manager.

``drover.SLURMCluster(cores=4, memory="8GiB")`` reads like ``dask_jobqueue.SLURMCluster``: the same
keyword names, ``job_script()``, ``scale(jobs=2)``, ``adapt(minimum=..., maximum=...)``, and
``Client(cluster)``. The difference is who runs it: the manager starts the Dask scheduler and the
jobs, so the cluster shows in the dashboard, the JupyterLab sidebar and VS Code, and outlives the
kernel only if asked to (``close_with_kernel=False``).
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any, Dict, Optional

from ._clusters import ClusterInfo, security_for
from ._errors import DroverError
from ._manager import Manager

__all__ = ["Cluster", "LocalCluster", "SLURMCluster", "PBSCluster", "LSFCluster", "SGECluster"]

# dask-jobqueue's keyword names whose Drover option is not their camelCase spelling.
_JOBQUEUE_ALIASES = {
    "project": "account",
    "job_extra": "jobExtraDirectives",
    "job_extra_directives": "jobExtraDirectives",
    "job_directives_skip": "jobDirectivesSkip",
    "env_extra": "jobScriptPrologue",
    "job_script_prologue": "jobScriptPrologue",
    "extra": "workerExtraArgs",
    "worker_extra_args": "workerExtraArgs",
    "lifetime": "workerLifetime",
}

# LocalCluster's keyword names (distributed.LocalCluster) and the Drover spec fields they set.
_LOCAL_ALIASES = {"threads_per_worker": "threadsPerWorker", "memory_limit": "memoryLimit"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _options(kwargs: Dict[str, Any], aliases: Dict[str, str]) -> Dict[str, Any]:
    """Drover option names for Python keyword names; unknown ones are left for the manager to refuse."""
    return {aliases.get(key, _camel(key)): value for key, value in kwargs.items() if value is not None}


class Cluster:
    """A Dask-engine cluster of the Drover manager; use a kind's class (``SLURMCluster``...).

    Parameters
    ----------
    name : str, optional
        Unique among the manager's clusters; default ``<kind>-<n>``.
    manager : Manager, optional
        The manager to ask; by default the one found with :func:`drover.find_manager`.
    close_with_kernel : bool
        Close the cluster when this object is closed or garbage-collected with the kernel
        (default). ``False`` leaves it running for other notebooks, the sidebar and the CLI.
    adapt : dict, optional
        ``{"minimum": m, "maximum": M}``: start adaptive.
    joins : Cluster or str, optional
        Another Dask-engine cluster whose scheduler this one's workers join: pools of different job
        shapes behind one scheduler (psiflow's pattern). Closing that cluster closes this one.
    **options
        The kind's options under their dask-jobqueue (or ``distributed.LocalCluster``) names;
        an option the manager does not know is refused, naming it.
    """

    kind = ""
    _aliases: Dict[str, str] = _JOBQUEUE_ALIASES

    def __init__(self, *, name: Optional[str] = None, manager: Optional[Manager] = None,
                 close_with_kernel: bool = True, adapt: Optional[dict] = None, scale: int = 0,
                 joins: "Optional[Cluster | str]" = None, **options: Any) -> None:
        if not self.kind:
            raise DroverError("use a kind's class: drover.LocalCluster, SLURMCluster, PBSCluster, LSFCluster or SGECluster")
        self._manager = manager or Manager()
        self._close_with_kernel = close_with_kernel
        self.spec: Dict[str, Any] = {"kind": self.kind, "engine": "dask", "options": _options(options, self._aliases)}
        if name is not None:
            self.spec["name"] = name
        if scale:
            self.spec["scale"] = scale
        if adapt is not None:
            self.spec["adapt"] = adapt
        if joins is not None:
            self.spec["joins"] = joins.name if isinstance(joins, Cluster) else joins
        self._closed = False
        model = self._manager.create(self.spec)
        self.name: str = model["name"]
        self._connection = self._manager.connection(self.name)
        self.scheduler_address: str = self._connection["address"]
        self.security = security_for(self._connection)

    # ---- what distributed.Client(cluster) reads -------------------------------------------------
    @property
    def status(self) -> Any:
        from distributed.core import Status

        return Status.closed if self._closed else Status.running

    def __await__(self):  # Client awaits a cluster object to make sure it started; this one has.
        async def started() -> "Cluster":
            return self

        return started().__await__()

    @property
    def dashboard_link(self) -> str:
        """The Drover dashboard (the token is not in the link; the dashboard asks for it)."""
        return f"{self._manager.location.url}/#cluster={urllib.parse.quote(self.name)}"

    # ---- dask-jobqueue's calls -------------------------------------------------------------------
    def info(self) -> ClusterInfo:
        """The manager's current view of this cluster (state, workers, jobs)."""
        return ClusterInfo.from_model(self._manager.request("GET", self._path()))

    def job_script(self) -> str:
        """The job script the batch system is given, exactly, with this cluster's scheduler address."""
        return self._manager.request("GET", self._path() + "/job-script")["script"]

    def scale(self, n: Optional[int] = None, *, jobs: Optional[int] = None) -> None:
        """``n`` workers, or ``jobs`` batch jobs (each job holds ``processes`` workers)."""
        if (n is None) == (jobs is None):
            raise DroverError("scale: give a number of workers (scale(4)) or of jobs (scale(jobs=2)), not both")
        self._manager.request("PATCH", self._path(), {"scale": {"jobs": jobs} if jobs is not None else n})

    def adapt(self, minimum: int = 0, maximum: int = 1) -> None:
        """Let the cluster size itself from the scheduler's pending work, within the bounds."""
        self._manager.request("PATCH", self._path(), {"adapt": {"minimum": minimum, "maximum": maximum}})

    def wait_for_workers(self, n: int, timeout: float = 300.0) -> None:
        """Block until ``n`` workers are connected (batch jobs may wait in the queue)."""
        deadline = time.monotonic() + timeout
        while self.info().workers < n:
            if time.monotonic() > deadline:
                raise DroverError(f"cluster {self.name!r}: fewer than {n} workers after {timeout:g} s; "
                                  "see its jobs' pending reasons in the dashboard or `drover.clusters()`")
            time.sleep(0.2)

    def get_client(self, **client_options: Any) -> Any:
        """A ``distributed.Client`` of this cluster."""
        from distributed import Client

        return Client(self, **client_options)

    def close(self) -> None:
        """Stop the workers and cancel the jobs (idempotent)."""
        if not self._closed:
            self._closed = True
            self._manager.close(self.name)

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if self._close_with_kernel and not getattr(self, "_closed", True):
            try:
                self.close()
            except Exception:  # the manager may be gone with the kernel; nothing to clean then
                pass

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.scheduler_address!r})"

    def _path(self) -> str:
        return f"/api/clusters/{urllib.parse.quote(self.name, safe='')}"


class LocalCluster(Cluster):
    """Dask scheduler and workers as processes on this machine (``n_workers``, ``threads_per_worker``,
    ``memory_limit`` (0 = none), ``resources``)."""

    kind = "local"
    _aliases = _LOCAL_ALIASES

    def __init__(self, n_workers: int = 0, **kwargs: Any) -> None:
        super().__init__(scale=n_workers, **kwargs)


class SLURMCluster(Cluster):
    """Dask workers in SLURM jobs (dask-jobqueue's keyword names)."""

    kind = "slurm"


class PBSCluster(Cluster):
    """Dask workers in PBS Pro / OpenPBS / Torque jobs (dask-jobqueue's keyword names)."""

    kind = "pbs"


class LSFCluster(Cluster):
    """Dask workers in LSF jobs (dask-jobqueue's keyword names)."""

    kind = "lsf"


class SGECluster(Cluster):
    """Dask workers in Grid Engine jobs (dask-jobqueue's keyword names)."""

    kind = "sge"
