/** Time for the simulator: an injectable clock, a lazily-run task queue, and a seeded PRNG. */

/** A source of "now" in epoch milliseconds; tests may pass a manual clock. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (for tests of timed transitions). */
export class ManualClock implements Clock {
  constructor(private time = Date.now()) {}
  now(): number {
    return this.time;
  }
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.time += ms;
  }
}

interface Task {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * Status changes are tasks due at a time. They run before each request is handled (and on a timer
 * when the clock is the wall clock), so with zero delays a transition is visible on the next poll
 * and the outcome never depends on timer races.
 */
export class Scheduler {
  private tasks: Task[] = [];
  private seq = 0;
  /** While a task runs, its due time: tasks it schedules count from when it was due, not from now. */
  private base: number | undefined;
  constructor(private readonly clock: Clock) {}

  /** Runs `fn` once `delayMs` have passed. */
  schedule(delayMs: number, fn: () => void): void {
    this.tasks.push({ at: (this.base ?? this.clock.now()) + Math.max(0, delayMs), seq: this.seq++, fn });
  }

  /** Runs every due task (including tasks scheduled by them that are already due), in order. */
  runDue(): number {
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      let task: Task | undefined;
      for (const due of this.tasks) {
        if (due.at <= now && (!task || due.at < task.at || (due.at === task.at && due.seq < task.seq))) task = due;
      }
      if (!task) return ran;
      this.tasks.splice(this.tasks.indexOf(task), 1);
      this.base = task.at;
      try {
        task.fn();
      } finally {
        this.base = undefined;
      }
      ran++;
    }
  }

  /** How many tasks are waiting. */
  get pending(): number {
    return this.tasks.length;
  }
}

/** Deterministic PRNG (mulberry32); `seed` undefined means a random seed. */
export class Random {
  private state: number;
  constructor(seed?: number) {
    this.state = (seed ?? Math.floor(Math.random() * 2 ** 32)) >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let time = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    time = Math.imul(time ^ (time >>> 15), time | 1);
    time ^= time + Math.imul(time ^ (time >>> 7), time | 61);
    return ((time ^ (time >>> 14)) >>> 0) / 4294967296;
  }
  /** `n` random hex digits. */
  hex(count: number): string {
    let text = '';
    while (text.length < count) text += Math.floor(this.next() * 16).toString(16);
    return text;
  }
  /** A version-4-shaped UUID from this generator. */
  uuid(): string {
    const hex = this.hex(32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'.charAt(parseInt(hex.charAt(16), 16) & 3)}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

/** Named status-change delays in milliseconds. */
export interface Delays {
  diskLock: number;
  vmImageLocked: number;
  templateLock: number;
  waitForLaunch: number;
  poweringUp: number;
  poweringDown: number;
  reboot: number;
  suspend: number;
  ipReport: number;
}

/** The three delay profiles: none (tests), fast (e2e with visible transitions), realistic (demos). */
export function delayProfile(name: 'none' | 'fast' | 'realistic'): Delays {
  if (name === 'none') {
    return {
      diskLock: 0,
      vmImageLocked: 0,
      templateLock: 0,
      waitForLaunch: 0,
      poweringUp: 0,
      poweringDown: 0,
      reboot: 0,
      suspend: 0,
      ipReport: 0,
    };
  }
  if (name === 'fast') {
    return {
      diskLock: 100,
      vmImageLocked: 150,
      templateLock: 150,
      waitForLaunch: 50,
      poweringUp: 100,
      poweringDown: 100,
      reboot: 100,
      suspend: 100,
      ipReport: 200,
    };
  }
  return {
    diskLock: 3000,
    vmImageLocked: 5000,
    templateLock: 8000,
    waitForLaunch: 2000,
    poweringUp: 5000,
    poweringDown: 4000,
    reboot: 6000,
    suspend: 4000,
    ipReport: 10000,
  };
}
