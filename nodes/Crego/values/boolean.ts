import { InvalidValue } from './invalidValue';

/** The words a switch accepts, whatever the case: what spreadsheets and expressions give. */
const TRUE_WORDS = ['true', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'no', 'n', '0'];

/**
 * A switch (every boolean field and option, Validate Only included): true or false, the
 * numbers 1 and 0, or the words above as text. Anything else, an empty cell included, is
 * refused rather than guessed: a guess on "Validate Only" would send real payments.
 */
export function parseBoolean(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text !== undefined && TRUE_WORDS.includes(text)) return true;
	if (text !== undefined && FALSE_WORDS.includes(text)) return false;
	const empty = value === undefined || value === null || text === '';
	throw new InvalidValue(
		empty ? 'is empty' : 'is neither true nor false',
		'Use true or false (yes or no, 1 or 0).',
	);
}
