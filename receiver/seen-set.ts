// A bounded "seen recently" set for delivery eventIds and event uuids. Okta retries within seconds to minutes,
// so a few thousand recent ids catch its duplicates; the oldest are forgotten first so memory stays flat.
// (A duplicate older than the window is still harmless: actions read Okta's current state and carry asOf.)
export class SeenSet {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be a positive integer');
  }

  has(id: string): boolean {
    if (!this.entries.has(id)) return false;
    // Refresh: an id Okta keeps sending stays remembered.
    this.entries.delete(id);
    this.entries.set(id, true);
    return true;
  }

  add(id: string): void {
    this.entries.delete(id);
    this.entries.set(id, true);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
