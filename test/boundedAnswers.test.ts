/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Answers have a bound: a body is read as a stream up to 4 MiB for a success and 64 KB
 * for an error, counted after decompression. A 2xx over it, cut short or corruptly
 * compressed is still done (a write); a read over it fails once, clearly, and is not
 * sent again. The gzip bomb's memory is measured in a process of its own.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { outcomeOf } from './helpers/outcome';
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';
import { getDocsRecord, RECORD_PATH, REFUND_PATH, refundOfDocsLoan } from './helpers/parameters';

const sandbox = useSandbox();

const refund = refundOfDocsLoan;
const getRecord = getDocsRecord;

test('a 600 MiB gzip bomb in a 201: done, its body not read, peak memory up by less than 50 MiB, answered at once', async () => {
	const { stdout } = await promisify(execFile)(
		process.execPath,
		[require.resolve('tsx/cli'), 'test/helpers/answerMemory.ts', '600'],
		{ timeout: 60_000 },
	);
	const figures = JSON.parse(stdout) as {
		peakBeforeMiB: number;
		peakAfterMiB: number;
		ms: number;
		item: Record<string, unknown>;
		bytesOnTheWire: number;
		didWork: boolean;
	};
	process.stderr.write(
		`gzip bomb (600 MiB expanded, ${Math.round(figures.bytesOnTheWire / 1024)} KB on the wire): peak RSS ${figures.peakBeforeMiB.toFixed(0)} → ${figures.peakAfterMiB.toFixed(0)} MiB, ${figures.ms} ms\n`,
	);
	expect(figures.didWork).toBe(true);
	expect(figures.item).toMatchObject({
		statusCode: 201,
		responseNotRead:
			'Crego answered HTTP 201 with more than 4 MiB (counted after decompression): the node read no further.',
	});
	expect(figures.peakAfterMiB - figures.peakBeforeMiB).toBeLessThan(50);
	// Not a timing test: a bound against reading the whole bomb (seconds), far above the ~50 ms it takes.
	expect(figures.ms).toBeLessThan(5_000);
});

describe.each(['continueRegularOutput', 'stop'] as const)('with the node set to %s', (mode) => {
	const onError = mode === 'stop' ? {} : { onError: mode };

	test.each([
		[
			'a gzip bomb',
			{ bombMiB: 100 },
			' with more than 4 MiB (counted after decompression): the node read no further.',
		],
		[
			'6 MB of plain JSON',
			{ body: { results: 'x'.repeat(6 * 1024 * 1024) } },
			' with more than 4 MiB (counted after decompression): the node read no further.',
		],
		[
			'a corrupt gzip body',
			{ corruptGzip: true },
			', but its compressed body was corrupt (Z_DATA_ERROR).',
		],
	])(
		'a write answered 201 with %s is done, and a re-run does not send it again',
		async (_name, fault, why) => {
			sandbox.injectFault({
				path: REFUND_PATH,
				process: true,
				...('body' in fault ? { status: 201 } : {}),
				...fault,
			});
			const result = await sandbox.run(refund, {
				items: [{ amount: 1 }, { amount: 2 }],
				workflowId: `bounded-${mode}-${_name}`,
				...onError,
			});
			expect(result.error).toBeUndefined();
			expect(result.output[0].json).toMatchObject({
				statusCode: 201,
				responseNotRead: `Crego answered HTTP 201${why}`,
			});
			expect(result.output[1].json.id).toEqual(expect.any(String));
			await sandbox.run(refund, {
				items: [{ amount: 1 }, { amount: 2 }],
				workflowId: `bounded-${mode}-${_name}`,
				...onError,
			});
			expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
		},
	);

	test.each([
		[
			'a gzip bomb',
			{ bombMiB: 100 },
			/^Item 0: Crego's answer could not be read: Crego answered HTTP 200 with more than 4 MiB/,
		],
		[
			'6 MB of plain JSON',
			{ status: 200, body: { results: 'x'.repeat(6 * 1024 * 1024) } },
			/^Item 0: Crego's answer could not be read: Crego answered HTTP 200 with more than 4 MiB/,
		],
		[
			'a corrupt gzip body',
			{ corruptGzip: true },
			/^Item 0: Crego's answer could not be read: Crego answered HTTP 200, but its compressed body was corrupt \(Z_DATA_ERROR\)$/,
		],
	])(
		'a read answered with %s fails once, clearly, and is not sent again',
		async (_name, fault, message) => {
			sandbox.injectFault({ path: RECORD_PATH, ...fault });
			const result = await sandbox.run(getRecord, onError);
			const error =
				mode === 'stop' ? result.error?.message : (result.output[0].json.error as string);
			expect(error).toMatch(message);
			if (mode !== 'stop') expect(outcomeOf(result.output[0])).toBe('failed');
			expect(sandbox.requests).toHaveLength(1);
		},
	);
});

test('a gzip-compressed answer is read as usual', async () => {
	sandbox.injectFault({ path: RECORD_PATH, gzip: true });
	const result = await sandbox.run(getRecord);
	expect(result.output[0].json.id).toBe(ids.DOCS_RECORD_ID);
	expect(sandbox.requests[0].fault).toBe('gzip');
});

test('an error answer of 2 MB is read up to 64 KB and still said in words', async () => {
	sandbox.injectFault({
		path: REFUND_PATH,
		status: 400,
		body: {
			amount: ['Ensure this value is greater than 0.'],
			padding: 'x'.repeat(2 * 1024 * 1024),
		},
	});
	const result = await sandbox.run(refund, {
		items: [{ amount: 1 }],
		onError: 'continueRegularOutput',
	});
	expect(outcomeOf(result.output[0])).toBe('rejected');
	expect(result.output[0].json.error).toMatch(/^Item 0: /);
});
