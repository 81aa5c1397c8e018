/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Stop tells the truth. n8n's Stop cancels the execution (n8n-core's engine, as the
 * editor's button and the REST API do) at each point a run can be at: before the first
 * row, with a row in flight, while a row waits out a Retry-After, while others wait for
 * their turn, while a 201's body is still arriving. After it no new row starts; rows that
 * never left are "not sent" and released from the ledger (the next run sends them); rows
 * in flight are "unknown" and held; rows done stay done. Checked from the node's own
 * result, the sandbox's request log, and a re-run of the same workflow.
 */
import { outcomeOf } from './helpers/outcome';
import { useSandbox } from './helpers/useSandbox';
import { REFUND_PATH, refundOfDocsLoan } from './helpers/parameters';

const sandbox = useSandbox();

const ROWS = 6;
/** Every refund answered 429 with Retry-After: 30 (longer than any test waits). */
const throttledFor30s = () =>
	sandbox.injectFault({
		path: REFUND_PATH,
		status: 429,
		retryAfter: 30,
		body: { detail: 'Request was throttled.' },
	});
const items = Array.from({ length: ROWS }, (_, i) => ({ amount: i + 1 }));
const refund = (concurrency: number) => ({ ...refundOfDocsLoan, options: { concurrency } });

const arrived = (count: number) => async () => {
	for (
		let waited = 0;
		sandbox.requests.filter((r) => r.method === 'POST').length < count && waited < 10_000;
		waited += 5
	)
		await new Promise((resolve) => setTimeout(resolve, 5));
};
const after = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** The sandbox has answered this many requests, and the answers have had time to arrive. */
const answered = (count: number) => async () => {
	for (
		let waited = 0;
		sandbox.requests.filter((r) => r.answeredAt !== undefined).length < count && waited < 10_000;
		waited += 5
	)
		await new Promise((resolve) => setTimeout(resolve, 5));
	await after(200)();
};

type Expected = 'done' | 'unknown' | 'notSent';

/** Each point a run can be stopped at: the faults that put it there, when Stop is pressed, and each row's true outcome. */
const POINTS: Array<
	[
		string,
		{ concurrency: number; setUp: () => void; stopWhen: () => Promise<void>; expected: Expected[] },
	]
> = [
	[
		'before the first row is sent',
		{
			concurrency: 1,
			setUp: () =>
				sandbox.injectFault({ path: REFUND_PATH, times: 0, delayMs: 300, process: true }),
			stopWhen: async () => {},
			expected: Array(ROWS).fill('notSent'),
		},
	],
	[
		'with the third row in flight',
		{
			concurrency: 1,
			setUp: () =>
				sandbox.injectFault({ path: REFUND_PATH, times: 0, delayMs: 300, process: true }),
			stopWhen: arrived(3),
			expected: ['done', 'done', 'unknown', 'notSent', 'notSent', 'notSent'],
		},
	],
	[
		'while the first row waits out a Retry-After of 30 s',
		{
			concurrency: 1,
			setUp: throttledFor30s,
			stopWhen: answered(1),
			expected: Array(ROWS).fill('notSent'),
		},
	],
	[
		'while three rows wait their turn behind a Retry-After',
		{
			concurrency: 3,
			setUp: throttledFor30s,
			stopWhen: answered(1),
			expected: Array(ROWS).fill('notSent'),
		},
	],
	[
		"while the second row's 201 body trickles in",
		{
			concurrency: 1,
			setUp: () =>
				sandbox.injectFault({ path: REFUND_PATH, everyNth: 2, trickleMs: 200, process: true }),
			stopWhen: async () => (await arrived(2)(), await after(400)()),
			expected: ['done', 'done', 'notSent', 'notSent', 'notSent', 'notSent'],
		},
	],
];

const MODES = ['continueRegularOutput', 'stop'] as const;

describe.each(POINTS)('Stop pressed %s', (_point, { concurrency, setUp, stopWhen, expected }) => {
	test.each(MODES)(
		'with the node set to %s: no row starts after it, each row told truly, and a re-run sends exactly the rows that never left',
		async (mode) => {
			const workflowId = `stop|${_point}|${mode}`;
			setUp();
			const started = Date.now();
			const result = await sandbox.run(refund(concurrency), {
				items,
				workflowId,
				stopWhen,
				...(mode === 'stop' ? {} : { onError: mode }),
			});
			const finished = await result.nodeFinished!;
			// Nothing waits out the Retry-After once stopped.
			expect(Date.now() - started).toBeLessThan(15_000);
			const posted = sandbox.requests.filter((r) => r.method === 'POST');
			// The rows the sandbox received are exactly those not told "not sent", each once.
			expect(posted.map((r) => r.body.amount).sort()).toEqual(
				expected.flatMap((outcome, row) =>
					outcome === 'notSent' && !posted.some((r) => r.body.amount === row + 1) ? [] : [row + 1],
				),
			);

			const told =
				finished.output?.[0].map((item) =>
					item.json.error === undefined ? 'done' : outcomeOf(item),
				) ??
				(finished.error?.context as { itemOutcomes?: string[] } | undefined)?.itemOutcomes ??
				[];
			// A row turned away by a 429 before Stop never did anything either: "not sent" is its truth.
			expect(told).toEqual(expected);
			for (const [row, outcome] of expected.entries())
				if (outcome === 'done')
					expect(posted.filter((r) => r.body.amount === row + 1 && r.didWork)).toHaveLength(1);

			// The ledger: the next run sends the rows that never left, refuses the unknown ones, skips the done ones.
			sandbox.clearFaults();
			const before = sandbox.requests.length;
			const again = await sandbox.run(refund(concurrency), {
				items,
				workflowId,
				onError: 'continueRegularOutput',
			});
			const resent = sandbox.requests.slice(before).map((r) => r.body.amount as number);
			expect(resent.sort()).toEqual(
				expected.flatMap((outcome, row) => (outcome === 'notSent' ? [row + 1] : [])),
			);
			expect(
				again.output.map((item) => (item.json.error === undefined ? 'done' : outcomeOf(item))),
			).toEqual(expected.map((outcome) => (outcome === 'unknown' ? 'unknown' : 'done')));
		},
	);
});
