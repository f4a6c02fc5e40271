"""drover.progress against a real Dask client (distributed.LocalCluster in this process)."""

import io
import time
import unittest

import drover
from distributed import Client, LocalCluster


def slow(x: float) -> float:
    time.sleep(0.02)
    return x * 2


def fail(x: float) -> float:
    raise ValueError(f"bad {x}")


class Progress(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.client.close()
        cls.cluster.close()

    def test_the_text_bar_redraws_one_line_until_every_future_is_done(self) -> None:
        futures = self.client.map(slow, range(20))
        out = io.StringIO()
        returned = drover.progress(futures, widget=False, stream=out)
        self.assertIs(returned, futures)
        self.assertTrue(all(f.status == "finished" for f in futures))
        frames = out.getvalue().split("\r")
        self.assertEqual(frames[1], "[" + "-" * 40 + "] 0/20 done")
        self.assertEqual(frames[-1], "[" + "#" * 40 + "] 20/20 done\n")
        self.assertNotIn("\n", "".join(frames[:-1]))  # one line, redrawn in place
        self.assertEqual(self.client.gather(futures), [x * 2 for x in range(20)])

    def test_erred_futures_are_counted_apart(self) -> None:
        futures = self.client.map(slow, range(3)) + self.client.map(fail, range(2))
        out = io.StringIO()
        drover.progress(futures, widget=False, stream=out)
        self.assertTrue(out.getvalue().endswith("5/5 done, 2 erred\n"))

    def test_futures_inside_dicts_and_single_futures_are_found(self) -> None:
        out = io.StringIO()
        drover.progress({"a": self.client.submit(slow, 1), "b": [self.client.submit(slow, 2)]}, widget=False, stream=out)
        self.assertTrue(out.getvalue().endswith("2/2 done\n"))
        out = io.StringIO()
        drover.progress(self.client.submit(slow, 3), widget=False, stream=out)
        self.assertTrue(out.getvalue().endswith("1/1 done\n"))

    def test_the_widget_bar_ends_full_and_green(self) -> None:
        from drover._progress import WidgetBar

        futures = self.client.map(slow, range(10, 16))
        bars = []
        original = WidgetBar.__init__

        def keep(self, total):  # the bar the call makes, to look at afterwards
            original(self, total)
            bars.append(self)

        WidgetBar.__init__ = keep
        try:
            drover.progress(futures, widget=True)
        finally:
            WidgetBar.__init__ = original
        (bar,) = bars
        self.assertEqual((bar.bar.value, bar.bar.max, bar.bar.bar_style), (6, 6, "success"))
        self.assertEqual(bar.label.value, "6/6 done")

    def test_asking_for_a_widget_without_ipywidgets_says_how_to_install_them(self) -> None:
        import sys

        saved = sys.modules.get("ipywidgets")
        sys.modules["ipywidgets"] = None  # type: ignore[assignment]  # as if the package were not installed
        try:
            with self.assertRaisesRegex(drover.DroverError, "apt-get install python3-ipywidgets"):
                drover.progress(self.client.submit(slow, 1), widget=True)
        finally:
            if saved is None:
                del sys.modules["ipywidgets"]
            else:
                sys.modules["ipywidgets"] = saved

    def test_outside_a_kernel_the_default_is_the_text_bar(self) -> None:
        from drover._progress import _widgets_available

        self.assertFalse(_widgets_available())


if __name__ == "__main__":
    unittest.main()
