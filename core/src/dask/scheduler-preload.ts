/**
 * The scheduler preload Drover gives every Dask scheduler it starts (written into the cluster's
 * directory and passed with `--preload`). It
 * - stops the scheduler when Drover's end of its stdin closes, so a Drover that is killed outright
 *   leaves no scheduler behind (the workers then end after their death timeout);
 * - pushes the task stream: a scheduler plugin sees every task finish (`processing` → `memory` or
 *   `erred`, with the worker's compute start and stop) and writes them in batches, ten a second, as
 *   `DROVER-TASKS <json>` lines on stdout, which Drover reads; and the task groups' counts by state
 *   (`DROVER-GROUPS <json>`) for the progress bars. No polling of tasks, nothing unpickled.
 */
export const TASKS_PREFIX = 'DROVER-TASKS ';
/** Task counts by group and state (Dask's own task groups), twice a second while they change. */
export const GROUPS_PREFIX = 'DROVER-GROUPS ';

export const SCHEDULER_PRELOAD = `import json, os, signal, sys, threading, time

from dask.utils import key_split
from distributed.diagnostics.plugin import SchedulerPlugin
from tornado.ioloop import PeriodicCallback


def _exit_with_stdin():
    while sys.stdin.buffer.read(65536):
        pass
    os.kill(os.getpid(), signal.SIGTERM)


class DroverTaskStream(SchedulerPlugin):
    name = "drover-task-stream"

    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.pending = []
        self.lane_ends = {}  # worker name -> when each of its lanes is free again
        self.ticks = 0
        self.last_groups = None

    def transition(self, key, start, finish, *args, **kwargs):
        if start != "processing" or finish not in ("memory", "erred"):
            return
        address = kwargs.get("worker")
        state = self.scheduler.workers.get(address)
        worker = str(state.name) if state is not None else str(address)
        compute = [s for s in kwargs.get("startstops") or () if s.get("action") == "compute"]
        stop = compute[-1]["stop"] if compute else time.time()
        begin = compute[0]["start"] if compute else stop
        self.pending.append({"key": str(key), "group": key_split(key), "worker": worker,
                             "slot": self._lane(worker, begin, stop), "start": begin * 1000,
                             "stop": stop * 1000, "outcome": "memory" if finish == "memory" else "erred"})

    def remove_worker(self, scheduler=None, worker=None, **kwargs):
        state = self.scheduler.workers.get(worker)
        self.lane_ends.pop(str(state.name) if state is not None else str(worker), None)

    def _lane(self, worker, begin, stop):
        ends = self.lane_ends.setdefault(worker, [])
        for lane, end in enumerate(ends):
            if end <= begin + 1e-6:
                ends[lane] = stop
                return lane
        ends.append(stop)
        return len(ends) - 1

    def flush(self):
        if self.pending:
            batch, self.pending = self.pending, []
            sys.stdout.write("${TASKS_PREFIX}" + json.dumps(batch) + "\\n")
            sys.stdout.flush()
        self.ticks += 1
        if self.ticks % 5 == 0:
            groups = {name: {state: n for state, n in group.states.items() if n}
                      for name, group in self.scheduler.task_groups.items()}
            if groups != self.last_groups:
                self.last_groups = groups
                sys.stdout.write("${GROUPS_PREFIX}" + json.dumps(groups) + "\\n")
                sys.stdout.flush()


def dask_setup(scheduler):
    threading.Thread(target=_exit_with_stdin, name="drover-exit-with-stdin", daemon=True).start()
    plugin = DroverTaskStream(scheduler)
    scheduler.add_plugin(plugin)
    flusher = PeriodicCallback(plugin.flush, 100)
    scheduler.periodic_callbacks["drover-task-stream"] = flusher
    flusher.start()
`;
