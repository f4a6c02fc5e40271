"""A progress bar for futures: a widget in a notebook, a text bar that updates in place elsewhere."""

from __future__ import annotations

import sys
import time
from typing import Any, List, Optional

__all__ = ["progress", "TextBar", "WidgetBar"]

_THROTTLE_S = 0.1


class TextBar:
    """A one-line text bar: ``[#####-----] 5/10 done, 1 erred``.

    In a notebook kernel without widgets it redraws one display output in place; in a terminal it
    rewrites the line with a carriage return.
    """

    def __init__(self, total: int, width: int = 40, stream: Any = None) -> None:
        self.total, self.width = total, width
        self.stream = stream
        self._handle = None
        if stream is None and _in_kernel():
            from IPython.display import display

            self._handle = display({"text/plain": self.text(0, 0)}, raw=True, display_id=True)
        self.stream = stream or sys.stdout
        self.last = ""

    def text(self, done: int, erred: int) -> str:
        filled = int(self.width * (done + erred) / self.total) if self.total else self.width
        extra = f", {erred} erred" if erred else ""
        return f"[{'#' * filled}{'-' * (self.width - filled)}] {done + erred}/{self.total} done{extra}"

    def update(self, done: int, erred: int) -> None:
        self.last = self.text(done, erred)
        if self._handle is not None:
            self._handle.update({"text/plain": self.last}, raw=True)
        else:
            self.stream.write("\r" + self.last)
            self.stream.flush()

    def close(self) -> None:
        if self._handle is None:
            self.stream.write("\n")
            self.stream.flush()


class WidgetBar:
    """An ``ipywidgets.IntProgress`` with a label, shown in the notebook."""

    def __init__(self, total: int) -> None:
        try:
            import ipywidgets
        except ImportError:
            from ._errors import DroverError

            raise DroverError("widget=True needs ipywidgets (Debian: apt-get install python3-ipywidgets); "
                              "leave widget out for the text bar") from None
        from IPython.display import display

        self.total = total
        self.bar = ipywidgets.IntProgress(value=0, min=0, max=max(total, 1), bar_style="info")
        self.label = ipywidgets.Label(value=f"0/{total}")
        self.box = ipywidgets.HBox([self.bar, self.label])
        display(self.box)
        self.last = ""

    def update(self, done: int, erred: int) -> None:
        self.bar.value = done + erred
        self.last = f"{done + erred}/{self.total} done" + (f", {erred} erred" if erred else "")
        self.label.value = self.last

    def close(self) -> None:
        self.bar.bar_style = "danger" if "erred" in self.last else "success"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _widgets_available() -> bool:
    """ipywidgets 7 or newer in a kernel: what JupyterLab 3/4 and VS Code render.

    Debian bookworm ships ipywidgets 6, whose widgets those front-ends cannot show (nbclient even
    fails on its messages), so there the text bar is used.
    """
    if not _in_kernel():
        return False
    try:
        import ipywidgets
    except ImportError:
        return False
    major = str(getattr(ipywidgets, "__version__", "0")).split(".")[0]
    return major.isdigit() and int(major) >= 7


def progress(futures: Any, *, widget: Optional[bool] = None, stream: Any = None) -> Any:
    """Show a progress bar until every future has finished; return ``futures``.

    Parameters
    ----------
    futures : Future, list, dict or dask collection
        Anything ``distributed.futures_of`` finds futures in (a persisted collection too).
    widget : bool, optional
        ``True`` for an ipywidgets bar, ``False`` for the text bar; by default a widget when
        ipywidgets 7 or newer is importable in a notebook kernel, else text (redrawn in place).
    stream : file, optional
        Where the text bar writes (default: a display output in a kernel, else ``sys.stdout``).

    Returns
    -------
    The ``futures`` given, so ``results = client.gather(drover.progress(futs))`` reads naturally.

    Examples
    --------
    >>> futures = client.map(slow, range(100))  # doctest: +SKIP
    >>> drover.progress(futures)                 # doctest: +SKIP
    [########################################] 100/100 done
    """
    from distributed import as_completed, futures_of

    found: List[Any] = list(futures_of(futures))
    use_widget = _widgets_available() if widget is None else widget
    bar: Any = WidgetBar(len(found)) if use_widget else TextBar(len(found), stream=stream)
    done = erred = 0
    last = 0.0
    bar.update(0, 0)
    for future in as_completed(found):
        if future.status == "finished":
            done += 1
        else:
            erred += 1
        now = time.monotonic()
        if now - last >= _THROTTLE_S or done + erred == len(found):
            last = now
            bar.update(done, erred)
    bar.update(done, erred)
    bar.close()
    return futures


