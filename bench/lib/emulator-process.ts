/**
 * The benchmark's DynamoDB emulator in a child process (docs/decisions/0056): dynalite on LevelDB on
 * disk, on the second core, so the benchmark process's memory and CPU are our code's, and the
 * emulator's memory is measured apart from it (an emulator's memory is not a Lambda's).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export interface EmulatorProcess {
  readonly endpoint: string;
  readonly pid: number;
  /** Resident memory of the child now, bytes (0 where /proc is not there). */
  rss(): number;
  stop(): Promise<void>;
}

const Ready = z.object({ port: z.number().int().positive() });

/** Resident memory of a process from /proc (Linux); 0 elsewhere. */
export function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); 0 elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  } catch {
    return 0;
  }
}

export async function startEmulatorProcess(folder: string): Promise<EmulatorProcess> {
  // The parent runs under tsx (npm run bench:scale): the child gets the same loader flags.
  const execArgv = process.execArgv.length > 0 ? process.execArgv : ['--import', 'tsx'];
  const child: ChildProcess = fork(fileURLToPath(new URL('./emulator-child.ts', import.meta.url)), [folder], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(Ready.parse(message).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code}) before it listened`)));
  });
  const pid = child.pid ?? 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    rss: () => residentBytes(pid),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
