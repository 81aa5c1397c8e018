import { InvalidValue } from './invalidValue';

/**
 * A UUID as text, for the editor's check of a typed ID: n8n anchors it itself (^…$).
 * Surrounding spaces are allowed, as parseUuid trims them.
 */
export const CREGO_ID_PATTERN =
	'\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Crego ID: every ID in Crego's API is a UUID. Surrounding spaces are trimmed. */
export function parseUuid(value: unknown): string {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new InvalidValue('is empty', 'Crego IDs look like 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69.');
	}
	const id = typeof value === 'string' ? value.trim() : undefined;
	if (id === undefined || !UUID.test(id)) {
		throw new InvalidValue(
			'is not a Crego ID (a UUID)',
			'Crego IDs look like 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69.',
		);
	}
	return id;
}
