import { InvalidValue } from './invalidValue';

const TRUE = ['true', 'yes', 'y', '1'];
const FALSE = ['false', 'no', 'n', '0', ''];

/** A switch, also when an expression maps it from a spreadsheet's "yes"/"no" or "TRUE"/"FALSE". */
export function parseBoolean(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text !== undefined && TRUE.includes(text)) return true;
	if (text !== undefined && FALSE.includes(text)) return false;
	throw new InvalidValue('is neither true nor false', 'Use true or false (yes or no).');
}
