/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Run by test/boundedAnswers.test.ts in a process of its own (tsx), so its peak memory is
 * this run's alone: a refund answered normally (to warm everything up), then one whose
 * 201 is a gzip bomb of BOMB_MIB MiB. Prints the peak RSS before and after, the bomb
 * run's time and its item, as JSON.
 */
import { runWorkflow } from './engine';
import { refundOfDocsLoan } from './parameters';
import { ids, SANDBOX_TOKEN, startSandbox } from './sandbox';

const BOMB_MIB = Number(process.argv[2] ?? 600);

async function main() {
	const sandbox = await startSandbox();
	const refund = refundOfDocsLoan;
	const credentials = { baseUrl: sandbox.url, accessToken: SANDBOX_TOKEN };
	try {
		for (let warm = 0; warm < 3; warm++)
			await runWorkflow({
				parameters: refund,
				items: [{ amount: 10 + warm }],
				credentials,
				workflowId: `warm-${warm}`,
			});
		const before = process.resourceUsage().maxRSS;
		sandbox.injectFault({
			path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
			bombMiB: BOMB_MIB,
			process: true,
		});
		const started = Date.now();
		const result = await runWorkflow({
			parameters: refund,
			items: [{ amount: 1 }],
			credentials,
			workflowId: 'bomb',
		});
		const ms = Date.now() - started;
		const after = process.resourceUsage().maxRSS;
		const request = sandbox.requests.at(-1)!;
		process.stdout.write(
			JSON.stringify({
				peakBeforeMiB: before / 1024,
				peakAfterMiB: after / 1024,
				ms,
				item: result.output[0]?.json,
				error: result.error?.message,
				bytesOnTheWire: request.bytesSent,
				didWork: request.didWork,
			}),
		);
	} finally {
		await sandbox.stop();
	}
}

main().catch((error) => {
	process.stderr.write(String(error?.stack ?? error));
	process.exit(1);
});
