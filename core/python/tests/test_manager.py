"""Finding the manager: the file drover serve writes, the environment, and the errors."""

import json
import os
import stat
import tempfile
import unittest
from pathlib import Path

import drover
from drover import DroverError, Manager, find_manager, manager_file_directory, manager_file_path

from .serve import Serve, kernel_env


class ManagerLookup(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.serve = Serve()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.serve.stop()

    def test_the_newest_live_manager_file_in_the_runtime_dir_is_found(self) -> None:
        with kernel_env(self.serve):
            location = find_manager()
        self.assertEqual(location.url, self.serve.url)
        self.assertEqual(location.token, self.serve.token)
        self.assertEqual(location.source, str(self.serve.manager_file))
        self.assertEqual(stat.S_IMODE(os.stat(self.serve.manager_file).st_mode), 0o600)

    def test_a_host_that_started_drover_serve_knows_its_file_from_the_pid(self) -> None:
        self.assertEqual(manager_file_path(self.serve.pid, self.serve.env), self.serve.manager_file)

    def test_the_token_is_never_shown(self) -> None:
        with kernel_env(self.serve):
            location = find_manager()
        self.assertNotIn(self.serve.token, repr(location))
        self.assertNotIn(self.serve.token, repr(Manager(location).location))

    def test_DROVER_MANAGER_FILE_comes_first_then_DROVER_MANAGER_URL_with_DROVER_TOKEN(self) -> None:
        with tempfile.TemporaryDirectory() as other:
            fake = Path(other) / "serve-1.json"
            fake.write_text(json.dumps({"url": "http://127.0.0.1:1", "token": "t1", "pid": 1, "started": ""}))
            with kernel_env(self.serve, DROVER_MANAGER_FILE=str(fake), DROVER_MANAGER_URL="http://x:2",
                            DROVER_TOKEN="t2"):
                self.assertEqual(find_manager().url, "http://127.0.0.1:1")
            with kernel_env(self.serve, DROVER_MANAGER_URL="http://127.0.0.1:2/", DROVER_TOKEN="t2"):
                self.assertEqual((find_manager().url, find_manager().token), ("http://127.0.0.1:2", "t2"))

    def test_bad_settings_and_no_manager_are_errors_that_say_what_to_do(self) -> None:
        with kernel_env(self.serve, DROVER_MANAGER_URL="http://127.0.0.1:2"):
            with self.assertRaisesRegex(DroverError, "DROVER_MANAGER_URL is set but DROVER_TOKEN is not"):
                find_manager()
        with kernel_env(self.serve, DROVER_MANAGER_FILE="/nonexistent/serve-9.json"):
            with self.assertRaisesRegex(DroverError, "DROVER_MANAGER_FILE names /nonexistent/serve-9.json"):
                find_manager()
        with tempfile.TemporaryDirectory() as empty:
            with kernel_env(self.serve, XDG_RUNTIME_DIR=empty):
                with self.assertRaisesRegex(DroverError, r"no running Drover manager found .*drover serve"):
                    drover.clusters()

    def test_a_manager_that_does_not_answer_is_an_error_naming_where_it_was_found(self) -> None:
        with kernel_env(self.serve, DROVER_MANAGER_URL="http://127.0.0.1:9", DROVER_TOKEN="t"):
            with self.assertRaisesRegex(DroverError, r"at http://127.0.0.1:9 \(from DROVER_MANAGER_URL\) does not answer"):
                drover.clusters()

    def test_a_wrong_token_gets_the_managers_own_message(self) -> None:
        with kernel_env(self.serve, DROVER_MANAGER_URL=self.serve.url, DROVER_TOKEN="wrong"):
            with self.assertRaisesRegex(DroverError, "answered 401 to GET /api/clusters: missing or wrong token"):
                drover.clusters()

    def test_the_directory_falls_back_to_the_state_home(self) -> None:
        self.assertEqual(manager_file_directory({"XDG_RUNTIME_DIR": "/run/user/7"}), Path("/run/user/7/drover"))
        self.assertEqual(manager_file_directory({"XDG_STATE_HOME": "/s"}), Path("/s/drover/run"))
        self.assertEqual(manager_file_directory({"HOME": "/home/u"}), Path("/home/u/.local/state/drover/run"))


class ManagerFileLifetime(unittest.TestCase):
    def test_the_file_is_removed_when_drover_serve_stops(self) -> None:
        serve = Serve()
        path = serve.manager_file
        self.assertTrue(path.exists())
        serve.stop()
        self.assertFalse(path.exists())


if __name__ == "__main__":
    unittest.main()
