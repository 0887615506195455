import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The processes a benchmark started, read from /proc: the launcher detaches its children
// (each in its own process group), so a signal to the launcher's group misses them, and what
// is still alive after a stop has to be found by walking the tree.

export type Proc = { pid: number; ppid: number; start: string; cmd: string; rssKb: number };

export function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; fields after it are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(rest[1]), start: rest[19] ?? '', cmd, rssKb: rss };
  } catch {
    return null;
  }
}

export function allProcs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

export function descendants(root: number, procs: Proc[]): Proc[] {
  const byParent = new Map<number, Proc[]>();
  for (const p of procs) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of byParent.get(stack.pop() ?? -1) ?? []) {
      out.push(c);
      stack.push(c.pid);
    }
  }
  return out;
}

/** The postmaster's pid, from the first line of postmaster.pid (wherever the launcher put the server in its tree). */
export function postmasterPid(pgData: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Still the same process (a pid can be reused once its process is gone). */
export const alive = (p: Proc) => readProc(p.pid)?.start === p.start;

export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
