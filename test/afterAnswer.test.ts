/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * After Crego answers, the row's outcome is fixed: nothing that runs afterwards (reading
 * the body, Simplify, building the error, the ledger's settle, the resume note, the
 * breaker, the error item, the run summary) may change it or release the row. Proven for
 * the class, not one timestamp: a seam makes each post-answer step of the built package
 * throw in turn (jest.spyOn on the module n8n loads), across read and write, a success
 * and an error answer, and n8n's three error modes. Each cell checks, from the sandbox's
 * own log: every row's outcome as the node tells it, the side it is on, and the ledger
 * (a re-run sends exactly the rows Crego did not do, and nothing Crego did).
 */
import type { ExecutionError, INodeExecutionData } from 'n8n-workflow';

import { outcomeOf } from './helpers/outcome';
import { ids, SANDBOX_TOKEN } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';
import { RECORD_PATH, REFUND_PATH } from './helpers/parameters';

const sandbox = useSandbox();

const dist = (path: string) =>
	require(`../dist/nodes/Crego/${path}`) as Record<string, (...args: never[]) => unknown>;

const ROWS = 3;

const broken = () => {
	throw new Error('post-answer step failed (seam)');
};

/** Wraps what a factory returns so that one of its methods throws. */
function breakMethod(path: string, factory: string, method: string) {
	const module = dist(path);
	const original = module[factory] as (...args: unknown[]) => unknown;
	return jest.spyOn(module, factory as never).mockImplementation(((...args: unknown[]) => {
		const made = original(...args);
		const broken = (object: Record<string, unknown> | undefined) =>
			object ? { ...object, [method]: () => broken2() } : object;
		const broken2 = () => {
			throw new Error(`${method} failed (seam)`);
		};
		return made instanceof Promise ? made.then(broken) : broken(made as Record<string, unknown>);
	}) as never);
}

/** Every step that runs after an answer, made to throw. */
const STEPS: Array<[string, () => jest.SpyInstance]> = [
	[
		'reading the success body',
		() =>
			jest
				.spyOn(dist('transport/answerBody'), 'successJson' as never)
				.mockImplementation(broken as never),
	],
	[
		'Simplify',
		() => jest.spyOn(dist('run/simplify'), 'simplify' as never).mockImplementation(broken as never),
	],
	[
		'putting the error into words',
		() =>
			jest
				.spyOn(dist('transport/cregoErrors'), 'describeCregoError' as never)
				.mockImplementation(broken as never),
	],
	[
		'building the error item',
		() =>
			jest.spyOn(dist('run/errorItem'), 'errorItem' as never).mockImplementation(broken as never),
	],
	[
		'the run summary',
		() =>
			jest.spyOn(dist('run/runSummary'), 'runSummary' as never).mockImplementation(broken as never),
	],
	["the ledger's settle", () => breakMethod('writeSafety/ledger', 'openLedger', 'settle')],
	['the resume note', () => breakMethod('writeSafety/resume', 'resumeNote', 'note')],
	[
		"the breaker's record",
		() => breakMethod('writeSafety/unknownBreaker', 'unknownBreaker', 'record'),
	],
];

const KINDS = ['write', 'read'] as const;
const ANSWERS = ['success', 'error'] as const;
const MODES = ['stop', 'continueRegularOutput', 'continueErrorOutput'] as const;
type Cell = [string, (typeof KINDS)[number], (typeof ANSWERS)[number], (typeof MODES)[number]];
const CELLS: Cell[] = STEPS.flatMap(([step]) =>
	KINDS.flatMap((kind) =>
		ANSWERS.flatMap((answer) => MODES.map((mode): Cell => [step, kind, answer, mode])),
	),
);

const parametersFor = (kind: string) =>
	kind === 'write'
		? {
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: ids.DOCS_LOAN_ID,
				amount: '={{ $json.amount }}',
				refundType: 'cashback_refund',
				options: { concurrency: 1 },
			}
		: {
				resource: 'record',
				operation: 'get',
				recordId: ids.DOCS_RECORD_ID,
				options: { concurrency: 1 },
			};

/** What the node says of each row: from its outputs, or from the error of a stopped run. */
function told(
	output: INodeExecutionData[],
	errorOutput: INodeExecutionData[],
	error: ExecutionError | undefined,
	kind: string,
) {
	const said: Array<string | undefined> = Array(ROWS).fill(undefined);
	const side: Array<string | undefined> = Array(ROWS).fill(undefined);
	for (const [name, items] of [
		['success', output],
		['error', errorOutput],
	] as const) {
		for (const item of items) {
			const index = (item.pairedItem as { item: number }).item;
			expect(said[index]).toBeUndefined();
			said[index] = item.json.error !== undefined ? outcomeOf(item) : 'done';
			side[index] = name;
		}
	}
	if (error && kind === 'write') {
		const outcomes = (error.context as { itemOutcomes?: string[] }).itemOutcomes;
		return { said: outcomes ?? [], side: side.map(() => 'error of the run') };
	}
	return { said, side };
}

afterEach(() => jest.restoreAllMocks());

