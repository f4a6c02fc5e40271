import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** How long a process group gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 2000;

/** How often a stopping group is checked for survivors. */
const POLL_MS = 25;

/**
 * After SIGKILL, how long to wait for the group's processes to disappear. Bounded because where zombies
 * cannot be told apart (outside Linux) a reparented zombie counts as a member until init reaps it.
 */
const REAP_WAIT_MS = 1000;

/** Process groups started by this process and not yet stopped; killed if this process exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Records a process group (a `detached` child's pid) so that it is killed with SIGKILL if this process
 * exits while the group still runs.
 *
 * #### Notes
 * This covers a normal exit and `process.exit()`. A worker killed by a signal cannot run handlers; its
 * shutdown path should abort running tasks, which stops their groups through {@link stopProcessGroup}.
 */
export function trackProcessGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
}

/** Whether any process of the group still exists (zombies included). */
export function processGroupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM means a member exists but belongs to someone else (it changed its uid): still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops every process in a group: SIGTERM, then SIGKILL for whatever is left after `graceMs`.
 * Resolves at once when the group is already empty, otherwise when it is gone (or, after SIGKILL, when
 * {@link REAP_WAIT_MS} has passed). Never rejects.
 */
export async function stopProcessGroup(pgid: number, graceMs: number = STOP_GRACE_MS): Promise<void> {
  try {
    if (!processGroupExists(pgid)) return;
    signalGroup(pgid, 'SIGTERM');
    if (await waitUntilGone(pgid, graceMs)) return;
    // The kill is for the stragglers only; the grace above gave everyone the chance to clean up.
    signalGroup(pgid, 'SIGKILL');
    await waitUntilGone(pgid, REAP_WAIT_MS);
  } finally {
    liveGroups.delete(pgid);
  }
}

// Private: what follows is internal to this module.

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group ended between the check and the signal, which is what we want.
  }
}

async function waitUntilGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (await groupHasRunningMember(pgid)) {
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

/**
 * Like {@link processGroupExists} but, on Linux, not counting zombies: a killed grandchild is reparented
 * to init, and some container inits reap only every second or so; waiting for that would add the whole
 * grace period to every stop.
 */
async function groupHasRunningMember(pgid: number): Promise<boolean> {
  if (!processGroupExists(pgid)) return false;
  if (process.platform !== 'linux') return true;
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return true;
  const target = String(pgid);
  const states = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => readFile(`/proc/${pid}/stat`, 'latin1').then(runningInGroup, () => false)),
  );
  return states.includes(true);

  // /proc/<pid>/stat is "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses.
  function runningInGroup(stat: string): boolean {
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    return pgrp === target && state !== 'Z';
  }
}
