/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/** The adaptive pace (run/pace.ts) on an injected clock: how the limit answers each kind of answer. */
import { createPace } from '../../nodes/Crego/run/pace';

function clocked(ceiling: number) {
	let now = 1_000_000;
	const pace = createPace(ceiling, () => now);
	const answer = (status: number | undefined, ms = 20, retryAfterMs?: number) =>
		pace.observe({ status, sentAt: now, ms, retryAfterMs });
	return { pace, answer, advance: (ms: number) => (now += ms) };
}

test('starts at 4 (or the ceiling, if lower) and grows by one per clean answer until the first strain', () => {
	expect(createPace(2).limit).toBe(2);
	const { pace, answer } = clocked(50);
	expect(pace.limit).toBe(4);
	for (let i = 0; i < 10; i++) answer(200);
	expect(pace.limit).toBe(14);
	for (let i = 0; i < 100; i++) answer(200);
	expect(pace.limit).toBe(50);
});

test('a 429 cuts to at most 2, a 503 or a failure halves it, and after strain it grows by one per round of clean answers', () => {
	const { pace, answer, advance } = clocked(50);
	for (let i = 0; i < 12; i++) answer(200);
	expect(pace.limit).toBe(16);
	answer(503);
	expect(pace.limit).toBe(8);
	answer(undefined);
	expect(pace.limit).toBe(4);
	answer(429);
	expect(pace.limit).toBe(2);
	expect(pace.slowedDown).toBe(true);
	advance(1);
	answer(200);
	expect(pace.limit).toBe(2);
	answer(200);
	expect(pace.limit).toBe(3);
});

test('a slow answer (three times the fastest, and 250 ms more) takes one off', () => {
	const { pace, answer } = clocked(50);
	answer(200, 20);
	const before = pace.limit;
	answer(200, 400);
	expect(pace.limit).toBe(before - 1);
});

test('a Retry-After holds new turns for that long on the clock; dropToOne is at once', () => {
	const { pace, answer, advance } = clocked(10);
	answer(429, 20, 5_000);
	expect(pace.pausedForMs()).toBe(5_000);
	advance(4_000);
	expect(pace.pausedForMs()).toBe(1_000);
	advance(1_000);
	expect(pace.pausedForMs()).toBe(0);
	pace.dropToOne();
	expect(pace.limit).toBe(1);
});

test('turns: no more out than the limit; a release admits the next; Stop gives every waiting turn at once', async () => {
	const { pace } = clocked(2);
	const admitted: number[] = [];
	const turns = [0, 1, 2, 3].map((i) => pace.acquire().then(() => admitted.push(i)));
	await new Promise((tick) => setImmediate(tick));
	expect(admitted).toEqual([0, 1]);
	pace.release();
	await new Promise((tick) => setImmediate(tick));
	expect(admitted).toEqual([0, 1, 2]);
	pace.stop();
	await Promise.all(turns);
	expect(admitted).toEqual([0, 1, 2, 3]);
	expect(pace.peak).toBe(2);
});
