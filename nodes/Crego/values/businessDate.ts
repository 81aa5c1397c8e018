import { InvalidValue } from './invalidValue';
import { utcInstantOf, wallClockToInstant, type WallClock } from './timezone';

/** Unix seconds are accepted within 2000-01-01 and 2100-01-01 UTC: outside, it is a unit mix-up. */
const EARLIEST_SECONDS = 946684800;
const LATEST_SECONDS = 4102444800;
/** Spreadsheet serial day numbers for 1982..2173: what Excel shows when a date column is General. */
const SERIAL_DAYS = { min: 30000, max: 99999 };

const ACCEPTED =
	'Use 2023-08-28, 2023-08-28T14:30:00+05:30, 28/08/2023 or 28-08-2023 (day first), or Unix seconds.';

// 2023-08-28, 2023-08-28T14:30, 2023-08-28 14:30:05.123, with an optional Z or ±hh:mm offset
const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// 28/08/2023 or 28-08-2023, optionally followed by 14:30[:05]
const DAY_FIRST = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A business date or date-time as integer Unix seconds. Values without an offset are
 * read as wall-clock time in `zone` (Crego's business dates are IST); an explicit
 * offset wins. Accepts ISO 8601, DD/MM/YYYY and DD-MM-YYYY (Indian bank files), a Luxon
 * DateTime or JS Date from an expression, and Unix seconds within 2000-2100.
 */
export function parseBusinessDate(value: unknown, zone: string): number {
	if (value === undefined || value === null || value === '')
		throw new InvalidValue('is empty', ACCEPTED);
	if (value instanceof Date) return fromInstant(value.getTime());
	if (isLuxonDateTime(value)) {
		if (!value.isValid) throw new InvalidValue('is an invalid date', ACCEPTED);
		return fromInstant(value.toMillis());
	}
	if (typeof value === 'number') return fromNumber(value);
	if (typeof value !== 'string') throw new InvalidValue('is not a date', ACCEPTED);
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
	return fromText(text, zone);
}

function fromInstant(ms: number): number {
	if (Number.isNaN(ms)) throw new InvalidValue('is an invalid date', ACCEPTED);
	return checkRange(Math.floor(ms / 1000));
}

function fromNumber(n: number): number {
	if (!Number.isFinite(n)) throw new InvalidValue('is not a date', ACCEPTED);
	if (n >= SERIAL_DAYS.min && n <= SERIAL_DAYS.max) {
		throw new InvalidValue(
			'looks like a spreadsheet serial day number, not a date',
			'Format the column as a date (e.g. 2023-08-28) in the spreadsheet, or convert it in an expression.',
		);
	}
	if (n >= EARLIEST_SECONDS * 1000 && n < LATEST_SECONDS * 1000) {
		throw new InvalidValue(
			'looks like milliseconds, not Unix seconds',
			'Divide it by 1000, or pass the date as text.',
		);
	}
	return checkRange(Math.floor(n));
}

function fromText(text: string, zone: string): number {
	const iso = ISO.exec(text);
	if (iso) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset] = iso;
		const clock = checkClock({
			year: +y,
			month: +mo,
			day: +d,
			hour: +h,
			minute: +mi,
			second: +s,
			millisecond: Math.floor(Number(`0.${fraction || '0'}`) * 1000),
		});
		return checkRange(Math.floor(instantOf(clock, offset, zone) / 1000));
	}
	const dayFirst = DAY_FIRST.exec(text);
	if (dayFirst) {
		const [, d, , mo, y, h = '0', mi = '0', s = '0'] = dayFirst;
		const clock = checkClock({
			year: +y,
			month: +mo,
			day: +d,
			hour: +h,
			minute: +mi,
			second: +s,
			millisecond: 0,
		});
		return checkRange(Math.floor(wallClockToInstant(clock, zone) / 1000));
	}
	throw new InvalidValue('is not a date this node can read', ACCEPTED);
}

function instantOf(clock: WallClock, offset: string | undefined, zone: string): number {
	if (offset === undefined) return wallClockToInstant(clock, zone);
	const asUtc = utcInstantOf(clock);
	if (offset.toUpperCase() === 'Z') return asUtc;
	return asUtc - offsetMinutes(offset) * 60_000;
}

/** Offsets in use on Earth run from -12:00 to +14:00. */
const OFFSET_RANGE = { west: -12 * 60, east: 14 * 60 };

/** An offset such as +05:30 or -0800, in minutes east of UTC; impossible offsets are refused. */
function offsetMinutes(offset: string): number {
	const sign = offset.startsWith('-') ? -1 : 1;
	const digits = offset.slice(1).replace(':', '');
	const hours = Number(digits.slice(0, 2));
	const minutes = Number(digits.slice(2));
	const total = sign * (hours * 60 + minutes);
	if (minutes > 59 || total < OFFSET_RANGE.west || total > OFFSET_RANGE.east) {
		throw new InvalidValue(
			'has an impossible UTC offset (offsets run from -12:00 to +14:00)',
			ACCEPTED,
		);
	}
	return total;
}

/** Refuses dates that do not exist (31/02/2023, 25:00). */
function checkClock(clock: WallClock): WallClock {
	const probe = new Date(Date.UTC(clock.year, clock.month - 1, clock.day));
	const dayExists =
		probe.getUTCFullYear() === clock.year &&
		probe.getUTCMonth() === clock.month - 1 &&
		probe.getUTCDate() === clock.day;
	if (!dayExists)
		throw new InvalidValue('is not a calendar date (day and month are read day first)', ACCEPTED);
	if (clock.hour > 23 || clock.minute > 59 || clock.second > 59)
		throw new InvalidValue('has an impossible time of day', ACCEPTED);
	return clock;
}

function checkRange(seconds: number): number {
	if (seconds < EARLIEST_SECONDS || seconds >= LATEST_SECONDS) {
		throw new InvalidValue('is outside the years 2000-2099', ACCEPTED);
	}
	return seconds;
}

interface LuxonLike {
	isValid: boolean;
	toMillis(): number;
}

/** Luxon's DateTime, recognised without importing Luxon (the package has no dependencies). */
function isLuxonDateTime(value: unknown): value is LuxonLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		(value as { isLuxonDateTime?: unknown }).isLuxonDateTime === true &&
		typeof (value as LuxonLike).toMillis === 'function'
	);
}
