"""Dask-engine clusters started by a real drover serve, used by the workflows' unchanged Dask code."""

import os
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import dask
import dask.bag as db
from distributed import Client, get_worker

import drover

from .serve import DROVER, Serve, kernel_env


def _wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


class DaskEngine(unittest.TestCase):
    def setUp(self) -> None:
        self.serve = Serve()
        self.addCleanup(self.serve.stop)
        self.env = kernel_env(self.serve)
        self.env.__enter__()
        self.addCleanup(self.env.__exit__)

    def test_connect_gives_a_client_and_the_workflows_dask_calls_run(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "engine": "dask", "name": "d1", "scale": 2,
                                                  "options": {"memoryLimit": 0}})
        with drover.connect("d1") as client:
            # ML4Chem: map / submit / gather
            squares = client.gather(client.map(lambda x: x * x, range(20)))
            self.assertEqual(squares, [x * x for x in range(20)])
            self.assertEqual(client.submit(sum, squares).result(), sum(x * x for x in range(20)))
            # PMDA: delayed blocks and a bag, scheduler=client
            blocks = [dask.delayed(sum)(range(i * 10, i * 10 + 10)) for i in range(4)]
            self.assertEqual(sum(dask.compute(*blocks, scheduler=client)), sum(range(40)))
            self.assertEqual(db.from_sequence(range(10), npartitions=3).map(lambda x: x + 1).sum()
                             .compute(scheduler=client), 55)
            # ESPEI: memory limit 0 means none
            limits = {w["memory_limit"] for w in client.scheduler_info()["workers"].values()}
            self.assertEqual(limits, {0})
        model = self.serve.call("GET", "/api/clusters/d1")
        self.assertEqual((model["engine"], model["workers"]["connected"]), ("dask", 2))
        self.assertIn('drover.connect("d1")', model["clientCode"])

    def test_workers_with_a_gpu_each_run_gpu_tasks_on_their_own_device(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "engine": "dask", "name": "gpu", "scale": 2,
                                                  "options": {"resources": {"GPU": 1}}})
        with drover.connect("gpu") as client:
            def device():
                time.sleep(0.3)
                return get_worker().name, os.environ.get("CUDA_VISIBLE_DEVICES")
            seen = set(client.gather([client.submit(device, pure=False, resources={"GPU": 1}) for _ in range(6)]))
        by_worker = dict(seen)
        self.assertEqual(len(by_worker), 2, seen)
        self.assertEqual(sorted(by_worker.values()), ["0", "1"])

    def test_a_killed_worker_is_replaced_and_every_result_is_right(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "engine": "dask", "name": "k", "scale": 2})
        with drover.connect("k") as client:
            client.wait_for_workers(2)
            futures = client.map(lambda x: (time.sleep(0.05), x * 3)[1], range(200), pure=False)
            _wait(lambda: sum(f.done() for f in futures) > 10)
            victim = next(iter(client.run(os.getpid).values()))
            nanny = int(subprocess.check_output(["ps", "-o", "ppid=", "-p", str(victim)]).strip())
            os.kill(nanny, signal.SIGKILL)
            os.kill(victim, signal.SIGKILL)
            self.assertEqual(client.gather(futures), [x * 3 for x in range(200)])
            _wait(lambda: len(client.scheduler_info()["workers"]) == 2, timeout=90)
        names = {w["name"] for w in self.serve.call("GET", "/api/clusters/k/metrics")["workers"]}
        self.assertIn("k-2", names, "the replacement worker")

    def test_adaptive_grows_under_load_and_shrinks_when_idle(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "engine": "dask", "name": "a", "scale": 0,
                                                  "adapt": {"minimum": 0, "maximum": 3}})
        with Client(self.serve.call("GET", "/api/clusters/a/connection")["address"]) as client:
            futures = client.map(lambda x: (time.sleep(1.0), x)[1], range(30), pure=False)
            _wait(lambda: self.serve.call("GET", "/api/clusters/a")["workers"]["connected"] >= 2, timeout=120)
            self.assertEqual(sorted(client.gather(futures)), list(range(30)))
            del futures
        _wait(lambda: self.serve.call("GET", "/api/clusters/a")["workers"]["connected"] == 0, timeout=120)

    def test_a_scheduler_alone_serves_client_scheduler_file_with_outside_workers(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "scheduler.json"
            scheduler = subprocess.Popen(["node", str(DROVER), "scheduler", "--engine", "dask",
                                          "--scheduler-file", str(path)], stdout=subprocess.DEVNULL)
            self.addCleanup(lambda: (scheduler.poll() is None and scheduler.terminate(), scheduler.wait()))
            _wait(path.exists)
            worker = subprocess.Popen(["/usr/bin/python3", "-m", "distributed.cli.dask_worker", "--scheduler-file",
                                       str(path), "--memory-limit", "0", "--local-directory", directory],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.addCleanup(lambda: (worker.poll() is None and worker.terminate(), worker.wait()))
            with Client(scheduler_file=str(path)) as client:
                client.wait_for_workers(1, timeout=60)
                self.assertEqual(client.submit(pow, 2, 10).result(), 1024)
            scheduler.terminate()
            self.assertEqual(scheduler.wait(timeout=30), 0)


if __name__ == "__main__":
    unittest.main()
