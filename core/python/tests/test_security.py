"""The Security drover.connect builds from the connection route's paths works against a real Dask
TLS scheduler, and a client without it is refused."""

import subprocess
import tempfile
import unittest
from pathlib import Path

from distributed import Client, LocalCluster
from distributed.security import Security

from drover._clusters import security_for


def openssl(*args: str, cwd: str) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(directory: str) -> dict:
    """A throwaway authority and one certificate it signed for 127.0.0.1 (as Drover makes per cluster)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=ca", cwd=directory)
    Path(directory, "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("req", *ec, "-keyout", "node.key", "-out", "node.csr", "-subj", "/CN=127.0.0.1", cwd=directory)
    openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "node.pem", "-days", "1", "-extfile", "san.ext", cwd=directory)
    return {"ca": str(Path(directory, "ca.pem")), "cert": str(Path(directory, "node.pem")),
            "key": str(Path(directory, "node.key"))}


class TlsSecurity(unittest.TestCase):
    def test_a_client_with_the_routes_paths_computes_on_a_tls_scheduler_and_one_without_is_refused(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            files = make_certificates(directory)
            server = Security(tls_ca_file=files["ca"], tls_scheduler_cert=files["cert"], tls_scheduler_key=files["key"],
                              tls_worker_cert=files["cert"], tls_worker_key=files["key"],
                              tls_client_cert=files["cert"], tls_client_key=files["key"], require_encryption=True)
            with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tls://",
                              host="127.0.0.1", security=server, dashboard_address=None) as cluster:
                address = cluster.scheduler_address
                self.assertTrue(address.startswith("tls://"))
                self.assertIsNone(security_for({"engine": "dask", "address": address}))
                security = security_for({"engine": "dask", "address": address, "tls": files})
                with Client(address, security=security, timeout=20) as client:
                    self.assertEqual(client.submit(sum, [1, 2, 3]).result(), 6)
                with self.assertRaises(Exception):
                    Client(address, timeout=3)


if __name__ == "__main__":
    unittest.main()
