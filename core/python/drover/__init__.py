"""Drover from Python kernels: reach the running Drover manager and its Dask-engine clusters.

>>> import drover
>>> drover.clusters()              # the clusters of the running manager   # doctest: +SKIP
>>> client = drover.connect()      # a dask.distributed.Client             # doctest: +SKIP
>>> drover.progress(client.map(f, range(100)))                             # doctest: +SKIP

In IPython: ``%load_ext drover``, then ``%drover`` (see ``%drover help``).

The manager is found through the private file ``drover serve`` writes (or the environment), so a
notebook's text never holds a token, an address or a key.
"""

from ._cluster import Cluster, LocalCluster, LSFCluster, PBSCluster, SGECluster, SLURMCluster
from ._clusters import ClusterInfo, ClusterList, clusters, connect
from ._errors import DroverError
from ._manager import Manager, ManagerLocation, find_manager, manager_file_directory, manager_file_path
from ._progress import progress

__version__ = "0.1.0"

__all__ = [
    "Cluster",
    "ClusterInfo",
    "ClusterList",
    "DroverError",
    "LSFCluster",
    "LocalCluster",
    "Manager",
    "ManagerLocation",
    "PBSCluster",
    "SGECluster",
    "SLURMCluster",
    "clusters",
    "connect",
    "find_manager",
    "load_ipython_extension",
    "manager_file_directory",
    "manager_file_path",
    "progress",
]


def load_ipython_extension(ipython):  # type: ignore[no-untyped-def]
    """``%load_ext drover`` (imports IPython only when it is used)."""
    from ._magics import load_ipython_extension as load

    load(ipython)
