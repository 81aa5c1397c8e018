import { InvalidValue } from './invalidValue';

/** Crego's business dates are Indian Standard Time (see the README's decisions). */
export const DEFAULT_BUSINESS_TIMEZONE = 'Asia/Kolkata';

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond: number;
}

/** The instant at which a UTC clock shows this wall-clock time. */
export const utcInstantOf = (clock: WallClock) =>
	Date.UTC(
		clock.year,
		clock.month - 1,
		clock.day,
		clock.hour,
		clock.minute,
		clock.second,
		clock.millisecond,
	);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Checks an IANA timezone name (e.g. Asia/Kolkata) with the runtime's own database. */
export function parseTimezone(value: unknown): string {
	const zone = typeof value === 'string' ? value.trim() : '';
	if (zone === '') return DEFAULT_BUSINESS_TIMEZONE;
	if (!isKnownTimezone(zone)) {
		throw new InvalidValue(
			'is not a timezone name',
			'Use an IANA name such as Asia/Kolkata or Europe/London.',
		);
	}
	return zone;
}

function isKnownTimezone(zone: string): boolean {
	try {
		formatterFor(zone);
		return true;
	} catch {
		return false;
	}
}

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(zone, formatter);
	}
	return formatter;
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function zoneOffsetMs(instantMs: number, zone: string): number {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(zone).formatToParts(new Date(instantMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const asUtc = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The instant at which the zone's wall clock shows the given time (first one, around DST gaps). */
export function wallClockToInstant(clock: WallClock, zone: string): number {
	const asUtc = utcInstantOf(clock);
	const firstGuess = asUtc - zoneOffsetMs(asUtc, zone);
	const offset = zoneOffsetMs(firstGuess, zone);
	return asUtc - offset;
}

/** An instant as ISO 8601 in the zone, with its offset: 2024-01-05T23:59:59.999+05:30. */
export function formatInZone(instantMs: number, zone: string): string {
	const offsetMs = zoneOffsetMs(instantMs, zone);
	const local = new Date(instantMs + offsetMs).toISOString().slice(0, 23);
	const minutes = Math.round(offsetMs / 60_000);
	const sign = minutes < 0 ? '-' : '+';
	const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
	const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
	return `${local}${sign}${hh}:${mm}`;
}