describe('after the answer, the outcome is fixed', () => {
	test.each(CELLS)('%s fails × %s × %s answer × %s', async (step, kind, answer, mode) => {
		const path = kind === 'write' ? REFUND_PATH : RECORD_PATH;
		if (answer === 'error') {
			sandbox.injectFault(
				kind === 'write'
					? {
							path,
							times: 0,
							status: 400,
							body: { amount: ['Ensure this value is greater than 0.'] },
						}
					: { path, times: 0, status: 404, body: { detail: 'Not found.' } },
			);
		}
		const workflowId = `after-answer|${step}|${kind}|${answer}|${mode}`;
		const items = Array.from({ length: ROWS }, (_, i) => ({ amount: i + 1 }));
		STEPS.find(([name]) => name === step)![1]();
		const result = await sandbox.run(parametersFor(kind), {
			items,
			workflowId,
			...(mode === 'stop' ? {} : { onError: mode }),
		});
		jest.restoreAllMocks();

		expect(JSON.stringify(result.run)).not.toContain(SANDBOX_TOKEN);
		const { said, side } = told(result.output, result.errorOutput, result.error, kind);
		// The truth, from the sandbox's log: one request per row that started.
		const requests = sandbox.requests.filter((r) => r.path === path);
		const truth = items.map((_, row) => {
			const request =
				kind === 'write' ? requests.find((r) => r.body.amount === row + 1) : requests[row];
			if (!request) return kind === 'write' ? 'notSent' : undefined;
			if (kind === 'write') return request.didWork ? 'done' : 'rejected';
			return request.status === 200 ? 'done' : 'failed';
		});
		if (mode === 'stop' && answer === 'error') {
			expect(result.error).toBeDefined();
			expect(result.output).toEqual([]);
			if (kind === 'write') expect(said).toEqual(truth);
		} else {
			expect(said).toEqual(truth);
			if (mode === 'stop') expect(result.error).toBeUndefined();
			// Done rows on the success output; with an error output, the others on it.
			truth.forEach((outcome, row) =>
				expect(side[row]).toBe(
					outcome === 'done' || mode !== 'continueErrorOutput' ? 'success' : 'error',
				),
			);
		}

		if (kind === 'write') {
			// The ledger: a re-run (nothing failing) sends exactly the rows Crego did not do.
			sandbox.clearFaults();
			const before = sandbox.requests.length;
			const again = await sandbox.run(parametersFor(kind), {
				items,
				workflowId,
				onError: 'continueRegularOutput',
			});
			const resent = sandbox.requests.slice(before).map((r) => r.body.amount as number);
			const notDone = truth.flatMap((outcome, row) => (outcome === 'done' ? [] : [row + 1]));
			if (step === "the ledger's settle") {
				// A settle that failed leaves the row held as sent: the re-run refuses it as unknown, the safe side (never a done row again).
				expect(notDone).toEqual(expect.arrayContaining(resent));
				for (const amount of notDone.filter((amount) => !resent.includes(amount)))
					expect(outcomeOf(again.output[amount - 1])).toBe('unknown');
			} else {
				expect(resent.sort()).toEqual(notDone);
			}
			// Each refund done exactly once in all.
			for (let row = 0; row < ROWS; row++)
				expect(sandbox.requests.filter((r) => r.body.amount === row + 1 && r.didWork)).toHaveLength(
					answer === 'error' ? (resent.includes(row + 1) ? 1 : 0) : 1,
				);
			expect(again.output).toHaveLength(ROWS);
		}
	});
});

describe('a success Simplify cannot read', () => {
	test('a timestamp in microseconds is kept as Crego sent it, named in the run summary; the row is done and stays done', async () => {
		sandbox.injectFault({
			path: REFUND_PATH,
			status: 201,
			body: { id: 'p-1', amount: 1, status: 'INITIATED', created_at: 1693161000123456 },
			process: true,
		});
		const result = await sandbox.run(parametersFor('write'), {
			items: [{ amount: 1 }, { amount: 2 }],
			workflowId: 'microseconds',
			onError: 'continueRegularOutput',
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(result.output[0].json.created_at).toBe(1693161000123456);
		expect(typeof result.output[1].json.created_at).toBe('string');
		expect(result.hints.join('\n')).toContain(
			'Simplify could not read created_at, so kept it as Crego sent it, in item 0.',
		);
		const before = sandbox.requests.length;
		await sandbox.run(parametersFor('write'), {
			items: [{ amount: 1 }, { amount: 2 }],
			workflowId: 'microseconds',
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests.length).toBe(before);
	});

	test('API Request: a microsecond timestamp deep in an answer is kept, the rest read', async () => {
		sandbox.injectFault({
			path: RECORD_PATH,
			status: 200,
			body: {
				id: ids.DOCS_RECORD_ID,
				created_at: 1693161000,
				lines: [{ id: 'p', created_at: 1693161000123456 }],
			},
		});
		const result = await sandbox.run({
			resource: 'apiRequest',
			operation: 'send',
			method: 'GET',
			path: `records/${ids.DOCS_RECORD_ID}/`,
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.created_at).toMatch(/^2023-08-28T00:00:00.000\+05:30/);
		expect((result.output[0].json.lines as Array<Record<string, unknown>>)[0].created_at).toBe(
			1693161000123456,
		);
		expect(result.hints.join('\n')).toContain(
			'Simplify could not read lines[].created_at, so kept it as Crego sent it, in item 0.',
		);
	});
});
