/** The outcome an output item reports: an error item's `message.outcome`, or undefined for a success. */
export function outcomeOf(item: { json: Record<string, unknown> }): string | undefined {
	const message = item.json.message;
	return message && typeof message === 'object'
		? ((message as Record<string, unknown>).outcome as string)
		: undefined;
}
