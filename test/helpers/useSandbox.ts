import { runWorkflow, type RunOptions, type RunResult } from './engine';
import { startSandbox, type FaultRule, type RecordedRequest, type RunningSandbox } from './sandbox';

export interface SandboxForTests {
	readonly url: string;
	readonly token: string;
	/** What the sandbox received since the last test began. */
	readonly requests: RecordedRequest[];
	readonly state: RunningSandbox['state'];
	/** Makes the sandbox misbehave for matching requests (see sandbox/faults.js). */
	injectFault(rule: FaultRule): void;
	/** Plays a server that ignores the page parameter. */
	ignorePageParameter(): void;
	/** Runs the Crego node with these parameters through the engine, against this sandbox. */
	run(parameters: Record<string, unknown>, options?: Partial<RunOptions>): Promise<RunResult>;
}

/** One sandbox per test file, fresh state and an empty request log for every test. */
export function useSandbox(): SandboxForTests {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.stop();
	});
	beforeEach(() => sandbox.reset());
	return {
		get url() {
			return sandbox.url;
		},
		get token() {
			return sandbox.token;
		},
		get requests() {
			return sandbox.requests;
		},
		get state() {
			return sandbox.state;
		},
		injectFault: (rule) => sandbox.injectFault(rule),
		ignorePageParameter: () => sandbox.ignorePageParameter(),
		run: (parameters, options = {}) =>
			runWorkflow({
				parameters: parameters as RunOptions['parameters'],
				credentials: { baseUrl: sandbox.url, accessToken: sandbox.token },
				...options,
			}),
	};
}
