"""Dask-engine clusters in jobs of the real local SLURM, with the TLS authority made for each cluster."""

import os
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from distributed import Client
from distributed.security import Security

import drover

from .serve import Serve, kernel_env


def _squeue_ids() -> set:
    return set(subprocess.check_output(["squeue", "-h", "-o", "%i"], text=True).split())


def _other_authority(directory: Path) -> Security:
    """A certificate from an authority that is not the cluster's."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", *ec, "-keyout", str(directory / "ca.key"), "-out", str(directory / "ca.pem"), "-subj", "/CN=other")
    run("req", *ec, "-keyout", str(directory / "c.key"), "-out", str(directory / "c.csr"), "-subj", "/CN=intruder")
    run("x509", "-req", "-in", str(directory / "c.csr"), "-CA", str(directory / "ca.pem"), "-CAkey",
        str(directory / "ca.key"), "-CAcreateserial", "-out", str(directory / "c.pem"))
    return Security(tls_ca_file=str(directory / "ca.pem"), tls_client_cert=str(directory / "c.pem"),
                    tls_client_key=str(directory / "c.key"), require_encryption=True)


class DaskOnSlurm(unittest.TestCase):
    def setUp(self) -> None:
        self.serve = Serve()
        self.addCleanup(self.serve.stop)
        self.env = kernel_env(self.serve)
        self.env.__enter__()
        self.addCleanup(self.env.__exit__)
        self.before = _squeue_ids()

    def test_scale_to_two_jobs_compute_scale_to_zero_and_nothing_is_left(self) -> None:
        cluster = drover.SLURMCluster(cores=1, memory="1GiB", processes=1, walltime="00:10:00", name="py-slurm")
        try:
            script = cluster.job_script()
            self.assertIn(f"-m distributed.cli.dask_worker {cluster.scheduler_address} ", script)
            self.assertIn("#SBATCH --mem=1G", script)
            cluster.scale(jobs=2)
            with Client(cluster) as client:
                client.wait_for_workers(2, timeout=240)
                job_ids = set(client.run(lambda: os.environ.get("SLURM_JOB_ID")).values())
                self.assertEqual(len(job_ids), 2)
                self.assertLessEqual(job_ids, _squeue_ids())
                self.assertEqual(client.gather(client.map(lambda x: x + 1, range(50))), list(range(1, 51)))
                jobs = self.serve.call("GET", "/api/clusters/py-slurm/jobs")
                self.assertEqual({j["jobId"] for j in jobs}, job_ids)
                cluster.scale(jobs=0)
                deadline = time.monotonic() + 60
                while job_ids & _squeue_ids() and time.monotonic() < deadline:
                    time.sleep(0.5)
                self.assertEqual(job_ids & _squeue_ids(), set())
        finally:
            cluster.close()
        self.assertEqual(_squeue_ids() - self.before, set())

    def test_a_job_reaching_its_walltime_is_replaced_and_work_goes_on(self) -> None:
        # A 1-minute walltime: the worker leaves after its lifetime (30 s, give or take 3 s), before
        # SLURM would kill the job, and the cluster submits a replacement to stay at its size.
        with drover.SLURMCluster(cores=1, memory="1GiB", walltime="00:01:00", name="py-walltime") as cluster:
            cluster.scale(jobs=1)
            with Client(cluster) as client:
                client.wait_for_workers(1, timeout=120)
                first = set(client.run(lambda: os.environ.get("SLURM_JOB_ID")).values())
                jobs, ended, running = [], [], []
                deadline = time.monotonic() + 150
                while time.monotonic() < deadline and not (ended and running):
                    time.sleep(1)
                    jobs = self.serve.call("GET", "/api/clusters/py-walltime/jobs")
                    ended = [j for j in jobs if j["jobId"] in first and j["state"] not in ("pending", "running")]
                    running = [j for j in jobs if j["jobId"] not in first and j["state"] == "running"]
                self.assertTrue(ended and running, jobs)
                client.wait_for_workers(1, timeout=120)
                self.assertEqual(client.submit(pow, 3, 4).result(), 81)
                replacement = set(client.run(lambda: os.environ.get("SLURM_JOB_ID")).values())
                self.assertTrue(replacement and not replacement & first, (first, replacement))

    def test_the_scheduler_refuses_a_plain_client_and_another_authoritys_certificate(self) -> None:
        with drover.SLURMCluster(cores=1, memory="1GiB", name="py-tls") as cluster:
            address = cluster.scheduler_address
            self.assertTrue(address.startswith("tls://"), address)
            connection = self.serve.call("GET", "/api/clusters/py-tls/connection")
            for key in ("ca", "cert", "key"):
                self.assertTrue(Path(connection["tls"][key]).is_file())
            self.assertEqual(os.stat(connection["tls"]["key"]).st_mode & 0o777, 0o600)
            with self.assertRaises((OSError, TimeoutError)):
                Client("tcp://" + address[len("tls://"):], timeout=8)
            with tempfile.TemporaryDirectory() as directory:
                with self.assertRaises((OSError, TimeoutError)):
                    Client(address, security=_other_authority(Path(directory)), timeout=8)
            with drover.connect("py-tls") as client:  # the cluster's own certificate, from the manager
                self.assertEqual(client.scheduler.address, address)


if __name__ == "__main__":
    unittest.main()
