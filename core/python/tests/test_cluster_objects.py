"""drover.LocalCluster / SLURMCluster: dask-jobqueue's shape, owned by a real drover serve."""

import unittest

from distributed import Client

import drover
from drover import DroverError

from .serve import Serve, kernel_env


class ClusterObjects(unittest.TestCase):
    def setUp(self) -> None:
        self.serve = Serve()
        self.addCleanup(self.serve.stop)
        self.env = kernel_env(self.serve)
        self.env.__enter__()
        self.addCleanup(self.env.__exit__)

    def test_a_local_cluster_is_a_dask_cluster_the_manager_lists_and_closes(self) -> None:
        with drover.LocalCluster(n_workers=2, threads_per_worker=1, name="py-local") as cluster:
            self.assertEqual([(c.name, c.engine, c.workers) for c in drover.clusters()], [("py-local", "dask", 2)])
            with Client(cluster) as client:
                self.assertEqual(client.gather(client.map(lambda x: x * x, range(10))), [x * x for x in range(10)])
                cluster.scale(3)
                cluster.wait_for_workers(3, timeout=120)
                self.assertEqual(len(client.scheduler_info()["workers"]), 3)
        self.assertEqual(list(drover.clusters()), [])

    def test_an_unknown_keyword_is_refused_naming_it(self) -> None:
        with self.assertRaisesRegex(DroverError, r"options\.coresPerSocket"):
            drover.LocalCluster(n_workers=1, cores_per_socket=2)
        self.assertEqual(list(drover.clusters()), [])


if __name__ == "__main__":
    unittest.main()
