/**
 * The queue-mode suite: n8n 2.41.1 as production runs it at scale — a main process,
 * PostgreSQL, Redis and two workers — with the packed package on every process.
 */
module.exports = require('./jest.suite')('test/queue', '**/*.queue.test.ts', {
	timeoutMinutes: 10,
});
