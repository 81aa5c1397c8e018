import { InvalidValue } from './invalidValue';

/**
 * Whole numbers (a number of EMIs, a limit, a timeout, a concurrency): digits only, as a
 * number or as text from a sheet ("12"). No signs, decimals, hex, binary or exponents.
 */
export function parseWholeNumber(
	value: unknown,
	{ min, max }: { min: number; max: number },
): number {
	const hint = `Use a whole number from ${min} to ${max}.`;
	let number: number;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) number = Number(value.trim());
	else if (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '')
	)
		throw new InvalidValue('is empty', hint);
	else throw new InvalidValue('is not a whole number', hint);
	if (!Number.isSafeInteger(number)) throw new InvalidValue('is not a whole number', hint);
	if (number < min || number > max)
		throw new InvalidValue(`is not a whole number from ${min} to ${max}`, hint);
	return number;
}

/** A count such as a number of EMIs or a limit: from 1. */
export const parseCount = (value: unknown) => parseWholeNumber(value, { min: 1, max: 1_000_000 });
