"""drover.clusters() and drover.connect() against a real drover serve."""

import unittest

import drover
from drover import DroverError

from .serve import Serve, kernel_env


class ClustersAndConnect(unittest.TestCase):
    def setUp(self) -> None:
        self.serve = Serve()
        self.addCleanup(self.serve.stop)
        self.env = kernel_env(self.serve)
        self.env.__enter__()
        self.addCleanup(self.env.__exit__)

    def test_clusters_lists_what_the_manager_runs_as_a_table(self) -> None:
        self.assertEqual(list(drover.clusters()), [])
        self.assertIn("no clusters", repr(drover.clusters()))
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts-1", "scale": 1})
        listed = drover.clusters()
        self.assertEqual([(c.name, c.kind, c.engine, c.state, c.workers) for c in listed],
                         [("ts-1", "local", "drover", "running", 1)])
        self.assertRegex(repr(listed), r"name\s+engine\s+kind\s+state\s+workers\nts-1\s+drover\s+local\s+running\s+1/1")
        self.assertIn("<td>ts-1</td>", listed._repr_html_())

    def test_connect_with_no_cluster_says_how_to_start_a_dask_one(self) -> None:
        with self.assertRaisesRegex(DroverError, r"no running Dask-engine cluster.*%drover new local --workers 4 --engine dask"):
            drover.connect()

    def test_a_drover_engine_cluster_gets_an_error_saying_what_to_do_instead(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts-1", "scale": 1})
        with self.assertRaisesRegex(DroverError, r"cluster 'ts-1' runs the Drover engine.*@drover/core/notebook.*--engine dask"):
            drover.connect("ts-1")
        with self.assertRaisesRegex(DroverError, r"Its clusters run the Drover engine: ts-1 \(drover engine, local, running"):
            drover.connect()

    def test_an_unknown_name_is_an_error_listing_the_clusters(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts-1", "scale": 1})
        with self.assertRaisesRegex(DroverError, r"no cluster named 'nope'; the manager has: ts-1 \(drover engine"):
            drover.connect("nope")


if __name__ == "__main__":
    unittest.main()
