// Season start/end are written the way people plan them: a local date and time in the season's time zone
// ("2026-11-15 08:00", America/New_York). Stored as ISO-8601 instants so timers never depend on a zone.
// Node's Intl carries the IANA database, so no date library is needed.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localPartsAt(instantMs: number, zone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

function asUtcMs(p: LocalParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at an instant, in ms (e.g. −5 h for New York in winter). */
function offsetAt(instantMs: number, zone: string): number {
  return asUtcMs(localPartsAt(instantMs, zone)) - Math.floor(instantMs / 1000) * 1000;
}

export type ZonedTimeResult = { ok: true; iso: string } | { ok: false; problem: string };

/**
 * "2026-11-15 08:00" (or with T, optional seconds) in `zone` → ISO instant. A full ISO instant with Z or an
 * offset is taken as is. A local time that does not exist (skipped by a DST change) is refused rather than
 * shifted silently; an ambiguous one (repeated hour) takes the earlier instant.
 */
export function zonedTimeToInstant(text: string, zone: string): ZonedTimeResult {
  const value = text.trim();
  if (WITH_OFFSET.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms)
      ? { ok: false, problem: `"${value}" is not a valid date and time` }
      : { ok: true, iso: new Date(ms).toISOString() };
  }
  const m = LOCAL.exec(value);
  if (!m) {
    return {
      ok: false,
      problem: `"${value}" is not a date and time: write it like "2026-11-15 08:00" (local time in the season's timeZone)`,
    };
  }
  const wanted: LocalParts = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? '0'),
  };
  const naive = asUtcMs(wanted);
  const check = new Date(naive);
  if (
    check.getUTCMonth() + 1 !== wanted.month ||
    check.getUTCDate() !== wanted.day ||
    wanted.hour > 23 ||
    wanted.minute > 59 ||
    wanted.second > 59
  ) {
    return { ok: false, problem: `"${value}" is not a real calendar date and time` };
  }
  // Two passes settle the offset on either side of a DST change; try both candidates and keep the earliest that
  // reads back as the wanted local time.
  const first = naive - offsetAt(naive, zone);
  const candidates = [first, naive - offsetAt(first, zone)].sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (asUtcMs(localPartsAt(candidate, zone)) === naive) return { ok: true, iso: new Date(candidate).toISOString() };
  }
  return {
    ok: false,
    problem: `"${value}" does not exist in ${zone} (the clocks skip it at a daylight-saving change)`,
  };
}
