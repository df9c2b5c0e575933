// Saving and loading the emulator state file. Writes go to a temporary file and are renamed into place, so a
// crash mid-write leaves the previous state rather than half a JSON document.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OrgState } from './store';
import type { TokenRecord } from './tokens';

export interface PersistedState {
  format: 'genesys-emulator-state/1';
  savedAt: string;
  orgs: OrgState[];
  tokens: TokenRecord[];
}

export function readStateFile(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
  if (parsed.format !== 'genesys-emulator-state/1') throw new Error(`${file} is not a Genesys emulator state file`);
  return parsed;
}

export async function writeStateFile(file: string, orgs: OrgState[], tokens: TokenRecord[]): Promise<void> {
  const state: PersistedState = { format: 'genesys-emulator-state/1', savedAt: new Date().toISOString(), orgs, tokens };
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, file);
}

/** Debounced autosave: many writes in a burst produce one file write; saves never overlap. */
export class AutoSaver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly saveNow: () => Promise<void>,
    private readonly delayMs = 200,
  ) {}

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((err: unknown) =>
        process.stderr.write(`genesys emulator: autosave failed: ${String(err)}\n`),
      );
    }, this.delayMs);
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.running = this.running.then(this.saveNow, this.saveNow);
    return this.running;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
