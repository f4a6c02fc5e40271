import { readFile } from 'node:fs/promises';
import { writePrivateJson } from '../util/private-file.js';

/** What a scheduler file holds (ESPEI style: one program writes it, others connect through it). */
export interface SchedulerFileContents {
  address: string;
  token: string;
  id: string;
  /** ISO time the scheduler started. */
  started: string;
  /** http URL of the status pages. */
  dashboard: string;
  pid: number;
  /** With a wss:// address: the certificate authority file to trust. */
  tlsCa?: string;
}

/** Writes the file with mode 0600 (it holds the token), atomically. */
export async function writeSchedulerFile(path: string, contents: SchedulerFileContents): Promise<void> {
  await writePrivateJson(path, contents);
}

/** Reads a scheduler file; errors say which file and what is wrong with it. */
export async function readSchedulerFile(path: string): Promise<SchedulerFileContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read scheduler file ${path}: ${(error as Error).message}; is the scheduler started?`,
    );
  }
  let parsed: Partial<SchedulerFileContents>;
  try {
    parsed = JSON.parse(text) as Partial<SchedulerFileContents>;
  } catch {
    throw new Error(
      `scheduler file ${path} is not JSON; was it written by 'drover scheduler --scheduler-file'?`,
    );
  }
  if (typeof parsed.address !== 'string' || typeof parsed.token !== 'string') {
    throw new Error(`scheduler file ${path} lacks 'address' or 'token'`);
  }
  return parsed as SchedulerFileContents;
}
