"""%load_ext drover and %drover in a real IPython shell, against a real drover serve."""

import io
import os
import unittest
from contextlib import redirect_stdout

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from .serve import Serve, kernel_env


def shell(config: Config = None) -> InteractiveShell:
    """A fresh IPython shell (the one instance of the process, cleared)."""
    if InteractiveShell.initialized():
        InteractiveShell.clear_instance()
    return InteractiveShell.instance(config=config or Config())


class Magics(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.serve = Serve()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.serve.stop()
        if InteractiveShell.initialized():
            InteractiveShell.clear_instance()

    def setUp(self) -> None:
        env = kernel_env(self.serve)
        env.__enter__()
        self.addCleanup(env.__exit__)
        for cluster in self.serve.call("GET", "/api/clusters"):
            self.serve.call("DELETE", f"/api/clusters/{cluster['name']}")

    def run_magic(self, ip: InteractiveShell, line: str):
        out = io.StringIO()
        with redirect_stdout(out):
            value = ip.run_line_magic("drover", line)
        return value, out.getvalue()

    def test_new_lists_scales_and_closes_through_the_manager(self) -> None:
        ip = shell()
        ip.run_line_magic("load_ext", "drover")
        listed, _ = self.run_magic(ip, "")
        self.assertEqual(list(listed), [])
        info, out = self.run_magic(ip, "new local --workers 1 --name m1 --threads 2")
        self.assertEqual((info.name, info.kind, info.workers), ("m1", "local", 1))
        self.assertIn("started m1 (drover engine, local, running, 1/1 workers)", out)
        self.assertIn("for Dask add --engine dask", out)
        model = self.serve.call("GET", "/api/clusters/m1")
        self.assertEqual(model["spec"]["options"]["threadsPerWorker"], 2)
        info, out = self.run_magic(ip, "scale m1 2")
        self.assertEqual(info.requested, 2)
        self.assertEqual(self.serve.call("GET", "/api/clusters/m1")["workers"]["requested"], 2)
        listed, _ = self.run_magic(ip, "list")
        self.assertEqual([c.name for c in listed], ["m1"])
        _, out = self.run_magic(ip, "close m1")
        self.assertEqual(self.serve.call("GET", "/api/clusters"), [])

    def test_connect_to_a_drover_engine_cluster_says_what_to_do_and_binds_nothing(self) -> None:
        ip = shell()
        ip.run_line_magic("load_ext", "drover")
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts", "scale": 1})
        with self.assertRaisesRegex(UsageError, r"runs the Drover engine.*TypeScript"):
            self.run_magic(ip, "connect ts")
        self.assertNotIn("client", ip.user_ns)

    def test_bad_usage_is_a_usage_error_naming_the_problem(self) -> None:
        ip = shell()
        ip.run_line_magic("load_ext", "drover")
        cases = {
            "frobnicate": "unknown command 'frobnicate'",
            "scale m1": "give a name and a number",
            "scale m1 many": "N must be a whole number, got 'many'",
            "new moon": "argument kind: invalid choice: 'moon'",
            "new local --gpus 2": "unrecognized arguments: --gpus 2",
            "new slurm --threads 2": "--threads is for local clusters",
            "connect a b": "unexpected 'b'",
            "scale nope 1": r"answered 404 to PATCH /api/clusters/nope: no cluster named \"nope\"",
        }
        for line, message in cases.items():
            with self.subTest(line=line):
                with self.assertRaisesRegex(UsageError, message):
                    self.run_magic(ip, line)

    def test_the_manager_refusing_a_spec_shows_its_message(self) -> None:
        ip = shell()
        ip.run_line_magic("load_ext", "drover")
        with self.assertRaisesRegex(UsageError, r"answered 400 to POST /api/clusters: .*scale"):
            self.run_magic(ip, "new local --workers -1")

    def test_help_lists_every_command(self) -> None:
        ip = shell()
        ip.run_line_magic("load_ext", "drover")
        _, out = self.run_magic(ip, "help")
        for command in ("%drover connect", "%drover scale", "%drover new", "%drover close", "DROVER_AUTOCONNECT"):
            self.assertIn(command, out)

    def test_autoconnect_that_cannot_connect_says_why_and_the_shell_goes_on(self) -> None:
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts", "scale": 1})
        os.environ["DROVER_AUTOCONNECT"] = "1"
        ip = shell()
        out = io.StringIO()
        with redirect_stdout(out):
            ip.run_line_magic("load_ext", "drover")
        self.assertIn("drover: auto-connect skipped: no running Dask-engine cluster", out.getvalue())
        self.assertNotIn("client", ip.user_ns)

    def test_autoconnect_from_the_ipython_config_names_the_cluster(self) -> None:
        config = Config()
        config.DroverMagics.cluster = "ts"
        self.serve.call("POST", "/api/clusters", {"kind": "local", "name": "ts", "scale": 1})
        ip = shell(config)
        out = io.StringIO()
        with redirect_stdout(out):
            ip.run_line_magic("load_ext", "drover")
        self.assertIn("auto-connect skipped: cluster 'ts' runs the Drover engine", out.getvalue())

    def test_without_a_setting_loading_does_not_connect(self) -> None:
        ip = shell()
        out = io.StringIO()
        with redirect_stdout(out):
            ip.run_line_magic("load_ext", "drover")
        self.assertEqual(out.getvalue(), "")


if __name__ == "__main__":
    unittest.main()
