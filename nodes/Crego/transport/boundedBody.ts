/**
 * An answer's body read from its stream, never more than a limit counted after
 * decompression (n8n's helper hands over the stream axios already decompresses): a
 * gzip bomb stops at the limit, having cost the limit in memory, not what it would
 * expand to. The read ends at the limit, at the end of the body, when the stream fails
 * (a reset, a corrupt compression) or when the signal aborts (the deadline, Stop); the
 * status was known before, so the caller decides what each end means.
 */

/** A success body is read up to this much: a page of settlements or a record is a few KB. */
export const MAX_SUCCESS_BYTES = 4 * 1024 * 1024;
/** An error body is read up to this much: enough for any message, bounded for any answer. */
export const MAX_ERROR_BYTES = 64 * 1024;

/** The part of Node's Readable this file uses (n8n's rules allow no import of node:stream). */
export interface BodyStream {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	once(event: 'end' | 'close', listener: () => void): unknown;
	once(event: 'error', listener: (error: unknown) => void): unknown;
	off(event: string, listener: (...args: never[]) => void): unknown;
	read(): unknown;
	destroy(): unknown;
	readonly destroyed: boolean;
}

export interface BodyReading {
	text: string;
	/** Bytes kept (after decompression). */
	bytes: number;
	/** The body went on past the limit: the rest was not read. */
	overLimit: boolean;
	/** Why the read stopped before the body's end: a network or decompression code, TIMEOUT or CANCELLED. */
	failure?: string;
}

export async function readBounded(
	stream: BodyStream,
	limit: number,
	signal: AbortSignal,
	cancelled?: AbortSignal,
): Promise<BodyReading> {
	const chunks: Buffer[] = [];
	let bytes = 0;
	return await new Promise<BodyReading>((resolve) => {
		let ended = false;
		const end = (reading: Omit<BodyReading, 'text' | 'bytes'>) => {
			if (ended) return;
			ended = true;
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
			stream.off('close', onClose);
			signal.removeEventListener('abort', onAbort);
			// Nothing more is read: the connection is closed rather than drained.
			if (!stream.destroyed && (reading.overLimit || reading.failure)) stream.destroy();
			resolve({ text: Buffer.concat(chunks).toString('utf8'), bytes, ...reading });
		};
		const onData = (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			const room = limit - bytes;
			if (buffer.length > room) {
				chunks.push(buffer.subarray(0, room));
				bytes += room;
				end({ overLimit: true });
				return;
			}
			chunks.push(buffer);
			bytes += buffer.length;
		};
		const onEnd = () => end({ overLimit: false });
		const onAbort = () =>
			end({ overLimit: false, failure: cancelled?.aborted ? 'CANCELLED' : 'TIMEOUT' });
		// The helper may destroy the stream on the same abort before this file hears of it: the abort is the reason.
		const onError = (error: unknown) =>
			signal.aborted ? onAbort() : end({ overLimit: false, failure: failureCodeOf(error) });
		// A stream closed without 'end' was cut short (the socket went away).
		const onClose = () =>
			signal.aborted ? onAbort() : end({ overLimit: false, failure: 'ECONNRESET' });
		if (signal.aborted) return onAbort();
		stream.on('data', onData);
		stream.once('end', onEnd);
		stream.once('error', onError);
		stream.once('close', onClose);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** A Node code (ECONNRESET, Z_DATA_ERROR…) of a stream's failure. */
function failureCodeOf(error: unknown): string {
	const code = (error as { code?: unknown } | undefined)?.code;
	return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'EBODY';
}

/** Whether a read failure was the body's compression, not the network: the bytes came, they were not gzip. */
export const isCorruptCompression = (code: string | undefined) =>
	code !== undefined && /^Z_|ERR_BROTLI|ERR__ZLIB/.test(code);
