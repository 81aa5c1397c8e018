/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * An n8n (or harness) without a processed-data store: the node keeps the duplicate guard
 * of one execution, says once per execution that protection across executions is off,
 * and still resumes after n8n's Retry (that lives in the execution's own data).
 */
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox({ processedDataStore: false });

const refunds = {
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
};
const rows = [{ amount: 1 }, { amount: 2 }, { amount: 1 }];

test('within an execution duplicates are refused; the hint says, once, that earlier executions are not checked', async () => {
	const result = await sandbox.run(refunds, { items: rows, onError: 'continueRegularOutput' });
	expect(result.output[2].json.error).toBe(
		'Item 2: Not sent: duplicate of item 0 (same loan, refund type and amount)',
	);
	expect(result.hints).toEqual([
		expect.stringMatching(
			/^Refuse Duplicates covers this execution only: this n8n has no processed-data store/,
		),
		'Crego: 2 done, 1 not sent — Crego did nothing for rejected and not-sent rows: fix them and run them again.',
	]);
	// Both rows are of one loan: one at a time, so no pace to report.
	expect(sandbox.requests).toHaveLength(2);
});

test('across executions nothing is remembered (the documented limit of such an n8n)', async () => {
	await sandbox.run(refunds, { items: rows.slice(0, 2) });
	await sandbox.run(refunds, { items: rows.slice(0, 2) });
	expect(sandbox.requests).toHaveLength(4);
});

test("n8n's Retry still resumes: the failed attempt's rows are not sent again", async () => {
	sandbox.injectFault({ path: '/v1/lms/loans/*', everyNth: 2, status: 503, body: '' });
	const failed = await sandbox.run(refunds, {
		items: [{ amount: 1 }, { amount: 2 }, { amount: 3 }],
	});
	const retried = await sandbox.run(refunds, {
		items: [{ amount: 1 }, { amount: 2 }, { amount: 3 }],
		retryOf: failed.run,
	});
	// Set to stop: the rest is sent, then the run fails naming the unknown row.
	expect(retried.error?.message).toMatch(/^Item 1: Not sent again: its outcome is unknown/);
	expect((retried.error as any).context.itemOutcomes).toEqual(['done', 'unknown', 'done']);
	expect(sandbox.requests.map((r) => r.body.amount)).toEqual([1, 2, 3]);
});
