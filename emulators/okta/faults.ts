// Injected faults for /api/v1 calls, so clients and activities can be tested against 5xx, 429, slow answers,
// refused connections and lost responses (the change is made, the answer never arrives).
export interface FaultSpec {
  /** Only requests with this method (any when omitted). */
  method?: string;
  /** Only requests whose path contains this text (any when omitted). */
  pathContains?: string;
  /** Answer with this status and Okta's error body for it, without running the handler. */
  status?: number;
  /** Close the socket without an answer, before the handler runs (the change is not made). */
  dropConnection?: boolean;
  /** Run the handler, then close the socket: the change is made but the caller never hears of it. */
  dropResponse?: boolean;
  /** Wait this long before answering (combine with nothing to emulate a slow Okta). */
  delayMs?: number;
  /** How many matching requests this fault applies to; default 1. */
  times?: number;
}

interface ArmedFault extends FaultSpec {
  left: number;
}

export class FaultPlan {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): FaultSpec[] {
    return this.faults.map(({ left, ...spec }) => ({ ...spec, times: left }));
  }

  /** The first armed fault matching the request, consumed by one use. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.pathContains || path.includes(f.pathContains)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
