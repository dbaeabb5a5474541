// When is a sync window in force? Argo CD's rule (SyncWindow.active): the window is active at `now` when the
// schedule fires at some minute T with now - duration < T < now, in the window's time zone. Schedules are
// standard 5-field cron (robfig/cron with descriptors), durations are Go durations ("1h30m", "24h").

class ScheduleError extends Error {}

interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  /** robfig: day-of-month and day-of-week are AND-ed when either starts with '*' (or '?'), else OR-ed. */
  domStar: boolean;
  dowStar: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(text: string, names: string[] | undefined, offset: number, field: string): number {
  const upper = text.toUpperCase();
  if (names) {
    const i = names.indexOf(upper);
    if (i >= 0) return i + offset;
  }
  if (!/^\d+$/.test(text)) throw new ScheduleError(`"${text}" is not a number in the ${field} field`);
  return Number(text);
}

function parseField(text: string, min: number, max: number, field: string, names?: string[], nameOffset = 0): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new ScheduleError(`"${part}" is not a valid ${field} entry`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleError(`step "${stepText}" in the ${field} field must be a positive integer`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      lo = parseValue(a ?? '', names, nameOffset, field);
      hi = parseValue(b ?? '', names, nameOffset, field);
    } else {
      lo = parseValue(range, names, nameOffset, field);
      hi = stepText === undefined ? lo : max; // robfig: "a/n" means a-max/n
    }
    if (lo < min || hi > max || lo > hi) throw new ScheduleError(`${field} "${range}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

export function parseCron(schedule: string): CronSpec {
  const text = DESCRIPTORS[schedule.trim().toLowerCase()] ?? schedule.trim();
  if (text.startsWith('@')) throw new ScheduleError(`schedule "${schedule}" uses a descriptor this tool does not evaluate`);
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new ScheduleError(`schedule "${schedule}" needs 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  return {
    minute: parseField(mi, 0, 59, 'minute'),
    hour: parseField(h, 0, 23, 'hour'),
    dom: parseField(dom, 1, 31, 'day-of-month'),
    month: parseField(mon, 1, 12, 'month', MONTHS, 1),
    dow: parseField(dow, 0, 6, 'day-of-week', DAYS, 0),
    domStar: dom.startsWith('*') || dom.startsWith('?'),
    dowStar: dow.startsWith('*') || dow.startsWith('?'),
  };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds. */
export function parseGoDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s.length === 0 || matched !== s.length) throw new ScheduleError(`duration "${text}" is not a Go duration (e.g. 1h30m, 24h, 90m)`);
  return total;
}

/** Offset of a time zone from UTC at an instant, in ms; undefined for an unknown zone. */
export function timeZoneOffsetMs(timeZone: string, at: Date): number | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return local - Math.floor(at.getTime() / 1000) * 1000;
  } catch {
    return undefined;
  }
}

function dayMatches(spec: CronSpec, d: Date): boolean {
  if (!spec.month.has(d.getUTCMonth() + 1)) return false;
  const dom = spec.dom.has(d.getUTCDate());
  const dow = spec.dow.has(d.getUTCDay());
  return spec.domStar || spec.dowStar ? dom && dow : dom || dow;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Whether the cron fires at some minute T with from < T < to (instants already shifted into the zone). */
function firesBetween(spec: CronSpec, fromMs: number, toMs: number): boolean {
  let t = Math.floor(fromMs / MINUTE) * MINUTE + MINUTE;
  for (let guard = 0; t < toMs && guard < 2_000_000; guard++) {
    const d = new Date(t);
    if (!dayMatches(spec, d)) {
      t = Math.floor(t / DAY) * DAY + DAY;
      continue;
    }
    if (!spec.hour.has(d.getUTCHours())) {
      t = Math.floor(t / HOUR) * HOUR + HOUR;
      continue;
    }
    if (spec.minute.has(d.getUTCMinutes())) return true;
    t += MINUTE;
  }
  return false;
}

/**
 * Whether the cron fires at some instant T with from < T < to, reading the cron in a zone whose offset may change
 * in between (daylight saving): the look-back is cut where the offset changes and each piece is read with its own
 * offset, so a window that spans the change is neither an hour early nor late.
 */
function firesBetweenInstants(spec: CronSpec, fromMs: number, toMs: number, offsetAt: (t: number) => number): boolean {
  // Zones change their offset at most a few times a year: pieces of 7 days hold at most one change each.
  for (let start = fromMs; start < toMs; start += 7 * DAY) {
    const end = Math.min(toMs, start + 7 * DAY);
    if (firesInPiece(spec, start, end, offsetAt)) return true;
  }
  return false;
}

function firesInPiece(spec: CronSpec, fromMs: number, toMs: number, offsetAt: (t: number) => number): boolean {
  const before = offsetAt(fromMs);
  const after = offsetAt(toMs);
  if (before === after) return firesBetween(spec, fromMs + before, toMs + after);
  // The first instant with the new offset, to the millisecond.
  let lo = fromMs;
  let hi = toMs;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  // (from, hi) in the old offset; [hi, to) in the new one (hi - 1 keeps hi itself in the second piece).
  return firesBetween(spec, fromMs + before, hi + before) || firesBetween(spec, hi - 1 + after, toMs + after);
}

export interface WindowTiming {
  active: boolean;
  /** Why the window could not be evaluated (Argo CD would refuse it too). */
  invalid?: string;
  /** Set when the time zone is unknown and UTC was used, as Argo CD does. */
  note?: string;
}

export function windowTiming(w: { schedule?: string; duration?: string; timeZone?: string }, now: Date): WindowTiming {
  try {
    const spec = parseCron(w.schedule ?? '');
    const duration = parseGoDuration(w.duration ?? '');
    let offsetAt = (_t: number): number => 0;
    let note: string | undefined;
    if (w.timeZone && w.timeZone !== 'UTC') {
      const zone = w.timeZone;
      if (timeZoneOffsetMs(zone, now) === undefined) note = `unknown time zone "${zone}": evaluated in UTC`;
      else offsetAt = (t) => timeZoneOffsetMs(zone, new Date(t)) ?? 0;
    }
    const end = now.getTime();
    return { active: firesBetweenInstants(spec, end - duration, end, offsetAt), ...(note ? { note } : {}) };
  } catch (e) {
    if (e instanceof ScheduleError) return { active: false, invalid: e.message };
    throw e;
  }
}
