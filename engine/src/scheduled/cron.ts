/**
 * Five-field cron schedules (minute, hour, day of month, month, day of week) evaluated in UTC,
 * as Hasura's cron triggers are. Fields take `*`, numbers, ranges `a-b`, steps `*\/n` and
 * `a-b/n`, lists `a,b`, and the names `JAN`..`DEC` and `SUN`..`SAT`; day of week 7 is Sunday.
 * When both day fields are restricted, a day matches either of them, as in Vixie cron.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

const monthNames = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRange {
  label: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset of the first name: months are numbered from 1, days from 0. */
  nameBase?: number;
}

const fieldRanges: FieldRange[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: monthNames, nameBase: 1 },
  { label: 'day of week', min: 0, max: 7, names: dayNames, nameBase: 0 },
];

function parseValue(text: string, range: FieldRange): number {
  const index = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + (range.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new Error(`invalid ${range.label} "${text}"`);
  const value = Number(text);
  if (value < range.min || value > range.max) {
    throw new Error(`${range.label} ${value} is outside ${range.min}-${range.max}`);
  }
  return value;
}

function parseField(text: string, range: FieldRange): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [base = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in "${part}"`);
    let low: number;
    let high: number;
    if (base === '*') {
      low = range.min;
      high = range.max;
    } else if (base.includes('-')) {
      const [from = '', to = ''] = base.split('-');
      low = parseValue(from, range);
      high = parseValue(to, range);
      if (low > high) throw new Error(`invalid range "${base}" for ${range.label}`);
    } else {
      low = parseValue(base, range);
      high = stepText === undefined ? low : range.max;
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

/** Parses a schedule; throws an `Error` that names the invalid field. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`expected 5 fields in cron schedule "${expression}", got ${fields.length}`);
  }
  const sets = fields.map((field, index) => parseField(field, fieldRanges[index] as FieldRange));
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayOfMonthRestricted: fields[2]?.startsWith('*') !== true,
    dayOfWeekRestricted: fields[4]?.startsWith('*') !== true,
  };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const byMonthDay = schedule.daysOfMonth.has(date.getUTCDate());
  const byWeekDay = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return byMonthDay || byWeekDay;
  return byMonthDay && byWeekDay;
}

/** The first time after `after` (exclusive, whole minutes) that the schedule matches. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date {
  const time = new Date(after.getTime());
  time.setUTCSeconds(0, 0);
  time.setUTCMinutes(time.getUTCMinutes() + 1);
  // Eight years cover every combination of month, day and weekday, leap years included.
  const limit = after.getTime() + 8 * 366 * 24 * 3600 * 1000;
  while (time.getTime() <= limit) {
    if (!schedule.months.has(time.getUTCMonth() + 1)) {
      time.setUTCMonth(time.getUTCMonth() + 1, 1);
      time.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, time)) {
      time.setUTCDate(time.getUTCDate() + 1);
      time.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(time.getUTCHours())) {
      time.setUTCHours(time.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(time.getUTCMinutes())) {
      time.setUTCMinutes(time.getUTCMinutes() + 1, 0, 0);
    } else {
      return time;
    }
  }
  throw new Error('cron schedule never matches');
}

/** The next `count` times after `after` that the schedule matches. */
export function nextCronTimes(schedule: CronSchedule, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let cursor = after;
  for (let i = 0; i < count; i += 1) {
    cursor = nextCronTime(schedule, cursor);
    times.push(cursor);
  }
  return times;
}
