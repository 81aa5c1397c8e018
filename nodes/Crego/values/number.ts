import { InvalidValue } from './invalidValue';

/** A count such as a number of EMIs: a whole number from 1. Text like "12" is accepted. */
export function parseCount(value: unknown): number {
	const count = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
		throw new InvalidValue('is not a whole number from 1', 'Use a whole number such as 12.');
	}
	return count;
}

/** A rate or fee value: a number from 0 (e.g. 1.5 for 1.5%). Text like "1.5" is accepted. */
export function parseRate(value: unknown): number {
	const rate = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
		throw new InvalidValue('is not a number from 0', 'Use a number such as 1.5.');
	}
	return rate;
}
