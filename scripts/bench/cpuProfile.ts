/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Where a real n8n spends its CPU while one node runs: reads a V8 .cpuprofile written by
 * `node --cpu-prof`, keeps the window in which the node under test is on the stack, and
 * sums the self time of every sample in it by who owns the code (our package, n8n-core's
 * request helper, the expression engine, ...), plus the inclusive time of a few functions.
 */
import fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export interface CpuBreakdown {
	windowMs: number;
	byOwner: Array<{ owner: string; ms: number }>;
	inclusive: Array<{ name: string; ms: number }>;
	/** Our package's functions, each with the CPU of everything it called. */
	ours: Array<{ name: string; ms: number }>;
	topSelf: Array<{ name: string; ms: number }>;
}

/** Our package as n8n installs it (the runtime cache's own path also holds the name). */
export const OUR_PACKAGE = /\.n8n\/nodes\/node_modules\/n8n-nodes-crego\//;

const OWNERS: Array<[string, RegExp]> = [
	['Crego node (our package)', OUR_PACKAGE],
	['HTTP Request node', /n8n-nodes-base\/dist\/nodes\/HttpRequest/],
	['expression engine', /expression|tournament|isolated-vm|workflow-data-proxy|luxon/i],
	['n8n-core (helpers, engine)', /n8n-core/],
	['n8n-workflow', /n8n-workflow/],
	['n8n (server: credentials, DB, events)', /node_modules\/n8n\/dist|@n8n\//],
	['HTTP client (axios, follow-redirects)', /axios|follow-redirects|form-data/],
	['other packages', /node_modules/],
	['Node.js (http, net, streams, timers)', /^node:/],
];

function ownerOf(frame: ProfileNode['callFrame']): string {
	if (frame.url === '') {
		if (frame.functionName === '(garbage collector)') return 'garbage collector';
		if (frame.functionName === '(idle)') return 'idle (waiting for answers)';
		if (frame.functionName === '(program)') return 'V8 (compile, runtime)';
		return 'native / V8 builtins';
	}
	return OWNERS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? 'other';
}

/**
 * `mark`: the node's files. The window opens at the first sample with the node's `execute`
 * on the stack (so n8n's start-up, which loads those files, is left out) and closes at the
 * last sample with any of its frames.
 */
export function breakdown(file: string, mark: RegExp, inclusiveNames: string[]): CpuBreakdown {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const stackOf = (id: number) => {
		const stack: ProfileNode[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
			stack.push(byId.get(at)!);
		return stack;
	};
	// Sample times, then the window.
	const times: number[] = [];
	let clock = 0;
	for (const delta of profile.timeDeltas) times.push((clock += delta));
	let first = -1;
	let last = -1;
	profile.samples.forEach((id, index) => {
		const stack = stackOf(id);
		if (
			first < 0 &&
			stack.some(
				(node) => node.callFrame.functionName === 'execute' && mark.test(node.callFrame.url),
			)
		)
			first = index;
		// After its first await the node runs in continuations: any frame of its files counts.
		if (first >= 0 && stack.some((node) => mark.test(node.callFrame.url))) last = index;
	});
	const owner = new Map<string, number>();
	const inclusive = new Map<string, number>();
	const self = new Map<string, number>();
	const ours = new Map<string, number>();
	for (let index = Math.max(first, 0); index <= last; index++) {
		const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
		const stack = stackOf(profile.samples[index]);
		const top = stack[0].callFrame;
		owner.set(ownerOf(top), (owner.get(ownerOf(top)) ?? 0) + ms);
		const selfName = `${top.functionName || '(anonymous)'} ${top.url.replace(/^.*node_modules\//, '')}:${top.lineNumber + 1}`;
		self.set(selfName, (self.get(selfName) ?? 0) + ms);
		const names = new Set(stack.map((node) => node.callFrame.functionName));
		for (const name of inclusiveNames)
			if (names.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
		const ourFrames = new Set(
			stack
				.filter((node) => OUR_PACKAGE.test(node.callFrame.url))
				.map(
					(node) =>
						`${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*dist\//, '')}`,
				),
		);
		for (const name of ourFrames) ours.set(name, (ours.get(name) ?? 0) + ms);
	}
	const sorted = (map: Map<string, number>) =>
		[...map].map(([name, ms]) => ({ name, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms);
	return {
		windowMs: first < 0 ? 0 : Math.round((times[last] - times[first]) / 1000),
		byOwner: sorted(owner).map(({ name, ms }) => ({ owner: name, ms })),
		inclusive: sorted(inclusive),
		ours: sorted(ours).slice(0, 20),
		topSelf: sorted(self).slice(0, 25),
	};
}
